// TPKT + X.224 Data TPDU around an MCS PDU ([MS-RDPBCGR] 2.2.1.3-2.2.1.9: tpktHeader, then
// x224Data 02 f0 80 = LI 2, DT, EOT), the framing every slow-path PDU after the X.224 handshake uses.
import { ByteWriter } from '../wire/writer.js';
import { decodeDataTpdu, decodeX224Frame, TPDU_CODE } from '../x224/tpdu.js';
import { encodeTpktHeader, TPKT_HEADER_SIZE } from '../x224/tpkt.js';

/** TPKT (4) + X.224 DT header (3). */
export const X224_DATA_HEADER_SIZE = TPKT_HEADER_SIZE + 3;
/** The largest payload one TPKT can carry. */
export const MAX_X224_DATA_PAYLOAD = 0xffff - X224_DATA_HEADER_SIZE;

/** One TPKT holding one X.224 Data TPDU (EOT set) with payload as its user data. */
export function encodeX224Data(payload: Uint8Array): Uint8Array {
  if (payload.length > MAX_X224_DATA_PAYLOAD) {
    throw new RangeError(`X.224 Data payload of ${payload.length} bytes exceeds ${MAX_X224_DATA_PAYLOAD}`);
  }
  const w = new ByteWriter(X224_DATA_HEADER_SIZE + payload.length);
  encodeTpktHeader(w, X224_DATA_HEADER_SIZE + payload.length);
  w.u8(2).u8(TPDU_CODE.DT).u8(0x80).bytes(payload);
  return w.finish();
}

export interface X224Data {
  /** end of TSDU; false when the MCS PDU continues in the next TPDU */
  eot: boolean;
  /** the MCS PDU (a copy) */
  payload: Uint8Array;
  /** absolute offset of payload[0], to pass as `base` to the MCS decoders */
  payloadOffset: number;
}

/**
 * The MCS PDU inside one complete TPKT holding an X.224 Data TPDU. Errors are DecodeErrors of layer
 * 'tpkt' or 'x224' (wrong TPKT, a TPDU other than DT, LI other than 2).
 */
export function decodeX224Data(bytes: Uint8Array, base = 0): X224Data {
  const frame = decodeX224Frame(bytes, base, 'X.224 Data');
  if (frame.kind !== 'DT') {
    throw frame.rest.error('UNEXPECTED_TYPE', 'code', `expected DT (0xf0), got 0x${frame.codeByte.toString(16)}`, base + TPKT_HEADER_SIZE + 1);
  }
  const { eot, userData } = decodeDataTpdu(frame);
  return { eot, payload: userData, payloadOffset: base + X224_DATA_HEADER_SIZE };
}
