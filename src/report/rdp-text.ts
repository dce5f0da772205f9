// Text block for the connection sequence after X.224: versions, encryption, channels, licensing,
// Demand Active, and what the server said when it ended things (Set Error Info, MCS disconnect).
import type { RdpEncryption, RdpSummary } from '../analyze/rdp-summary.js';
import type { Style } from './style.js';

const INDENT = ' '.repeat(15);
const KEY = 18;

/** "METHOD, LEVEL, proprietary certificate (RSA 512, signature valid)" */
function encryptionLine(e: RdpEncryption, s: Style): string {
  if (!e.certificate) return `${e.method}, ${e.level}`;
  const about = [
    e.keyBits ? `RSA ${e.keyBits}` : undefined,
    e.signature === 'valid' ? 'Terminal Services signature valid' : undefined,
    e.signature === 'invalid' ? s.red(`Terminal Services signature INVALID: ${e.signatureProblem ?? 'does not verify'}`) : undefined,
    e.chain ? `chain of ${e.chain.length + (e.chainProblems?.length ?? 0)}` : undefined,
  ].filter(Boolean).join(', ');
  return `${e.method}, ${e.level}, ${e.certificate} certificate${about ? ` (${about})` : ''}`;
}

/** The X.509 chain of the Server Security Data, leaf first, as the TLS block shows a chain (with SHA-1 too). */
function chainLines(e: RdpEncryption, s: Style): string[] {
  const out: string[] = [];
  const more = `${INDENT}${' '.repeat(KEY)} `;
  (e.chain ?? []).forEach((x, i) => {
    out.push(`${INDENT}${s.dim((i === 0 ? 'Certificate' : '').padEnd(KEY))} [${i}] ${s.bold(x.subject)}  ${s.dim('issuer')} ${x.issuer}`);
    out.push(`${more}    ${x.keyType}${x.keyBits ? ` ${x.keyBits}` : ''}${x.curve ? ` ${x.curve}` : ''}, ${x.signatureAlgorithm}, valid ${x.notBefore} → ${x.notAfter}`);
    out.push(s.dim(`${more}    SHA-1 ${x.sha1}`));
    out.push(s.dim(`${more}    SHA-256 ${x.sha256}`));
  });
  for (const p of e.chainProblems ?? []) out.push(`${INDENT}${s.dim((out.length ? '' : 'Certificate').padEnd(KEY))} ${s.red(p)}`);
  return out;
}

export function renderRdp(r: RdpSummary, s: Style): string[] {
  const row = (k: string, v: string | undefined): string | undefined => (v === undefined ? undefined : `${INDENT}${s.dim(k.padEnd(KEY))} ${v}`);
  const versions = [r.clientVersion && `client ${r.clientVersion}`, r.serverVersion && `server ${r.serverVersion}`].filter(Boolean).join(', ');
  const lines = [
    `  ${s.dim('rdp')}        ${versions || 'MCS'}${r.connectResult ? `; Connect Response ${r.connectResult.name}` : ''}`,
    row('Encryption', r.encryption && encryptionLine(r.encryption, s)),
    ...(r.encryption ? chainLines(r.encryption, s) : []),
    row('Channels', r.channels.length ? r.channels.map((c) => `${c.name} ${c.id}${c.joined ? '' : ' (not joined)'}`).join(', ') : undefined),
    row('Licensing', r.licensing?.summary),
    row('Demand Active', r.demandActive && `${r.demandActive.capabilities.length} capability sets${r.desktop ? `, ${r.desktop}` : ''}${r.demandActive.os ? `, ${r.demandActive.os}` : ''}`),
    ...r.setErrorInfo.map((e) => row('Set Error Info', s.red(`${e.hex} ${e.name} (${e.stage}): ${e.meaning}`))),
    row('Disconnect', r.disconnect && s.red(`MCS Disconnect Provider Ultimatum ${r.disconnect.name} (${r.disconnect.stage})`)),
    row('Encrypted', r.encryptedPdus ? `${r.encryptedPdus} PDUs not decrypted (no client random)` : undefined),
  ];
  return lines.filter((l): l is string => l !== undefined);
}
