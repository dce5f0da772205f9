// CredSSP stage on the inner lane (TLS plaintext): TSRequests carrying NTLM or SPNEGO tokens
// ([MS-CSSP] 2.2.1, 3.1.5), then for HYBRID_EX the 4-byte Early User Authorization Result
// ([MS-RDPBCGR] 2.2.10.2), then MCS. On the wire lane the TLS transport keeps counting records.
import { DecodeError, type DecodeErrorInfo } from '../../wire/errors.js';
import { hexN } from '../../wire/hex.js';
import { PROTOCOL } from '../../x224/codes.js';
import { decodeTsRequest, findTsRequestSize, type TsRequest } from '../../credssp/ts-request.js';
import { decodeSpnego, tokenKind, type SpnegoToken } from '../../credssp/spnego.js';
import { decodeNtlm, type NtlmAuthenticate, type NtlmChallenge, type NtlmNegotiate } from '../../credssp/ntlm.js';
import { decodeEarlyUserAuthResult } from '../../credssp/early-user-auth.js';
import type { ConnectionState, FramedPdu, StageContext, StageHandler } from '../stage-handler.js';
import { DEFAULT_LIMITS } from '../../limits.js';
import { rdpPduEvent as pduEvent } from './rdp-common.js';

export const CREDSSP_PDU = {
  tsRequest: 'CredSSP TSRequest',
  earlyUserAuth: 'Early User Authorization Result',
} as const;

export type NtlmMessage = NtlmNegotiate | NtlmChallenge | NtlmAuthenticate;

/** A TSRequest with its first negoToken decoded (NTLM directly, or inside SPNEGO). */
export interface TsRequestPdu {
  request: TsRequest;
  tokenKind?: ReturnType<typeof tokenKind>;
  spnego?: SpnegoToken;
  ntlm?: NtlmMessage;
  /** the token did not decode; the TSRequest itself did */
  tokenError?: DecodeErrorInfo;
}

/** Per-connection CredSSP state. */
export interface CredsspState {
  /** the client sent TSCredentials (authInfo): HYBRID_EX now expects the Early User Authorization Result */
  credentialsSent: boolean;
}

const EUA_SIZE = 4;
/**
 * Server TSRequests a CredSSP exchange may take by default (limit credssp-rounds). NTLM needs two
 * (CHALLENGE, then pubKeyAuth or an errorCode; [MS-CSSP] 3.1.5), Kerberos through SPNEGO one or
 * two; more means it never ends.
 */
export const MAX_CREDSSP_ROUNDS = DEFAULT_LIMITS['credssp-rounds'];

/** HYBRID_EX after TSCredentials: the server's next 4 bytes are the Early User Authorization Result. */
function expectsEarlyUserAuth(state: Readonly<ConnectionState>): boolean {
  return state.selectedProtocol === PROTOCOL.HYBRID_EX && state.credssp?.credentialsSent === true;
}

function ntlmIn(bytes: Uint8Array, base: number): { ntlm?: NtlmMessage; spnego?: SpnegoToken; kind: ReturnType<typeof tokenKind> } {
  const kind = tokenKind(bytes);
  if (kind === 'ntlm') return { kind, ntlm: decodeNtlm(bytes, base) };
  if (kind !== 'spnego') return { kind };
  const spnego = decodeSpnego(bytes, base);
  const inner = spnego.kind === 'init' ? spnego.mechToken : spnego.responseToken;
  return inner && tokenKind(inner) === 'ntlm' ? { kind, spnego, ntlm: decodeNtlm(inner) } : { kind, spnego };
}

function tsRequestPdu(bytes: Uint8Array, base: number): TsRequestPdu {
  const request = decodeTsRequest(bytes, base);
  const token = request.negoTokens?.[0];
  if (!token) return { request };
  try {
    return { request, ...withKind(ntlmIn(token, base)) };
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return { request, tokenKind: tokenKind(token), tokenError: e.toJSON() };
  }
}

function withKind(t: ReturnType<typeof ntlmIn>): Omit<TsRequestPdu, 'request'> {
  return { tokenKind: t.kind, ...(t.spnego ? { spnego: t.spnego } : {}), ...(t.ntlm ? { ntlm: t.ntlm } : {}) };
}

export const credsspStage: StageHandler = {
  stage: 'credssp',
  framing: 'credssp',

  frame(buf, dir, base, state) {
    if (buf[0] === 0x30) return findTsRequestSize(buf, base, state.limits?.['tsrequest-bytes']);
    if (dir === 's2c' && expectsEarlyUserAuth(state)) return EUA_SIZE;
    // anything else stops this direction: one error, not one per 4 bytes of garbage
    throw new DecodeError({
      code: 'UNEXPECTED_TYPE', layer: 'credssp', pdu: CREDSSP_PDU.tsRequest, field: 'tag', offset: base,
      reason: `expected a DER SEQUENCE (0x30), got ${hexN(buf[0] ?? 0)}${dir === 's2c' ? ' (an Early User Authorization Result comes only after TSCredentials with HYBRID_EX)' : ''}`,
    });
  },

  handle(pdu: FramedPdu, ctx: StageContext) {
    const st = (ctx.state.credssp ??= { credentialsSent: false });
    if (pdu.bytes[0] !== 0x30) {
      const result = decodeEarlyUserAuthResult(pdu.bytes, pdu.offset);
      ctx.emit(pduEvent(ctx, pdu, CREDSSP_PDU.earlyUserAuth, result));
      if (result.value === 0) ctx.advance('mcs-connect', pdu);
      return;
    }
    const value = tsRequestPdu(pdu.bytes, pdu.offset);
    ctx.emit(pduEvent(ctx, pdu, CREDSSP_PDU.tsRequest, value));
    if (pdu.dir === 'c2s' && value.request.authInfo) {
      st.credentialsSent = true;
      // HYBRID: MCS follows TSCredentials at once; HYBRID_EX waits for the Early User Authorization Result
      if (ctx.state.selectedProtocol !== PROTOCOL.HYBRID_EX) ctx.advance('mcs-connect', pdu);
    }
  },
};
