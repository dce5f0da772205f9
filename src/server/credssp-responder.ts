// Sans-IO CredSSP server side for scenarios ([MS-CSSP] 3.1.5): given the client's plaintext (inside
// TLS), says what to write back inside TLS and how to end the connection. By default it answers the
// NTLM NEGOTIATE with a CHALLENGE, checks the AUTHENTICATE against its one account (a wrong password
// gets errorCode STATUS_LOGON_FAILURE, as Windows answers), verifies the client's pubKeyAuth, proves
// its own key, takes the TSCredentials and, for HYBRID_EX, sends the Early User Authorization Result.
// The other behaviours (TlsServerSpec.credssp) reproduce failure-catalogue rows 19-25.
import { DecodeError } from '../wire/errors.js';
import { concatBytes } from '../wire/writer.js';
import { decodeTsRequest, encodeTsRequest, findTsRequestSize, type TsRequest } from '../credssp/ts-request.js';
import { decodeNtlm } from '../credssp/ntlm.js';
import { encodeSpnego, OID, tokenKind } from '../credssp/spnego.js';
import { encodeEarlyUserAuthResult } from '../credssp/early-user-auth.js';
import { NtlmSealing } from '../credssp/ntlm-seal.js';
import { clientPubKeyAuth, HASHED_PUB_KEY_AUTH_VERSION, serverPubKeyAuth } from '../credssp/pub-key-auth.js';
import { decodeTsCredentials } from '../credssp/ts-credentials.js';
import { encodeNtlmChallenge } from './ntlm-challenge.js';
import { checkAuthenticate, type Account } from './ntlm-server.js';
import type { TlsServerSpec } from './tls-certs.js';

/** The names a scenario server reports, as a Windows Server 2019 member of rdpscope.test would. */
const SCENARIO_IDENTITY = { nbDomain: 'RDPSCOPE', nbComputer: 'SCENARIO', dnsDomain: 'rdpscope.test', dnsComputer: 'scenario.rdpscope.test', version: [10, 0, 17763] as [number, number, number] };
/** The scenario server's one NLA account (a test account of a test server, documented in the README). */
export const SCENARIO_ACCOUNT: Account = { user: 'rdpscope', password: 'Scenario#Pass1' };
/** CredSSP version the scenario server speaks. */
const SERVER_VERSION = 6;
/** [MS-RDPBCGR] 2.2.10.2 authorizationResult */
const AUTHZ_SUCCESS = 0;
const AUTHZ_ACCESS_DENIED = 5;
/** NTSTATUS a Windows server sends for a wrong user name or password */
const STATUS_LOGON_FAILURE = 0xc000006d;
/** The hintName Windows puts in a NegTokenInit2 ([MS-SPNG] 3.2.5.2). */
const SPNEGO_HINT = 'not_defined_in_RFC4178@please_ignore';
/** client bytes after a completed NLA kept for the RDP side at most */
const MAX_UNCLAIMED = 1 << 20;
/** RFC 4178 §4.2.2 negState reject */
const NEG_STATE_REJECT = 2;
/** RFC 4178 §4.2.2 negState accept-incomplete: the endless scenario's "one more leg" */
const NEG_STATE_ACCEPT_INCOMPLETE = 1;
/** pause between the endless scenario's TSRequests */
const ENDLESS_EVERY_MS = 10;

export type CredsspBehaviour = NonNullable<TlsServerSpec['credssp']>;

/**
 * What the I/O layer does, in order: write bytes inside TLS, or end the connection. 'fin' and 'rst'
 * act on the TCP socket under TLS (no close_notify); 'tls-alert' ends TLS itself (see server.ts).
 */
export type CredsspAction = { write: Uint8Array } | { repeat: Uint8Array; everyMs: number } | { close: 'fin' | 'rst' | 'tls-alert' };

export interface CredsspResponderOptions {
  now: () => number;
  random: (n: number) => Uint8Array;
  behaviour?: CredsspBehaviour;
  /** the SubjectPublicKey of the certificate TLS presented */
  serverPublicKey: Uint8Array;
  /** HYBRID_EX was selected: the Early User Authorization Result follows the TSCredentials */
  hybridEx: boolean;
}

