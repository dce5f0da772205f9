// RDP negotiation structures carried in the X.224 CR/CC user data ([MS-RDPBCGR] 2.2.1.1.1,
// 2.2.1.1.2, 2.2.1.2.1, 2.2.1.2.2). All fields little-endian; each structure is type|flags|length.
import { ByteReader } from '../wire/reader.js';
import { ByteWriter } from '../wire/writer.js';

export const NEG_TYPE = { REQ: 0x01, RSP: 0x02, FAILURE: 0x03, CORRELATION_INFO: 0x06 } as const;
export const NEG_SIZE = 8;
export const CORRELATION_INFO_SIZE = 36;

export interface NegRequest { flags: number; requestedProtocols: number }
export interface NegResponse { flags: number; selectedProtocol: number }
export interface NegFailure { flags: number; failureCode: number }
export interface CorrelationInfo { flags: number; correlationId: Uint8Array }

function header(r: ByteReader, type: number, size: number, name: string): number {
  r.ensure(4, `${name} header`);
  const typeAt = r.absolute;
  const t = r.u8('type');
  if (t !== type) throw r.error('UNEXPECTED_TYPE', 'type', `expected ${type}, got ${t}`, typeAt);
  const flags = r.u8('flags');
  const lenAt = r.absolute;
  const length = r.u16le('length');
  if (length !== size) throw r.error('INVALID_FIELD', 'length', `${name} length must be ${size}, got ${length}`, lenAt);
  r.ensure(size - 4, name);
  return flags;
}

export function decodeNegRequest(r: ByteReader): NegRequest {
  const flags = header(r, NEG_TYPE.REQ, NEG_SIZE, 'RDP_NEG_REQ');
  return { flags, requestedProtocols: r.u32le('requestedProtocols') };
}

export function decodeNegResponse(r: ByteReader): NegResponse {
  const flags = header(r, NEG_TYPE.RSP, NEG_SIZE, 'RDP_NEG_RSP');
  return { flags, selectedProtocol: r.u32le('selectedProtocol') };
}

export function decodeNegFailure(r: ByteReader): NegFailure {
  const flags = header(r, NEG_TYPE.FAILURE, NEG_SIZE, 'RDP_NEG_FAILURE');
  return { flags, failureCode: r.u32le('failureCode') };
}

export function decodeCorrelationInfo(r: ByteReader): CorrelationInfo {
  const flags = header(r, NEG_TYPE.CORRELATION_INFO, CORRELATION_INFO_SIZE, 'RDP_NEG_CORRELATION_INFO');
  const correlationId = r.bytes(16, 'correlationId').slice();
  r.skip(16, 'reserved');
  return { flags, correlationId };
}

function encodeNeg(w: ByteWriter, type: number, flags: number, value: number): void {
  w.u8(type).u8(flags).u16le(NEG_SIZE).u32le(value);
}

export function encodeNegRequest(w: ByteWriter, n: NegRequest): void {
  encodeNeg(w, NEG_TYPE.REQ, n.flags, n.requestedProtocols);
}

export function encodeNegResponse(w: ByteWriter, n: NegResponse): void {
  encodeNeg(w, NEG_TYPE.RSP, n.flags, n.selectedProtocol);
}

export function encodeNegFailure(w: ByteWriter, n: NegFailure): void {
  encodeNeg(w, NEG_TYPE.FAILURE, n.flags, n.failureCode);
}

export function encodeCorrelationInfo(w: ByteWriter, c: CorrelationInfo): void {
  w.u8(NEG_TYPE.CORRELATION_INFO).u8(c.flags).u16le(CORRELATION_INFO_SIZE);
  w.bytes(c.correlationId).bytes(new Uint8Array(16));
}
