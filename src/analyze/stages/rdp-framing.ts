// Framing after X.224 ([MS-RDPBCGR] 2.2.8.1.1.1 slow-path, 2.2.8.1.2 / 2.2.9.1.2 fast-path): a TPKT
// (first byte 3), or a fast-path PDU whose first byte has action bits 0 and whose length is one byte,
// or two with the high bit set.
import { DecodeError } from '../../wire/errors.js';
import { hexN } from '../../wire/hex.js';
import { findTpktSize, TPKT_VERSION } from '../../x224/tpkt.js';

/** Smallest fast-path PDU: header byte and one length byte. */
const FASTPATH_MIN = 2;

export function isFastPath(firstByte: number): boolean {
  return (firstByte & 0x03) === 0;
}

export function frameRdp(buf: Uint8Array, base: number): number | undefined {
  const first = buf[0];
  if (first === undefined) return undefined;
  if (first === TPKT_VERSION) return findTpktSize(buf, base);
  if (!isFastPath(first)) {
    throw new DecodeError({
      code: 'UNEXPECTED_TYPE', layer: 'tpkt', pdu: 'RDP PDU', field: 'action', offset: base,
      reason: `${hexN(first)} is neither a TPKT (0x03) nor a fast-path header (action bits 0)`,
    });
  }
  const l1 = buf[1];
  if (l1 === undefined) return undefined;
  let length = l1;
  if (l1 & 0x80) {
    const l2 = buf[2];
    if (l2 === undefined) return undefined;
    length = ((l1 & 0x7f) << 8) | l2;
  }
  if (length < FASTPATH_MIN + (l1 & 0x80 ? 1 : 0)) {
    throw new DecodeError({ code: 'INVALID_FIELD', layer: 'tpkt', pdu: 'RDP fast-path PDU', field: 'length', offset: base + 1, reason: `length ${length} is shorter than its own header` });
  }
  return length;
}
