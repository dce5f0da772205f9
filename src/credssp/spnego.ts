// SPNEGO (RFC 4178 §4.2 NegTokenInit/NegTokenResp, in the RFC 2743 §3.1 InitialContextToken) with
// MS-SPNG 2.2.1 NegTokenInit2 (negHints), and a classifier for CredSSP negoTokens (MS-CSSP 2.2.1.1).
import { ByteReader } from '../wire/reader.js';
import { DecodeError } from '../wire/errors.js';
import { defineCodes } from '../codes/table.js';
import { ctx, der, derOid, expectEnd, explicit, integer, nextIs, oid, readTlv, TAG, type Tlv } from './der.js';
import { latin1, latin1Bytes } from '../wire/text.js';

export const SPNEGO_NAME = 'SPNEGO token';

export const OID = {
  spnego: '1.3.6.1.5.5.2',
  ntlmssp: '1.3.6.1.4.1.311.2.2.10',
  kerberos: '1.2.840.113554.1.2.2',
  msKerberos: '1.2.840.48018.1.2.2',
  kerberosU2U: '1.2.840.113554.1.2.2.3',
  negoex: '1.3.6.1.4.1.311.2.2.30',
} as const;

const MECH_NAMES: Record<string, string> = {
  [OID.spnego]: 'SPNEGO',
  [OID.ntlmssp]: 'NTLMSSP',
  [OID.kerberos]: 'Kerberos 5',
  [OID.msKerberos]: 'MS Kerberos 5 (legacy OID)',
  [OID.kerberosU2U]: 'Kerberos 5 user-to-user',
  [OID.negoex]: 'NEGOEX',
};

/** 'NTLMSSP', 'Kerberos 5', ... or the OID itself. */
export function mechName(dotted: string): string {
  return MECH_NAMES[dotted] ?? dotted;
}

/** NegTokenResp negState (RFC 4178 §4.2.2). */
export const NEG_STATE = defineCodes({
  0: { name: 'accept-completed', meaning: 'The server accepted the authentication.' },
  1: { name: 'accept-incomplete', meaning: 'More tokens must be exchanged.' },
  2: { name: 'reject', meaning: 'The server rejected the authentication.' },
  3: { name: 'request-mic', meaning: 'The server asks for a mechListMIC.' },
});

export type SpnegoToken =
  | { kind: 'init'; mechTypes: string[]; mechToken?: Uint8Array; mechListMIC?: Uint8Array; hintName?: string }
  | { kind: 'resp'; negState?: number; supportedMech?: string; responseToken?: Uint8Array; mechListMIC?: Uint8Array };

const octets = (r: ByteReader, n: number, field: string): Uint8Array => explicit(r, n, TAG.octetString, field).body.rest(field).slice();

function mechTypeList(r: ByteReader): string[] {
  const list = explicit(r, 0, TAG.sequence, 'mechTypes').body;
  const out: string[] = [];
  while (list.remaining > 0) out.push(oid(readTlv(list, 'MechType', TAG.oid), 'MechType'));
  return out;
}

/** NegTokenInit; MS-SPNG NegTokenInit2 puts negHints at [3] and mechListMIC at [4]. */
function negTokenInit(r: ByteReader): SpnegoToken {
  if (!nextIs(r, ctx(0))) throw r.error('INVALID_FIELD', 'mechTypes', 'NegTokenInit without mechTypes [0]');
  const t: SpnegoToken = { kind: 'init', mechTypes: mechTypeList(r) };
  if (nextIs(r, ctx(1))) explicit(r, 1, TAG.bitString, 'reqFlags');
  if (nextIs(r, ctx(2))) t.mechToken = octets(r, 2, 'mechToken');
  if (nextIs(r, ctx(3))) {
    const w = readTlv(r, 'negHints', ctx(3)).body;
    if (nextIs(w, TAG.octetString)) t.mechListMIC = readTlv(w, 'mechListMIC', TAG.octetString).body.rest('mechListMIC').slice();
    else negHints(readTlv(w, 'negHints', TAG.sequence).body, t);
    expectEnd(w, 'negHints');
    if (t.mechListMIC === undefined && nextIs(r, ctx(4))) t.mechListMIC = octets(r, 4, 'mechListMIC');
  }
  return t;
}

