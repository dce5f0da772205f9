// The RDP connection-sequence facts of one connection (MCS, GCC, channels, Standard RDP Security,
// licensing, Set Error Info, Demand Active), for the JSON `rdp` object and the text block.
import { protocolSet } from '../x224/codes.js';
import type { ServerCertificate } from '../gcc/certificate.js';
import { bitLength, fromBigEndian } from '../rdpsec/bigint.js';
import { checkProprietarySignature } from '../rdpsec/proprietary.js';
import { rsaPublicKeyFromDer } from '../rdpsec/rsa.js';
import { parseCertificate, type CertInfo } from '../tls/x509.js';
import { DecodeError } from '../wire/errors.js';
import type { TrackerEvent } from './events.js';
import { collectFacts, type Facts } from './facts.js';

export interface RdpSummary {
  clientVersion?: string;
  serverVersion?: string;
  /** the client's requested protocols as the server echoed them (server core data) */
  clientRequestedProtocols?: string[];
  connectResult?: { value: number; name: string };
  encryption?: RdpEncryption;
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

/** Server Security Data ([MS-RDPBCGR] 2.2.1.4.3) and its server certificate (2.2.1.4.3.1). */
export interface RdpEncryption {
  method: string;
  level: string;
  certificate?: 'proprietary' | 'x509';
  /** the server's RSA key: the proprietary certificate's modulus, or the X.509 server certificate's key */
  keyBits?: number;
  /** proprietary: the Terminal Services signature (5.3.3.1.3) over the certificate checks out or not */
  signature?: 'valid' | 'invalid';
  /** why the signature is 'invalid' */
  signatureProblem?: string;
  /**
   * x509 ([MS-RDPELE] 2.2.1.4.2): the certificates that parse, leaf first as in `tls.certificate.chain`
   * (the server's certificate is the last on the wire); the same fields
   */
  chain?: CertInfo[];
  /** x509: the certificates that do not parse (left out of `chain`) */
  chainProblems?: string[];
}

/** Standard RDP Security's encryption and the server certificate it came with, as the JSON shows them. */
export function rdpEncryption(method: string, level: string, cert: ServerCertificate | undefined): RdpEncryption {
  const e: RdpEncryption = { method, level };
  if (!cert) return e;
  e.certificate = cert.kind;
  if (cert.kind === 'proprietary') {
    e.keyBits = cert.publicKey.bits;
    const check = checkProprietarySignature(cert.signedData, cert.signature);
    e.signature = check.ok ? 'valid' : 'invalid';
    if (!check.ok) e.signatureProblem = check.reason;
    return e;
  }
  const n = cert.chain.length;
  const chain: CertInfo[] = [];
  const problems: string[] = [];
  let leafParsed = false;
  // wire order is root first, the server's certificate last; like the TLS chain, report it first
  for (let i = n - 1; i >= 0; i--) {
    try {
      chain.push(parseCertificate(cert.chain[i]!));
      if (i === n - 1) leafParsed = true;
    } catch (err) {
      // as the TLS certificate check: a certificate that does not parse is named, never thrown
      const why = err instanceof DecodeError ? `${err.field} at byte ${err.offset}: ${err.reason}` : String(err);
      problems.push(`certificate ${i + 1} of ${n}${i === n - 1 ? " (the server's)" : ''} does not parse: ${why}`);
    }
  }
  e.chain = chain;
  if (problems.length) e.chainProblems = problems;
  // the key the client encrypts its random with (5.3.4.1): Terminal Services certificates may label it
  // md5WithRSAEncryption, which the X.509 summary does not take for an RSA key (its keyBits 0)
  const bits = leafParsed && chain[0]!.keyBits ? chain[0]!.keyBits : serverKeyBits(cert.chain[n - 1]);
  if (bits) e.keyBits = bits;
  return e;
}

function serverKeyBits(der: Uint8Array | undefined): number | undefined {
  if (!der) return undefined;
  try {
    return bitLength(fromBigEndian(rsaPublicKeyFromDer(der).modulus));
  } catch {
    return undefined; // no RSA key this decoder takes: no size to show
  }
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
  if (sec) s.encryption = rdpEncryption(sec.encryptionMethodName, sec.encryptionLevelName, sec.certificate);
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
    const c = e.value.error; // the stage described errorInfo already (describeErrorInfo)
    s.setErrorInfo.push({ value: c.value, hex: c.hex, name: c.name, meaning: c.meaning, stage: e.stage });
  }
  const dpu = r.dpu;
  if (dpu?.value.type === 'disconnectProviderUltimatum') s.disconnect = { reason: dpu.value.reason, name: dpu.value.reasonName, stage: dpu.stage };
  return s;
}

export function rdpConnectionSummary(events: readonly TrackerEvent[]): RdpSummary | undefined {
  return rdpSummary(collectFacts(events));
}
