// The RDP connection-sequence facts of one connection (MCS, GCC, channels, Standard RDP Security,
// licensing, Set Error Info, Demand Active), for the JSON `rdp` object and the text block.
import { describeCode } from '../codes/table.js';
import { ERRINFO } from '../codes/index.js';
import { protocolSet } from '../x224/codes.js';
import type { TrackerEvent } from './events.js';
import { collectFacts, type Facts } from './facts.js';

export interface RdpSummary {
  clientVersion?: string;
  serverVersion?: string;
  /** the client's requested protocols as the server echoed them (server core data) */
  clientRequestedProtocols?: string[];
  connectResult?: { value: number; name: string };
  encryption?: { method: string; level: string; certificate?: 'proprietary' | 'x509'; keyBits?: number };
  /** I/O, message, user and static channels: id, name, joined (a Channel Join Confirm rt-successful) */
  channels: { id: number; name: string; joined: boolean }[];
  licensing?: { outcome: string; summary: string };
  demandActive?: { shareId: number; capabilities: string[]; os?: string };
  desktop?: string;
  setErrorInfo: { value: number; hex: string; name: string; meaning: string; stage: string }[];
  disconnect?: { reason: number; name: string; stage: string };
  /** PDUs seen encrypted and not decrypted (Standard RDP Security without the client random) */
  encryptedPdus: number;
}

export function rdpSummary(f: Facts): RdpSummary | undefined {
  const r = f.rdp;
  if (!r.all.length) return undefined;
  const s: RdpSummary = { channels: [], setErrorInfo: [], encryptedPdus: r.encrypted.length };
  const client = r.connectInitial?.value.clientData;
  if (client?.core) s.clientVersion = client.core.versionName;
  const cr = r.connectResponse?.value;
  if (cr) s.connectResult = { value: cr.result, name: cr.resultName };
  const server = cr?.serverData;
  if (server?.core) {
    s.serverVersion = server.core.versionName;
    if (server.core.clientRequestedProtocols !== undefined) s.clientRequestedProtocols = protocolSet(server.core.clientRequestedProtocols).names;
  }
  const sec = server?.security;
  if (sec) {
    const cert = sec.certificate;
    s.encryption = {
      method: sec.encryptionMethodName, level: sec.encryptionLevelName,
      ...(cert ? { certificate: cert.kind } : {}),
      ...(cert?.kind === 'proprietary' ? { keyBits: cert.publicKey.bits } : {}),
    };
  }
  const joined = new Set(r.domain.flatMap((e) => (e.value.type === 'channelJoinConfirm' && e.value.result === 0 && e.value.channelId !== undefined ? [e.value.channelId] : [])));
  const add = (id: number, name: string): void => { if (!s.channels.some((c) => c.id === id)) s.channels.push({ id, name, joined: joined.has(id) }); };
  const user = r.domain.find((e) => e.value.type === 'attachUserConfirm' && e.value.result === 0)?.value;
  if (user?.type === 'attachUserConfirm' && user.initiator !== undefined) add(user.initiator, 'user');
  if (server?.network) {
    add(server.network.mcsChannelId, 'I/O');
    server.network.channelIds.forEach((id, i) => { if (id) add(id, client?.network?.channels[i]?.name ?? `static ${i}`); });
  }
  if (server?.messageChannel) add(server.messageChannel.mcsChannelId, 'message');
  const lic = r.licensing.at(-1)?.value.outcome;
  if (lic) s.licensing = { outcome: lic.outcome, summary: lic.summary };
  const d = r.demandActive?.value;
  if (d) {
    s.demandActive = { shareId: d.shareId, capabilities: d.capabilities, ...(d.general?.osMajorTypeName ? { os: `${d.general.osMajorTypeName}/${d.general.osMinorTypeName}` } : {}) };
    if (d.bitmap) s.desktop = `${d.bitmap.desktopWidth}x${d.bitmap.desktopHeight}, ${d.bitmap.preferredBitsPerPixel} bpp`;
  }
  for (const e of r.setErrorInfo) {
    const c = describeCode(ERRINFO, e.value.errorInfo);
    s.setErrorInfo.push({ value: c.value, hex: c.hex, name: c.name, meaning: c.meaning, stage: e.stage });
  }
  const dpu = r.dpu;
  if (dpu?.value.type === 'disconnectProviderUltimatum') s.disconnect = { reason: dpu.value.reason, name: dpu.value.reasonName, stage: dpu.stage };
  return s;
}

export function rdpConnectionSummary(events: readonly TrackerEvent[]): RdpSummary | undefined {
  return rdpSummary(collectFacts(events));
}
