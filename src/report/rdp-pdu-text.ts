// Timeline lines for the MCS and RDP PDUs after X.224 (names in src/analyze/stages/rdp-common.ts).
import { RDP_PDU } from '../analyze/stages/rdp-common.js';
import type { ConnectInitialValue, ConnectResponseValue, DemandActiveValue, EncryptedValue, LicensingValue, SetErrorInfoValue } from '../analyze/rdp-facts.js';
import { DOMAIN_PDU_NAME, type DomainPdu } from '../mcs/index.js';
import type { ClientInfo } from '../rdp/index.js';
import { hex32 } from '../wire/hex.js';

const dec = (v: { decrypted?: boolean }): string => (v.decrypted ? ' (decrypted)' : '');

function connectInitial(v: ConnectInitialValue): string {
  const c = v.clientData;
  const parts = [c.core?.versionName, c.core && `${c.core.desktopWidth}x${c.core.desktopHeight}`, c.core?.clientName && `client "${c.core.clientName}"`];
  if (c.security) parts.push(`encryption methods ${hex32(c.security.encryptionMethods)}`);
  const ch = c.network?.channels.map((x) => x.name) ?? [];
  parts.push(ch.length ? `channels ${ch.join(', ')}` : 'no static channels');
  return parts.filter(Boolean).join(', ');
}

function connectResponse(v: ConnectResponseValue): string {
  if (v.result !== 0) return `result ${v.resultName} (${v.result})`;
  const s = v.serverData;
  const parts = [`result ${v.resultName}`, s?.core?.versionName && `server ${s.core.versionName}`];
  if (s?.security) parts.push(`${s.security.encryptionMethodName}/${s.security.encryptionLevelName}${s.security.certificate ? `, ${s.security.certificate.kind} certificate` : ''}`);
  if (s?.network) parts.push(`I/O channel ${s.network.mcsChannelId}${s.network.channelIds.length ? `, static ${s.network.channelIds.join(', ')}` : ''}`);
  if (s?.messageChannel) parts.push(`message channel ${s.messageChannel.mcsChannelId}`);
  return parts.filter(Boolean).join(', ');
}

function domain(d: DomainPdu): string {
  switch (d.type) {
    case 'attachUserConfirm': return `${d.resultName}${d.initiator !== undefined ? `, user channel ${d.initiator}` : ''}`;
    case 'channelJoinRequest': return `channel ${d.channelId} (user ${d.initiator})`;
    case 'channelJoinConfirm': return `channel ${d.requested}: ${d.resultName}`;
    case 'erectDomainRequest': return `subHeight ${d.subHeight}, subInterval ${d.subInterval}${d.nonStandard ? `: ${d.nonStandard}` : ''}`;
    case 'disconnectProviderUltimatum': return `reason ${d.reasonName} (${d.reason})`;
    default: return '';
  }
}

function clientInfo(v: { info: ClientInfo; decrypted: boolean }): string {
  const i = v.info;
  const who = [i.domain, i.userName].filter(Boolean).join('\\') || 'no user name';
  return `${who}, ${i.hasPassword ? `a ${i.passwordLength}-byte password (autologon)` : 'no password'}${dec(v)}`;
}

export const RDP_DESCRIBE: Record<string, (v: never) => string> = {
  [RDP_PDU.connectInitial]: (v: ConnectInitialValue) => connectInitial(v),
  [RDP_PDU.connectResponse]: (v: ConnectResponseValue) => connectResponse(v),
  ...Object.fromEntries(Object.values(DOMAIN_PDU_NAME).map((n) => [n, (d: DomainPdu) => domain(d)])),
  [RDP_PDU.disconnectProviderUltimatum]: (d: DomainPdu) => domain(d),
  [RDP_PDU.securityExchange]: (v: { encryptedRandomLength: number }) => `encrypted client random, ${v.encryptedRandomLength} bytes`,
  [RDP_PDU.clientInfo]: (v: { info: ClientInfo; decrypted: boolean }) => clientInfo(v),
  [RDP_PDU.licensing]: (v: LicensingValue) => `${v.outcome.summary}${dec(v)}`,
  [RDP_PDU.demandActive]: (v: DemandActiveValue) => [`share ${hex32(v.shareId)}`, `${v.capabilities.length} capability sets`, v.bitmap && `${v.bitmap.desktopWidth}x${v.bitmap.desktopHeight} ${v.bitmap.preferredBitsPerPixel} bpp`, v.general?.osMajorTypeName].filter(Boolean).join(', ') + dec(v),
  [RDP_PDU.setErrorInfo]: (v: SetErrorInfoValue) => `${hex32(v.errorInfo)} ${v.error.name}: ${v.error.meaning}${dec(v)}`,
  [RDP_PDU.dataPdu]: (v: { pduType2Name: string; decrypted?: boolean }) => `${v.pduType2Name}${dec(v)}`,
  [RDP_PDU.sharePdu]: (v: { typeName?: string; kind?: string; decrypted?: boolean }) => `${v.typeName ?? v.kind ?? ''}${dec(v)}`,
  [RDP_PDU.encrypted]: (v: EncryptedValue) => `${v.length} bytes, ${v.flagNames.join('|') || 'no flags'}${v.likely ? `: ${v.likely}` : ''} (no keys: contents not visible)`,
  [RDP_PDU.channelData]: (v: { channel: string; length: number; decrypted?: boolean }) => `${v.channel}: ${v.length} bytes${dec(v)}`,
  [RDP_PDU.messageChannel]: (v: { flagNames: string[]; length: number }) => `${v.length} bytes, ${v.flagNames.join('|')}`,
  [RDP_PDU.fastPath]: (v: { encrypted: boolean; length: number }) => `${v.length} bytes${v.encrypted ? ', encrypted' : ''}`,
};
