// The MCS and RDP PDUs of one connection, for the rules of rows 26-33 and the rdp summary.
import type { DomainPdu } from '../mcs/index.js';
import type { ClientData, ServerData } from '../gcc/index.js';
import type { ClientInfo } from '../rdp/index.js';
import type { LicensingOutcome } from '../licensing/index.js';
import type { CodeDescription } from '../codes/table.js';
import type { PduEvent } from './events.js';
import { RDP_PDU } from './stages/rdp-common.js';

export interface ConnectInitialValue { clientData: ClientData }
export interface ConnectResponseValue { result: number; resultName: string; serverData?: ServerData }
export interface LicensingValue {
  msgType: number; kind: string; outcome: LicensingOutcome; decrypted: boolean;
  /** server PDUs: the licensing PDU (preamble and message) in the clear, and its stream offset */
  plaintext?: Uint8Array; plaintextOffset?: number;
}
export interface SetErrorInfoValue { errorInfo: number; error: CodeDescription; decrypted: boolean }
export interface EncryptedValue { what: string; flags: number; flagNames: string[]; length: number; /** what the PDU must be by its place in the sequence (no keys) */ likely?: string }
export interface DemandActiveValue {
  shareId: number; sourceDescriptor: string; sessionId?: number; capabilities: string[];
  general?: { osMajorTypeName?: string; osMinorTypeName?: string; protocolVersion?: number };
  bitmap?: { desktopWidth: number; desktopHeight: number; preferredBitsPerPixel: number };
  decrypted: boolean;
}

export interface RdpFacts {
  connectInitial?: PduEvent<ConnectInitialValue>;
  connectResponse?: PduEvent<ConnectResponseValue>;
  /** every DomainMCSPDU but Send Data, in order */
  domain: PduEvent<DomainPdu>[];
  dpu?: PduEvent<DomainPdu & { type: 'disconnectProviderUltimatum' }>;
  securityExchange?: PduEvent;
  clientInfo?: PduEvent<{ info: ClientInfo; decrypted: boolean }>;
  licensing: PduEvent<LicensingValue>[];
  demandActive?: PduEvent<DemandActiveValue>;
  setErrorInfo: PduEvent<SetErrorInfoValue>[];
  encrypted: PduEvent<EncryptedValue>[];
  /** every MCS/RDP PDU, in order (for "the last PDU before the close") */
  all: PduEvent[];
}

export function rdpFacts(): RdpFacts {
  return { domain: [], licensing: [], setErrorInfo: [], encrypted: [], all: [] };
}

const MCS_PREFIX = 'MCS ';
const RDP_PREFIX = 'RDP ';

/** Records e when it is an MCS or RDP PDU; false otherwise. */
export function rdpFact(r: RdpFacts, e: PduEvent): boolean {
  if (!e.name.startsWith(MCS_PREFIX) && !e.name.startsWith(RDP_PREFIX)) return false;
  r.all.push(e);
  switch (e.name) {
    case RDP_PDU.connectInitial: r.connectInitial ??= e as PduEvent<ConnectInitialValue>; break;
    case RDP_PDU.connectResponse: r.connectResponse ??= e as PduEvent<ConnectResponseValue>; break;
    case RDP_PDU.securityExchange: r.securityExchange ??= e; break;
    case RDP_PDU.clientInfo: r.clientInfo ??= e as PduEvent<{ info: ClientInfo; decrypted: boolean }>; break;
    case RDP_PDU.licensing: r.licensing.push(e as PduEvent<LicensingValue>); break;
    case RDP_PDU.demandActive: r.demandActive ??= e as PduEvent<DemandActiveValue>; break;
    case RDP_PDU.setErrorInfo: r.setErrorInfo.push(e as PduEvent<SetErrorInfoValue>); break;
    case RDP_PDU.encrypted: r.encrypted.push(e as PduEvent<EncryptedValue>); break;
    default: {
      const v = e.value as Partial<DomainPdu> | undefined;
      if (e.name.startsWith(MCS_PREFIX) && v && typeof v === 'object' && 'type' in v && v.type) {
        r.domain.push(e as PduEvent<DomainPdu>);
        if (v.type === 'disconnectProviderUltimatum' && e.dir === 's2c') r.dpu ??= e as PduEvent<DomainPdu & { type: 'disconnectProviderUltimatum' }>;
      }
    }
  }
  return true;
}
