// Text block for the TLS stage: negotiated parameters and the certificate chain with its check.
import type { TlsSummary } from '../analyze/tls-summary.js';
import type { Style } from './style.js';

/** Where a certificate or decrypted TLS session came from, in words: "the key log", "the server's private key". */
export function tlsSourceText(source: 'wire' | 'tls-library' | 'key-log' | 'server-key'): string {
  switch (source) {
    case 'wire': return 'the Certificate message';
    case 'tls-library': return 'the TLS library';
    case 'key-log': return 'the key log';
    case 'server-key': return "the server's private key";
  }
}

export function renderTls(t: TlsSummary, s: Style): string[] {
  const out: string[] = [];
  const params = [t.version, t.cipherSuite?.name, t.group].filter(Boolean).join(', ');
  const offered = t.offered ? `offered ${t.offered.versions.join(', ')}, ${t.offered.cipherSuites} suites${t.offered.serverName ? `, SNI ${t.offered.serverName}` : ''}` : '';
  out.push(`  ${s.dim('tls')}        ${params || `handshake ${t.handshake}`}${offered ? s.dim(` (${offered})`) : ''}`);
  const c = t.certificate;
  if (c) {
    c.chain.forEach((x, i) => {
      const pad = i === 0 ? `  ${s.dim('certificate')}` : '             ';
      out.push(`${pad} [${i}] ${s.bold(x.subject)}  ${s.dim('issuer')} ${x.issuer}`);
      out.push(`                 ${x.keyType} ${x.keyBits}${x.curve ? ` ${x.curve}` : ''}, ${x.signatureAlgorithm}, valid ${x.notBefore} → ${x.notAfter}`);
      const san = [...x.sans.dns.map((d) => `DNS:${d}`), ...x.sans.ip.map((a) => `IP:${a}`)].join(' ');
      const eku = x.extendedKeyUsage ? `EKU ${x.extendedKeyUsage.join(', ')}` : 'no EKU';
      out.push(`                 ${san ? `SAN ${san}, ` : 'no SAN, '}${eku}`);
      out.push(s.dim(`                 SHA-256 ${x.sha256}`));
    });
    const name = c.nameChecked?.length ? `, name ${c.nameChecked.join('/')}: ${c.nameMatch ? 'matches' : 'does not match'}` : '';
    out.push(`                 trust: ${c.trust}${c.trustedBy ? ` (by ${c.trustedBy})` : ''}${name} ${s.dim(`(certificate from ${tlsSourceText(c.source)})`)}`);
  } else if (t.certificateNote) {
    out.push(`  ${s.dim('certificate')} ${t.certificateNote}`);
  }
  return out;
}
