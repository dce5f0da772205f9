// Client X.224 Connection Request PDU ([MS-RDPBCGR] 2.2.1.1):
//   TPKT | X.224 CR (LI, 0xE0, DST-REF, SRC-REF, class) | routingToken or cookie (CR LF terminated)
//   | RDP_NEG_REQ (optional) | RDP_NEG_CORRELATION_INFO (optional)
import { ByteWriter } from '../wire/writer.js';
import {
  CONNECTION_TPDU_FIXED, decodeConnectionTpdu, encodeConnectionTpdu, TPDU_CODE,
  type ConnectionHeader,
} from './tpdu.js';
import { TPKT_HEADER_SIZE } from './tpkt.js';
import {
  CORRELATION_INFO_SIZE, decodeCorrelationInfo, decodeNegRequest, encodeCorrelationInfo, encodeNegRequest,
  NEG_SIZE, NEG_TYPE, type CorrelationInfo, type NegRequest,
} from './negotiation.js';
import { latin1, latin1Bytes } from '../wire/text.js';

export const CONNECTION_REQUEST_NAME = 'Client X.224 Connection Request';
const COOKIE_PREFIX = 'Cookie: mstshash=';
/** longest cookie/routing-token line accepted (Windows truncates cookies to 9 characters; tokens are short) */
export const MAX_TOKEN_LINE = 1024;

export interface ConnectionRequest {
  header: ConnectionHeader;
  /** IDENTIFIER from "Cookie: mstshash=IDENTIFIER" */
  cookie?: string;
  /** any other CR LF terminated token (e.g. a load-balancer "Cookie: msts=..." routing token) */
  routingToken?: string;
  negotiation?: NegRequest;
  correlation?: CorrelationInfo;
}

export function decodeConnectionRequest(bytes: Uint8Array, base = 0): ConnectionRequest {
  const { header, rest: r } = decodeConnectionTpdu(bytes, base, CONNECTION_REQUEST_NAME, 'CR');
  const req: ConnectionRequest = { header };

  if (r.remaining > 0 && r.peekU8() !== NEG_TYPE.REQ) {
    const at = r.absolute;
    const rest = r.peekRest();
    const limit = Math.min(rest.length, MAX_TOKEN_LINE);
    let end = -1;
    for (let i = 0; i + 1 < limit; i++) if (rest[i] === 0x0d && rest[i + 1] === 0x0a) { end = i; break; }
    if (end < 0) throw r.error('INVALID_FIELD', 'cookie', 'cookie or routing token has no CR LF terminator', at);
    const line = latin1(r.bytes(end, 'cookie'));
    r.skip(2, 'CR LF');
    if (line.startsWith(COOKIE_PREFIX)) req.cookie = line.slice(COOKIE_PREFIX.length);
    else req.routingToken = line;
  }
  if (r.remaining > 0) {
    req.negotiation = decodeNegRequest(r);
    if (r.remaining > 0) req.correlation = decodeCorrelationInfo(r);
  }
  if (r.remaining > 0) {
    throw r.error('INVALID_FIELD', 'trailing data', `${r.remaining} unexpected bytes after the request`);
  }
  return req;
}

function tokenLine(req: ConnectionRequest): Uint8Array | undefined {
  if (req.cookie !== undefined) return latin1Bytes(`${COOKIE_PREFIX}${req.cookie}\r\n`);
  if (req.routingToken !== undefined) return latin1Bytes(`${req.routingToken}\r\n`);
  return undefined;
}

function bodySize(req: ConnectionRequest, token: Uint8Array | undefined): number {
  return (token?.length ?? 0) + (req.negotiation ? NEG_SIZE : 0) + (req.correlation ? CORRELATION_INFO_SIZE : 0);
}

export function sizeConnectionRequest(req: ConnectionRequest): number {
  return TPKT_HEADER_SIZE + CONNECTION_TPDU_FIXED + bodySize(req, tokenLine(req));
}

export function encodeConnectionRequest(req: ConnectionRequest): Uint8Array {
  const token = tokenLine(req);
  const w = new ByteWriter(sizeConnectionRequest(req));
  encodeConnectionTpdu(w, TPDU_CODE.CR, req.header, bodySize(req, token));
  if (token) w.bytes(token);
  if (req.negotiation) encodeNegRequest(w, req.negotiation);
  if (req.correlation) encodeCorrelationInfo(w, req.correlation);
  return w.finish();
}
