// Server Demand Active PDU ([MS-RDPBCGR] 2.2.1.13.1), TS_DEMAND_ACTIVE_PDU (2.2.1.13.1.1, T.128 8.4.1):
//   Share Control Header (PDUTYPE_DEMANDACTIVEPDU, version 1) | shareID u32 | lengthSourceDescriptor u16
//   | lengthCombinedCapabilities u16 | sourceDescriptor | numberCapabilities u16 | pad2Octets u16
//   | capabilitySets | sessionId u32
// lengthCombinedCapabilities counts numberCapabilities, pad2Octets and the capability sets. The
// server sends it once licensing is over; it starts the Capabilities Exchange (1.3.1.1).
import { ByteWriter } from '../wire/writer.js';
import { checkedLength, expectEnd, latin1z, rdpReader } from './common.js';
import { latin1Bytes } from '../wire/text.js';
import {
  capabilitySetSize, findCapability, readCapabilitySets, writeCapabilitySet,
  type CapabilitySet, type CapabilitySetSpec, type CapabilitySummary,
} from './capabilities.js';
import { PDUTYPE, readShareControlHeader, SHARE_CONTROL_HEADER_SIZE, writeShareControlHeader, type ShareControlHeader } from './share.js';

export const DEMAND_ACTIVE_NAME = 'Server Demand Active PDU';

export interface DemandActive {
  control: ShareControlHeader;
  shareId: number;
  lengthSourceDescriptor: number;
  lengthCombinedCapabilities: number;
  /** sourceDescriptor as text ("RDP" from Windows) */
  sourceDescriptor: string;
  numberCapabilities: number;
  pad2Octets: number;
  capabilitySets: CapabilitySet[];
  /** ignored by clients; absent when the PDU ends after the capability sets */
  sessionId?: number;
}

/** Decodes a Demand Active share PDU (from the Share Control Header; no security header). */
export function decodeDemandActive(bytes: Uint8Array, base = 0): DemandActive {
  const r = rdpReader(bytes, base, DEMAND_ACTIVE_NAME);
  const control = readShareControlHeader(r);
  if (control.type !== PDUTYPE.DEMANDACTIVEPDU) {
    throw r.error('UNEXPECTED_TYPE', 'pduType', `${control.typeName} is not PDUTYPE_DEMANDACTIVEPDU (1)`, base + 2);
  }
  if (control.totalLength !== bytes.length) {
    throw r.error('INVALID_FIELD', 'totalLength', `totalLength ${control.totalLength} but ${bytes.length} bytes`, base);
  }
  r.ensure(8, 'TS_DEMAND_ACTIVE_PDU fixed fields');
  const shareId = r.u32le('shareID');
  const srcLenAt = r.absolute;
  const lengthSourceDescriptor = r.u16le('lengthSourceDescriptor');
  const capsLenAt = r.absolute;
  const lengthCombinedCapabilities = r.u16le('lengthCombinedCapabilities');
  checkedLength(r, lengthSourceDescriptor, srcLenAt, 'lengthSourceDescriptor', 'lengthSourceDescriptor');
  const sourceDescriptor = latin1z(r.bytes(lengthSourceDescriptor, 'sourceDescriptor'));
  if (lengthCombinedCapabilities < 4) {
    throw r.error('INVALID_FIELD', 'lengthCombinedCapabilities', `${lengthCombinedCapabilities} cannot hold numberCapabilities and pad2Octets`, capsLenAt);
  }
  checkedLength(r, lengthCombinedCapabilities, capsLenAt, 'lengthCombinedCapabilities', 'lengthCombinedCapabilities');
  const caps = r.sub(lengthCombinedCapabilities, 'capabilitySets');
  const countAt = caps.absolute;
  const numberCapabilities = caps.u16le('numberCapabilities');
  const pad2Octets = caps.u16le('pad2Octets');
  const capabilitySets = readCapabilitySets(caps, numberCapabilities, countAt);
  const pdu: DemandActive = {
    control, shareId, lengthSourceDescriptor, lengthCombinedCapabilities, sourceDescriptor,
    numberCapabilities, pad2Octets, capabilitySets,
  };
  if (r.remaining > 0) {
    pdu.sessionId = r.u32le('sessionId');
    expectEnd(r, 'sessionId');
  }
  return pdu;
}

/** The summary of a capability set kind in a Demand Active, e.g. capability(pdu, 'bitmap')?.desktopWidth. */
export function capability<K extends CapabilitySummary['kind']>(pdu: { capabilitySets: readonly CapabilitySet[] }, kind: K) {
  return findCapability(pdu.capabilitySets, kind);
}

export interface DemandActiveSpec {
  shareId: number;
  /** the server channel ID, 1002 */
  pduSource?: number;
  /** "RDP" (sent with its terminating NUL) by default */
  sourceDescriptor?: string;
  capabilitySets: CapabilitySetSpec[];
  sessionId?: number;
}

/** Encodes a Demand Active share PDU (see defaultServerCapabilities for a minimal valid set). */
export function encodeDemandActive(s: DemandActiveSpec): Uint8Array {
  const src = latin1Bytes(`${s.sourceDescriptor ?? 'RDP'}\0`);
  const combined = 4 + s.capabilitySets.reduce((n, c) => n + capabilitySetSize(c), 0);
  const total = SHARE_CONTROL_HEADER_SIZE + 8 + src.length + combined + 4;
  if (total > 0xffff) throw new RangeError(`Demand Active of ${total} bytes does not fit totalLength`);
  const w = new ByteWriter(total);
  writeShareControlHeader(w, total, { type: PDUTYPE.DEMANDACTIVEPDU, pduSource: s.pduSource ?? 1002 });
  w.u32le(s.shareId).u16le(src.length).u16le(combined).bytes(src);
  w.u16le(s.capabilitySets.length).u16le(0);
  for (const c of s.capabilitySets) writeCapabilitySet(w, c);
  w.u32le(s.sessionId ?? 0);
  return w.finish();
}
