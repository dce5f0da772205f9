// T.125 connect PDUs (BER): Connect-Initial ([MS-RDPBCGR] 2.2.1.3) and Connect-Response (2.2.1.4).
export * from './connect-common.js';
export * from './domain-parameters.js';
export * from './connect-initial.js';
export * from './connect-response.js';
