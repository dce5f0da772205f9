// Is a first client payload an RDP X.224 Connection Request? TPKT (RFC 1006 §6), X.224 CR TPDU
// (ITU-T X.224 §13.3), and the RDP variable part (MS-RDPBCGR 2.2.1.1: cookie or routing token,
// then RDP_NEG_REQ).

const TPKT_AND_CR = 4 + 7;
const COOKIE = [0x43, 0x6f, 0x6f, 0x6b, 0x69, 0x65, 0x3a, 0x20]; // "Cookie: "
const TYPE_RDP_NEG_REQ = 0x01;

/** TPKT version 3 carrying an X.224 Connection Request (code 0xE0): the shape of any COTP CR. */
export function isX224ConnectionRequest(p: Uint8Array): boolean {
  if (p.length < TPKT_AND_CR || p[0] !== 3 || p[1] !== 0) return false;
  const length = (p[2]! << 8) | p[3]!;
  return length >= TPKT_AND_CR && (p[5]! & 0xf0) === 0xe0;
}

/**
 * A CR that is RDP and not another COTP user (S7comm, MMS, ... on port 102 send CRs carrying TSAP
 * parameters). Required on ports not known to be RDP: a consistent length indicator, and after the
 * 7-byte X.224 header either nothing at all (the oldest clients), a "Cookie: " line (mstshash= or a
 * routing token), or an RDP_NEG_REQ (type 1, length 8).
 */
export function isRdpConnectionRequest(p: Uint8Array): boolean {
  if (!isX224ConnectionRequest(p)) return false;
  const length = (p[2]! << 8) | p[3]!;
  if (p[4] !== length - 5) return false;
  if (length === TPKT_AND_CR) return true;
  const rest = p.subarray(TPKT_AND_CR, Math.min(length, p.length));
  if (COOKIE.every((b, i) => rest[i] === b)) return true;
  return rest.length >= 8 && rest[0] === TYPE_RDP_NEG_REQ && rest[2] === 8 && rest[3] === 0;
}
