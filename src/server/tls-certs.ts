// Certificates for the scenario server's TLS scenarios (failure-catalogue rows 16, 17), generated at
// run time so their dates are always relative to now.
import tls from 'node:tls';
import { makeCertificate, type CertSpec, type GeneratedCert } from './pki.js';

export type CertKind = 'ok' | 'expired' | 'not-yet-valid' | 'wrong-name' | 'weak-key' | 'sha1' | 'no-server-auth';

export interface TlsServerSpec {
  cert: CertKind;
  /**
   * What the CredSSP side does (src/server/credssp-responder.ts, failure-catalogue rows 19-25);
   * default 'challenge': a CredSSP v6 server with one account (SCENARIO_ACCOUNT) that completes NLA.
   */
  credssp?:
    | 'challenge'
    /** row 19: close the TCP connection (FIN) after the first TSRequest, no TLS close_notify */
    | 'close'
    /** row 19: reset the TCP connection (RST) after the first TSRequest */
    | 'reset'
    /** row 20: answer the AUTHENTICATE with a TSRequest carrying this NTSTATUS errorCode */
    | { errorCode: number }
    /** row 20 (FreeRDP's way): close (FIN) after the AUTHENTICATE, without errorCode */
    | 'close-after-authenticate'
    /** row 21: end TLS with an alert (close_notify) instead of a TSRequest */
    | 'tls-alert'
    /** row 22: the CHALLENGE in a TSRequest of this version; the rest as 'challenge' at that version */
    | { version: number }
    /** row 23: SPNEGO NegTokenInit2 listing Kerberos mechanisms only */
    | 'kerberos-only'
    /** row 23: SPNEGO NegTokenResp negState reject, no mechanism */
    | 'ntlm-rejected'
    /** row 24: as 'challenge', then Early User Authorization Result ACCESS_DENIED after the TSCredentials */
    | 'eua-denied'
    /** row 25: as 'challenge', but the server's pubKeyAuth binds another TLS key */
    | 'wrong-pubkeyauth'
    /** hostile: answer the first TSRequest with these bytes (not necessarily a TSRequest), then read and ignore the rest */
    | { raw: Uint8Array }
    /** hostile: as 'challenge' up to the TSCredentials, then a TSRequest with a negoToken every 10 ms, forever */
    | 'endless';
}

const DAY = 86_400_000;

function spec(kind: CertKind, now: number): CertSpec {
  const base: CertSpec = {
    cn: 'localhost', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1', '::1'],
    notBefore: new Date(now - DAY), notAfter: new Date(now + 365 * DAY),
  };
  switch (kind) {
    case 'ok': return base;
    case 'expired': return { ...base, notBefore: new Date(now - 400 * DAY), notAfter: new Date(now - 35 * DAY) };
    case 'not-yet-valid': return { ...base, notBefore: new Date(now + 30 * DAY), notAfter: new Date(now + 400 * DAY) };
    case 'wrong-name': return { ...base, cn: 'rdp-other.example.invalid', dnsNames: ['rdp-other.example.invalid'], ipAddresses: [] };
    case 'weak-key': return { ...base, keyBits: 1024 };
    case 'sha1': return { ...base, hash: 'sha1' };
    case 'no-server-auth': return { ...base, serverAuth: false };
  }
}

const cache = new Map<CertKind, { cert: GeneratedCert; context: tls.SecureContext }>();

/** The certificate of a kind, made once per process. */
export function scenarioCertificate(kind: CertKind): { cert: GeneratedCert; context: tls.SecureContext } {
  let c = cache.get(kind);
  if (!c) {
    const cert = makeCertificate(spec(kind, Date.now()));
    // security level 0: the server must be able to present 1024-bit keys and SHA-1 signatures
    const context = tls.createSecureContext({ key: cert.keyPem, cert: cert.certPem, ciphers: 'DEFAULT:@SECLEVEL=0', minVersion: 'TLSv1' });
    c = { cert, context };
    cache.set(kind, c);
  }
  return c;
}
