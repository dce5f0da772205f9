// Text block for the connection sequence after X.224: versions, encryption, channels, licensing,
// Demand Active, and what the server said when it ended things (Set Error Info, MCS disconnect).
import type { RdpSummary } from '../analyze/rdp-summary.js';
import type { Style } from './style.js';

export function renderRdp(r: RdpSummary, s: Style): string[] {
  const row = (k: string, v: string | undefined): string | undefined => (v === undefined ? undefined : `               ${s.dim(k.padEnd(18))} ${v}`);
  const versions = [r.clientVersion && `client ${r.clientVersion}`, r.serverVersion && `server ${r.serverVersion}`].filter(Boolean).join(', ');
  const lines = [
    `  ${s.dim('rdp')}        ${versions || 'MCS'}${r.connectResult ? `; Connect Response ${r.connectResult.name}` : ''}`,
    row('Encryption', r.encryption && `${r.encryption.method}, ${r.encryption.level}${r.encryption.certificate ? `, ${r.encryption.certificate} certificate${r.encryption.keyBits ? ` (RSA ${r.encryption.keyBits})` : ''}` : ''}`),
    row('Channels', r.channels.length ? r.channels.map((c) => `${c.name} ${c.id}${c.joined ? '' : ' (not joined)'}`).join(', ') : undefined),
    row('Licensing', r.licensing?.summary),
    row('Demand Active', r.demandActive && `${r.demandActive.capabilities.length} capability sets${r.desktop ? `, ${r.desktop}` : ''}${r.demandActive.os ? `, ${r.demandActive.os}` : ''}`),
    ...r.setErrorInfo.map((e) => row('Set Error Info', s.red(`${e.hex} ${e.name} (${e.stage}): ${e.meaning}`))),
    row('Disconnect', r.disconnect && s.red(`MCS Disconnect Provider Ultimatum ${r.disconnect.name} (${r.disconnect.stage})`)),
    row('Encrypted', r.encryptedPdus ? `${r.encryptedPdus} PDUs not decrypted (no client random)` : undefined),
  ];
  return lines.filter((l): l is string => l !== undefined);
}
