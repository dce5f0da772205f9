// Text for --enumerate-rdp-security: one line per encryption method, what the server answered.
import type { RdpSecurityEnumeration } from '../probe/enumerate-rdp-security.js';
import type { Style } from './style.js';
import { ENCRYPTION_METHOD } from '../rdp/security-header.js';

export function renderRdpSecurityEnumeration(e: RdpSecurityEnumeration, target: string, s: Style): string {
  const out = [s.bold(`Standard RDP Security enumeration ${target}`)];
  if (e.refusedAtX224) out.push(`  ${s.red('refused at X.224')}: ${e.refusedAtX224} (a request for Standard RDP Security only)`);
  const width = Math.max(6, ...e.methods.map((m) => m.method.length));
  for (const m of e.methods) out.push(`  ${m.method.padEnd(width)}  ${m.accepted ? s.green('accepted') : s.red('refused ')}  ${m.answer}`);
  if (e.level) out.push(`  level ${e.level}`);
  const weak = e.methods.filter((m) => m.accepted && (m.offered === ENCRYPTION_METHOD.BIT_40 || m.offered === ENCRYPTION_METHOD.BIT_56));
  if (weak.length) out.push(`  ${s.yellow('warning')}  ${weak.map((m) => m.method).join(', ')} accepted: breakable (row 28)`);
  if (e.methods.length && e.methods.every((m) => m.selectedMethod === 'ENCRYPTION_METHOD_NONE')) {
    out.push(`  ${s.yellow('warning')}  the server selects no encryption whatever the client offers: everything travels in the clear (row 28)`);
  }
  out.push(s.dim(`  ${e.connections} TCP connection${e.connections === 1 ? '' : 's'} used, ${e.durationMs.toFixed(1)} ms`));
  return `${out.join('\n')}\n`;
}