/** NegHints ::= SEQUENCE { hintName [0] GeneralString OPTIONAL, hintAddress [1] OCTET STRING OPTIONAL } */
function negHints(r: ByteReader, t: { hintName?: string }): void {
  if (nextIs(r, ctx(0))) t.hintName = latin1(explicit(r, 0, TAG.generalString, 'hintName').body.rest('hintName'));
  if (nextIs(r, ctx(1))) octets(r, 1, 'hintAddress');
  expectEnd(r, 'negHints');
}

function negTokenResp(r: ByteReader): SpnegoToken {
  const t: SpnegoToken = { kind: 'resp' };
  if (nextIs(r, ctx(0))) {
    const e: Tlv = explicit(r, 0, TAG.enumerated, 'negState');
    t.negState = integer(e, 'negState', 1);
  }
  if (nextIs(r, ctx(1))) t.supportedMech = oid(explicit(r, 1, TAG.oid, 'supportedMech'), 'supportedMech');
  if (nextIs(r, ctx(2))) t.responseToken = octets(r, 2, 'responseToken');
  if (nextIs(r, ctx(3))) t.mechListMIC = octets(r, 3, 'mechListMIC');
  return t;
}


/**
 * Decodes exactly one token: a GSS-API InitialContextToken (0x60) carrying SPNEGO, or a bare
 * NegotiationToken (0xa0 NegTokenInit, 0xa1 NegTokenResp); base is the absolute offset of bytes[0].
 */
export function decodeSpnego(bytes: Uint8Array, base = 0): SpnegoToken {
  const r = new ByteReader(bytes, 'credssp', SPNEGO_NAME, base);
  let inner = r;
  if (r.peekU8() === 0x60) {
    inner = readTlv(r, 'InitialContextToken', 0x60).body;
    const mech = readTlv(inner, 'thisMech', TAG.oid);
    const name = oid(mech, 'thisMech');
    if (name !== OID.spnego) throw inner.error('UNEXPECTED_TYPE', 'thisMech', `${mechName(name)} (${name}) is not SPNEGO`, mech.at);
  }
  const at = inner.absolute;
  const choice = inner.peekU8();
  if (choice !== ctx(0) && choice !== ctx(1)) {
    throw new DecodeError({ code: choice === undefined ? 'NOT_ENOUGH_BYTES' : 'UNEXPECTED_TYPE', layer: 'credssp', pdu: SPNEGO_NAME, field: 'NegotiationToken', offset: at, reason: choice === undefined ? 'no token' : `tag 0x${choice.toString(16)} is neither NegTokenInit [0] nor NegTokenResp [1]` });
  }
  const seq = explicit(inner, choice - ctx(0), TAG.sequence, choice === ctx(0) ? 'NegTokenInit' : 'NegTokenResp').body;
  const token = choice === ctx(0) ? negTokenInit(seq) : negTokenResp(seq);
  expectEnd(seq, token.kind === 'init' ? 'NegTokenInit' : 'NegTokenResp');
  if (inner !== r) expectEnd(inner, 'InitialContextToken');
  expectEnd(r, 'SPNEGO token');
  return token;
}

/**
 * NegTokenInit is wrapped in an InitialContextToken (as clients send it); with hintName it is a
 * NegTokenInit2 (negHints [3], mechListMIC [4]). NegTokenResp is bare.
 */
