// --enumerate-rdp-security: which Standard RDP Security encryption methods the server accepts
// ([MS-RDPBCGR] 2.2.1.3.3 encryptionMethods, 2.2.1.4.3 Server Security Data, 5.3.2 levels). One
// connection per method, each requesting PROTOCOL_RDP and offering that method alone, stopping at the
// MCS Connect Response. Unlike nmap's rdp-enum-encryption, a method counts as accepted only when the
// server's Security Data selects it; a server that picks another one, refuses or closes says so.
import { probe, type ProbeOptions, type ProbeResult } from './live.js';
import { RDP_PDU } from '../analyze/stages/rdp-common.js';
import type { ConnectResponseValue } from '../analyze/rdp-facts.js';
import { CONNECTION_CONFIRM_NAME, type ConnectionConfirm } from '../x224/connection-confirm.js';
import { describeFailureCode, protocolName } from '../x224/codes.js';
import { ENCRYPTION_METHOD } from '../rdp/security-header.js';

/** The methods a client can offer ([MS-RDPBCGR] 2.2.1.3.3; each flag equals its method's value), weakest first. */
export const RDP_METHODS = [
  { name: '40-bit RC4', flag: ENCRYPTION_METHOD.BIT_40 },
  { name: '56-bit RC4', flag: ENCRYPTION_METHOD.BIT_56 },
  { name: '128-bit RC4', flag: ENCRYPTION_METHOD.BIT_128 },
  { name: 'FIPS 3DES', flag: ENCRYPTION_METHOD.FIPS },
] as const;

export interface MethodResult {
  method: string;
  offered: number;
  accepted: boolean;
  /** the server's answer in words */
  answer: string;
  selectedMethod?: string;
  level?: string;
}

export interface RdpSecurityEnumeration {
  /** set when the X.224 exchange did not select Standard RDP Security */
  refusedAtX224?: string;
  methods: MethodResult[];
  /** the level the server reported (the same for every accepted method) */
  level?: string;
  connections: number;
  durationMs: number;
}

function x224Refusal(r: ProbeResult): string | undefined {
  const cc = r.events.find((e) => e.type === 'pdu' && e.name === CONNECTION_CONFIRM_NAME);
  if (cc?.type !== 'pdu') return `no Connection Confirm: ${r.verdict.summary}`;
  const neg = (cc.value as ConnectionConfirm).negotiation;
  if (neg?.type === 'failure') return `RDP_NEG_FAILURE ${describeFailureCode(neg.failureCode).name} (${neg.failureCode})`;
  if (neg?.type === 'response' && neg.selectedProtocol !== 0) return `the server selected ${protocolName(neg.selectedProtocol)}`;
  return undefined;
}

function result(m: (typeof RDP_METHODS)[number], r: ProbeResult): MethodResult {
  const base = { method: m.name, offered: m.flag };
  const cr = r.events.find((e) => e.type === 'pdu' && e.name === RDP_PDU.connectResponse);
  if (cr?.type !== 'pdu') return { ...base, accepted: false, answer: `no Connect Response: ${r.verdict.summary}` };
  const v = cr.value as ConnectResponseValue;
  if (v.result !== 0) return { ...base, accepted: false, answer: `Connect Response ${v.resultName}` };
  const sec = v.serverData?.security;
  if (!sec) return { ...base, accepted: false, answer: 'Connect Response without Server Security Data' };
  const out = { ...base, selectedMethod: sec.encryptionMethodName, level: sec.encryptionLevelName };
  if (sec.encryptionMethod === m.flag) return { ...out, accepted: true, answer: `selected ${sec.encryptionMethodName} at ${sec.encryptionLevelName}` };
  return { ...out, accepted: false, answer: `the server selected ${sec.encryptionMethodName} instead` };
}

export async function enumerateRdpSecurity(base: Omit<ProbeOptions, 'requestedProtocols'>): Promise<RdpSecurityEnumeration> {
  const started = performance.now();
  const methods: MethodResult[] = [];
  let connections = 0;
  for (const m of RDP_METHODS) {
    const r = await probe({ ...base, noMcs: false, requestedProtocols: 0, encryptionMethods: m.flag, stopAfterConnect: true });
    connections += r.connections;
    const refused = x224Refusal(r);
    if (refused) return { refusedAtX224: refused, methods, connections, durationMs: performance.now() - started };
    methods.push(result(m, r));
  }
  const level = methods.find((x) => x.accepted)?.level;
  return { methods, ...(level ? { level } : {}), connections, durationMs: performance.now() - started };
}
