// The scenario server's Standard RDP Security key ([MS-RDPBCGR] 5.3.3.1): a 512-bit RSA key, the
// size real proprietary certificates carry (clients without RNS_UD_CS_STRONG_ASYMMETRIC_KEYS accept
// no more), generated once per process with node:crypto, and its PROPRIETARYSERVERCERTIFICATE
// (2.2.1.4.3.1.1) signed with the published Terminal Services key (5.3.3.1.2).
import { generateKeyPairSync } from 'node:crypto';
import { proprietarySignedData, type ServerCertificateSpec } from '../gcc/certificate.js';
import { fromBigEndian } from '../rdpsec/bigint.js';
import { signProprietary } from '../rdpsec/proprietary.js';
import type { RsaPrivateKey } from '../rdpsec/rsa.js';

/** What the bits of the key are: 512, as Windows and xrdp send (5.3.3.1). */
export const PROPRIETARY_KEY_BITS = 512;

export interface ProprietaryKey {
  /** the Server Security Data serverCertificate: CERT_CHAIN_VERSION_1, not temporary, TS-signed */
  certificate: Extract<ServerCertificateSpec, { kind: 'proprietary' }>;
  /** for decryptClientRandom (5.3.4.1) */
  privateKey: RsaPrivateKey;
}

let cached: ProprietaryKey | undefined;

const fromBase64url = (s: string | undefined): Uint8Array => {
  if (!s) throw new Error('RSA JWK without n, e or d');
  return new Uint8Array(Buffer.from(s, 'base64url'));
};

/** The key and certificate of every scenario connection in this process (made on first use, in a few ms). */
export function scenarioProprietaryKey(): ProprietaryKey {
  if (!cached) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: PROPRIETARY_KEY_BITS });
    const jwk = privateKey.export({ format: 'jwk' });
    // JWK integers are unsigned big-endian without leading zeros; a 512-bit modulus is 64 bytes
    const modulus = fromBase64url(jwk.n);
    const publicKey = { exponent: Number(fromBigEndian(fromBase64url(jwk.e))), modulus, bits: modulus.length * 8 };
    const signature = signProprietary(proprietarySignedData(publicKey, false));
    cached = {
      certificate: { kind: 'proprietary', temporary: false, publicKey, signature },
      privateKey: { modulus, d: fromBase64url(jwk.d) },
    };
  }
  return cached;
}