type Phase =
  | { at: 'negotiate' }
  | { at: 'authenticate'; serverChallenge: Uint8Array; version: number }
  | { at: 'credentials'; version: number; receive: NtlmSealing }
  /** NLA succeeded (TSCredentials taken; for HYBRID_EX the authorization result sent): MCS follows */
  | { at: 'complete' }
  | { at: 'done' };

export class CredsspResponder {
  private pending: Uint8Array = new Uint8Array(0);
  private phase: Phase = { at: 'negotiate' };
  private readonly behaviour: CredsspBehaviour;

  constructor(private readonly o: CredsspResponderOptions) {
    this.behaviour = o.behaviour ?? 'challenge';
  }

  private finished(): boolean {
    return this.phase.at === 'done' || this.phase.at === 'complete';
  }

  /**
   * NLA completed: the connection goes on with MCS (the RDP server side takes over, with takeRest()).
   * Not after a failure, an eua-denied result, or bytes that are not CredSSP.
   */
  get complete(): boolean {
    return this.phase.at === 'complete';
  }

  /** Once complete: the client bytes that came after the TSCredentials (the start of MCS), handed over once. */
  takeRest(): Uint8Array {
    const rest = this.phase.at === 'complete' ? this.pending : new Uint8Array(0);
    this.pending = new Uint8Array(0);
    return rest;
  }

  /** Client plaintext in; what to do about it out (nothing while a TSRequest is incomplete). */
  receive(bytes: Uint8Array): CredsspAction[] {
    if (this.phase.at === 'done') return [];
    this.pending = concatBytes([this.pending, bytes]);
    if (this.phase.at === 'complete') {
      // kept for takeRest(); unclaimed (no RDP side follows) beyond 1 MiB, dropped
      if (this.pending.length > MAX_UNCLAIMED) this.phase = { at: 'done' };
      return [];
    }
    const out: CredsspAction[] = [];
    try {
      while (!this.finished()) {
        const size = findTsRequestSize(this.pending);
        if (size === undefined || this.pending.length < size) break;
        const frame = this.pending.subarray(0, size);
        this.pending = this.pending.slice(size);
        out.push(...this.answer(frame));
      }
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      this.phase = { at: 'done' }; // not CredSSP (or MCS after it): read and ignore the rest
    }
    return out;
  }

  private answer(frame: Uint8Array): CredsspAction[] {
    const p = this.phase;
    if (p.at === 'negotiate') return this.negotiate(frame);
    if (p.at === 'authenticate') return this.authenticate(decodeTsRequest(frame), p);
    if (p.at === 'credentials') return this.credentials(decodeTsRequest(frame), p);
    return [];
  }

  /** The client's first TSRequest, carrying the NTLM NEGOTIATE. */
  private negotiate(frame: Uint8Array): CredsspAction[] {
    const b = this.behaviour;
    // rows 19 and 21 act on any first TSRequest, as a failing NLA provider does, without decoding it
    if (b === 'close') return this.end('fin');
    if (b === 'reset') return this.end('rst');
    if (b === 'tls-alert') return this.end('tls-alert');
    if (typeof b === 'object' && 'raw' in b) {
      this.phase = { at: 'done' };
      return [{ write: b.raw }];
    }
    if (!isNtlm(decodeTsRequest(frame), 1)) return this.last();
    if (b === 'kerberos-only') {
      const init = encodeSpnego({ kind: 'init', mechTypes: [OID.msKerberos, OID.kerberos, OID.kerberosU2U], hintName: SPNEGO_HINT });
      return this.last({ version: SERVER_VERSION, negoTokens: [init] });
    }
    if (b === 'ntlm-rejected') return this.last({ version: SERVER_VERSION, negoTokens: [encodeSpnego({ kind: 'resp', negState: NEG_STATE_REJECT })] });
    const version = typeof b === 'object' && 'version' in b ? b.version : SERVER_VERSION;
    const serverChallenge = this.o.random(8);
    this.phase = { at: 'authenticate', serverChallenge, version };
    const challenge = encodeNtlmChallenge({ ...SCENARIO_IDENTITY, now: this.o.now(), serverChallenge });
    return [{ write: encodeTsRequest({ version, negoTokens: [challenge] }) }];
  }

