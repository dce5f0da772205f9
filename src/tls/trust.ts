// Trust anchors from a PEM bundle (RFC 7468 §5 "CERTIFICATE" blocks), e.g. --ca FILE or the system
// store. Pure: the caller reads the file.
import { certificateSubject } from './x509.js';

export interface TrustStore {
  /** where the anchors came from (a file path) */
  source: string;
  anchors: { der: Uint8Array; subject: string }[];
}

/** System CA bundles, Debian/Ubuntu first, then Fedora/RHEL, openSUSE, Alpine, FreeBSD. */
export const SYSTEM_TRUST_BUNDLES: readonly string[] = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  '/etc/ssl/ca-bundle.pem',
  '/etc/ssl/cert.pem',
  '/usr/local/share/certs/ca-root-nss.crt',
];

const BLOCK = /-----BEGIN (?:X509 )?CERTIFICATE-----([^-]*)-----END (?:X509 )?CERTIFICATE-----/g;

/**
 * PEM bundle text → anchors indexed by subject; CERTIFICATE blocks that do not decode are skipped and
 * counted. An anchor is parsed in full only when a chain reaches it.
 */
export function parseTrustBundle(pem: string, source: string): TrustStore & { skipped: number } {
  const anchors: TrustStore['anchors'] = [];
  let skipped = 0;
  for (const m of pem.matchAll(BLOCK)) {
    const body = m[1]!.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) {
      skipped++;
      continue;
    }
    const der = new Uint8Array(Buffer.from(body, 'base64'));
    try {
      anchors.push({ der, subject: certificateSubject(der) });
    } catch {
      skipped++;
    }
  }
  return { source, anchors, skipped };
}
