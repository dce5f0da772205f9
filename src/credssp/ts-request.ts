// CredSSP TSRequest and NegoData (MS-CSSP 2.2.1, 2.2.1.1), DER-encoded (MS-CSSP 2.2), versions 2-6.
import { ByteReader } from '../wire/reader.js';
import { DecodeError } from '../wire/errors.js';
import { ctx, der, derInteger, expectEnd, explicit, integer, readTlv, TAG } from './der.js';
import { DEFAULT_LIMITS } from '../limits.js';

export const TS_REQUEST_NAME = 'CredSSP TSRequest';

export interface TsRequest {
  /** a peer may send any value; 2-6 are defined (MS-CSSP 2.2.1) */
  version: number;
  negoTokens?: Uint8Array[];
  authInfo?: Uint8Array;
  pubKeyAuth?: Uint8Array;
  /** NTSTATUS (or SSPI HRESULT) as an unsigned 32-bit value; v3+ */
  errorCode?: number;
  /** v5+ */
  clientNonce?: Uint8Array;
}

/** Default upper bound for one TSRequest, limit tsrequest-bytes (a Kerberos ticket with a large PAC stays well below). */
export const TS_REQUEST_MAX_SIZE = DEFAULT_LIMITS['tsrequest-bytes'];

const FIELDS = ['version', 'negoTokens', 'authInfo', 'pubKeyAuth', 'errorCode', 'clientNonce'] as const;

function fail(code: DecodeError['code'], field: string, offset: number, reason: string): DecodeError {
  return new DecodeError({ code, layer: 'credssp', pdu: TS_REQUEST_NAME, field, offset, reason });
}

/**
 * Size of the DER TSRequest at buf[0] (tag 0x30 + definite length), or undefined while the length
 * octets are incomplete. Throws when buf[0] is not 0x30, the length is indefinite, or the total
 * exceeds maxSize.
 */
export function findTsRequestSize(buf: Uint8Array, base = 0, maxSize = TS_REQUEST_MAX_SIZE): number | undefined {
  const tag = buf[0];
  if (tag === undefined) return undefined;
  if (tag !== TAG.sequence) throw fail('UNEXPECTED_TYPE', 'TSRequest', base, `tag 0x${tag.toString(16).padStart(2, '0')}, a TSRequest starts with 0x30`);
  const first = buf[1];
  if (first === undefined) return undefined;
  if (first === 0x80) throw fail('INVALID_FIELD', 'TSRequest length', base + 1, 'indefinite length (BER, not DER)');
  let length = first;
  let header = 2;
  if (first > 0x80) {
    const n = first & 0x7f;
    if (n > 4) throw fail('LIMIT_EXCEEDED', 'TSRequest length', base + 1, `${n} length octets`);
    if (buf.length < 2 + n) return undefined;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[2 + i]!;
    header += n;
  }
  if (header + length > maxSize) {
    throw fail('LIMIT_EXCEEDED', 'TSRequest length', base + 1, `${header + length} bytes exceed ${maxSize}`);
  }
  return header + length;
}

function negoData(r: ByteReader): Uint8Array[] {
  const list = readTlv(r, 'negoTokens', TAG.sequence).body;
  const tokens: Uint8Array[] = [];
  while (list.remaining > 0) {
    const item = readTlv(list, 'NegoData item', TAG.sequence).body;
    tokens.push(explicit(item, 0, TAG.octetString, 'negoToken').body.rest('negoToken').slice());
    expectEnd(item, 'NegoData item');
  }
  return tokens;
}

/** errorCode as sent: a signed 32-bit INTEGER, or unsigned (5 octets, the first 0x00); → uint32. */
function errorCode(r: ByteReader): number {
  const t = explicit(r, 4, TAG.integer, 'errorCode');
  const v = integer(t, 'errorCode', 5);
  if (v < -0x80000000 || v > 0xffffffff) throw fail('UNSUPPORTED_VALUE', 'errorCode', t.at, `${v} is not a 32-bit status`);
  return v >>> 0;
}

/** Decodes exactly one TSRequest; base is the absolute offset of bytes[0]. */
export function decodeTsRequest(bytes: Uint8Array, base = 0): TsRequest {
  const r = new ByteReader(bytes, 'credssp', TS_REQUEST_NAME, base);
  const seq = readTlv(r, 'TSRequest', TAG.sequence).body;
  expectEnd(r, 'TSRequest');
  const out: Partial<TsRequest> = {};
  let last = -1;
  while (seq.remaining > 0) {
    const at = seq.absolute;
    const tag = seq.peekU8()!;
    const n = tag - ctx(0);
    if (n < 0 || n >= FIELDS.length) throw fail('UNEXPECTED_TYPE', 'TSRequest', at, `tag 0x${tag.toString(16)} is not a TSRequest field [0]..[5]`);
    if (n <= last) throw fail('INVALID_FIELD', FIELDS[n]!, at, `[${n}] after [${last}] (fields must be in ascending order, once)`);
    last = n;
    switch (n) {
      case 0: {
        const t = explicit(seq, 0, TAG.integer, 'version');
        const v = integer(t, 'version', 4);
        if (v < 0) throw fail('INVALID_FIELD', 'version', t.at, `negative version ${v}`);
        out.version = v;
        break;
      }
      case 1: {
        const wrapper = readTlv(seq, 'negoTokens', ctx(1)).body;
        out.negoTokens = negoData(wrapper);
        expectEnd(wrapper, 'negoTokens');
        break;
      }
      case 2: out.authInfo = explicit(seq, 2, TAG.octetString, 'authInfo').body.rest('authInfo').slice(); break;
      case 3: out.pubKeyAuth = explicit(seq, 3, TAG.octetString, 'pubKeyAuth').body.rest('pubKeyAuth').slice(); break;
      case 4: out.errorCode = errorCode(seq); break;
      default: out.clientNonce = explicit(seq, 5, TAG.octetString, 'clientNonce').body.rest('clientNonce').slice();
    }
  }
  if (out.version === undefined) throw fail('INVALID_FIELD', 'version', base, 'the mandatory version [0] is missing');
  return out as TsRequest;
}

const octets = (n: number, b: Uint8Array): Uint8Array => der(ctx(n), der(TAG.octetString, b));

/**
 * DER TSRequest. errorCode is written as a signed 32-bit INTEGER (0xC000006D → 02 04 C0 00 00 6D), the
 * form Wireshark's credssp dissector shows; throws RangeError for a version outside 0..2^31-1.
 */
export function encodeTsRequest(t: TsRequest): Uint8Array {
  if (!Number.isInteger(t.version) || t.version < 0 || t.version > 0x7fffffff) throw new RangeError(`TSRequest version ${t.version}`);
  if (t.errorCode !== undefined && (!Number.isInteger(t.errorCode) || t.errorCode < 0 || t.errorCode > 0xffffffff)) {
    throw new RangeError(`errorCode ${t.errorCode} is not a uint32`);
  }
  const parts = [der(ctx(0), derInteger(t.version))];
  if (t.negoTokens) {
    const items = t.negoTokens.map((tok) => der(TAG.sequence, octets(0, tok)));
    parts.push(der(ctx(1), der(TAG.sequence, ...items)));
  }
  if (t.authInfo) parts.push(octets(2, t.authInfo));
  if (t.pubKeyAuth) parts.push(octets(3, t.pubKeyAuth));
  if (t.errorCode !== undefined) parts.push(der(ctx(4), derInteger(t.errorCode | 0)));
  if (t.clientNonce) parts.push(octets(5, t.clientNonce));
  return der(TAG.sequence, ...parts);
}