  /** The AUTHENTICATE with the client's pubKeyAuth ([MS-CSSP] 3.1.5 steps 3-4). */
  private authenticate(request: TsRequest, p: Extract<Phase, { at: 'authenticate' }>): CredsspAction[] {
    const b = this.behaviour;
    const token = request.negoTokens?.[0];
    const auth = token && tokenKind(token) === 'ntlm' ? decodeNtlm(token) : undefined;
    if (auth?.type !== 3) return this.last();
    // row 20: a Windows server refuses the logon with an NTSTATUS; FreeRDP's closes without one
    if (typeof b === 'object' && 'errorCode' in b) return this.last({ version: p.version, errorCode: b.errorCode });
    if (b === 'close-after-authenticate') return this.end('fin');
    const check = checkAuthenticate(auth, p.serverChallenge, SCENARIO_ACCOUNT);
    if (!check.ok) return this.last({ version: p.version, errorCode: STATUS_LOGON_FAILURE });
    const version = Math.min(p.version, request.version);
    const nonce = request.clientNonce;
    if (!request.pubKeyAuth || (version >= HASHED_PUB_KEY_AUTH_VERSION && !nonce)) return this.end('fin');
    const receive = new NtlmSealing(check.keys.c2s, check.keyExchange);
    const send = new NtlmSealing(check.keys.s2c, check.keyExchange);
    const opened = receive.unseal(request.pubKeyAuth);
    const expected = clientPubKeyAuth(version, this.o.serverPublicKey, nonce);
    if (!opened.ok || Buffer.compare(opened.message, expected) !== 0) return this.end('fin');
    // row 25: what a TLS-intercepting device's far side proves: a key that is not the one this TLS presented
    const key = b === 'wrong-pubkeyauth' ? interceptorKey(this.o.serverPublicKey) : this.o.serverPublicKey;
    this.phase = { at: 'credentials', version, receive };
    return [{ write: encodeTsRequest({ version: p.version, pubKeyAuth: send.seal(serverPubKeyAuth(version, key, nonce)) }) }];
  }

  /** The sealed TSCredentials; then HYBRID_EX gets the Early User Authorization Result ([MS-RDPBCGR] 2.2.10.2, 5.4.2.3). */
  private credentials(request: TsRequest, p: Extract<Phase, { at: 'credentials' }>): CredsspAction[] {
    if (!request.authInfo) return [];
    const opened = p.receive.unseal(request.authInfo);
    if (!opened.ok) return this.end('fin');
    decodeTsCredentials(opened.message);
    if (this.behaviour === 'eua-denied') {
      this.phase = { at: 'done' };
      return [{ write: encodeEarlyUserAuthResult(AUTHZ_ACCESS_DENIED) }, { close: 'fin' }];
    }
    if (this.behaviour === 'endless') {
      // where HYBRID_EX expects the 4-byte Early User Authorization Result, more SPNEGO legs that never end
      this.phase = { at: 'done' };
      const leg = encodeTsRequest({ version: p.version, negoTokens: [encodeSpnego({ kind: 'resp', negState: NEG_STATE_ACCEPT_INCOMPLETE })] });
      return [{ repeat: leg, everyMs: ENDLESS_EVERY_MS }];
    }
    this.phase = { at: 'complete' };
    return this.o.hybridEx ? [{ write: encodeEarlyUserAuthResult(AUTHZ_SUCCESS) }] : [];
  }

  /** Writes this TSRequest (if any) and reads the rest without answering. */
  private last(reply?: TsRequest): CredsspAction[] {
    this.phase = { at: 'done' };
    return reply ? [{ write: encodeTsRequest(reply) }] : [];
  }

  private end(how: 'fin' | 'rst' | 'tls-alert'): CredsspAction[] {
    this.phase = { at: 'done' };
    return [{ close: how }];
  }
}

/** Another key of the same size: the scenario's stand-in for an interceptor's certificate key. */
function interceptorKey(key: Uint8Array): Uint8Array {
  return key.map((b, i) => (i === key.length - 1 ? b ^ 0xff : b));
}

function isNtlm(request: TsRequest, type: 1): boolean {
  const token = request.negoTokens?.[0];
  return token !== undefined && tokenKind(token) === 'ntlm' && decodeNtlm(token).type === type;
}