export function encodeSpnego(t: SpnegoToken): Uint8Array {
  const octets = (n: number, b: Uint8Array): Uint8Array => der(ctx(n), der(TAG.octetString, b));
  if (t.kind === 'init') {
    const parts = [der(ctx(0), der(TAG.sequence, ...t.mechTypes.map(derOid)))];
    if (t.mechToken) parts.push(octets(2, t.mechToken));
    if (t.hintName !== undefined) {
      const name = latin1Bytes(t.hintName);
      parts.push(der(ctx(3), der(TAG.sequence, der(ctx(0), der(TAG.generalString, name)))));
    }
    if (t.mechListMIC) parts.push(octets(t.hintName === undefined ? 3 : 4, t.mechListMIC));
    return der(0x60, derOid(OID.spnego), der(ctx(0), der(TAG.sequence, ...parts)));
  }
  const parts: Uint8Array[] = [];
  if (t.negState !== undefined) {
    if (!Number.isInteger(t.negState) || t.negState < 0 || t.negState > 127) throw new RangeError(`negState ${t.negState}`);
    parts.push(der(ctx(0), der(TAG.enumerated, Uint8Array.of(t.negState))));
  }
  if (t.supportedMech) parts.push(der(ctx(1), derOid(t.supportedMech)));
  if (t.responseToken) parts.push(octets(2, t.responseToken));
  if (t.mechListMIC) parts.push(octets(3, t.mechListMIC));
  return der(ctx(1), der(TAG.sequence, ...parts));
}

const NTLM_SIGNATURE = [0x4e, 0x54, 0x4c, 0x4d, 0x53, 0x53, 0x50, 0x00];
/** Kerberos messages by [APPLICATION n] tag (RFC 4120 §5.4.1, §5.5, §5.9.1): AS-REQ 10, TGS-REQ 12, AP-REQ 14, AP-REP 15, KRB-ERROR 30. */
const KERBEROS_TAGS = [0x6a, 0x6c, 0x6e, 0x6f, 0x7e];
const SPNEGO_OID = [0x2b, 0x06, 0x01, 0x05, 0x05, 0x02];
const KERBEROS_OIDS = [[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02], [0x2a, 0x86, 0x48, 0x82, 0xf7, 0x12, 0x01, 0x02, 0x02]];

/** Offset just past the tag and length octets of the element at `at`, if they are there. */
function afterHeader(b: Uint8Array, at: number): number | undefined {
  const first = b[at + 1];
  if (first === undefined || first === 0x80) return undefined;
  return at + 2 + (first > 0x80 ? first & 0x7f : 0);
}

const startsWith = (b: Uint8Array, at: number, prefix: readonly number[]): boolean => prefix.every((v, i) => b[at + i] === v);

/**
 * What a CredSSP negoToken carries, from its first bytes (never throws): 'ntlm' (NTLMSSP\0, what RDP
 * clients send), 'spnego' (0xa0/0xa1, or 0x60 with the SPNEGO OID), 'kerberos' (a raw Kerberos message,
 * or 0x60 with a Kerberos OID as in RFC 4121 §4.1), else 'unknown'.
 */
export function tokenKind(bytes: Uint8Array): 'ntlm' | 'spnego' | 'kerberos' | 'unknown' {
  if (startsWith(bytes, 0, NTLM_SIGNATURE)) return 'ntlm';
  const tag = bytes[0];
  if (tag === ctx(0) || tag === ctx(1)) return 'spnego';
  const inner = tag === undefined ? undefined : afterHeader(bytes, 0);
  if (inner === undefined) return 'unknown';
  if (tag === 0x60) {
    const len = bytes[inner + 1];
    if (bytes[inner] !== TAG.oid || len === undefined) return 'unknown';
    const oidBytes = Array.from(bytes.subarray(inner + 2, inner + 2 + len));
    if (oidBytes.length === SPNEGO_OID.length && startsWith(bytes, inner + 2, SPNEGO_OID)) return 'spnego';
    return KERBEROS_OIDS.some((o) => o.length === oidBytes.length && startsWith(bytes, inner + 2, o)) ? 'kerberos' : 'unknown';
  }
  return KERBEROS_TAGS.includes(tag!) && bytes[inner] === TAG.sequence ? 'kerberos' : 'unknown';
}
