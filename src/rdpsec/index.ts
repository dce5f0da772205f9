// Standard RDP Security ([MS-RDPBCGR] 5.3): RSA of the client random and X.509 server keys
// (rsa.ts), the Terminal Services signature of Proprietary Certificates (proprietary.ts), session
// key derivation and updates (keys.ts), and the per-packet encryption and MACs (cipher.ts).
// Pure and sans-IO: callers supply the randoms.
export * from './rsa.js';
export * from './proprietary.js';
export * from './keys.js';
export * from './cipher.js';
export { bitLength, fromBigEndian, fromLittleEndian, modPow, toBigEndian, toLittleEndian } from './bigint.js';
