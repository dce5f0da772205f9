// Sans-IO CredSSP client ([MS-CSSP] 3.1.5) over NTLM: NEGOTIATE; with credentials, AUTHENTICATE
// and pubKeyAuth; verification of the server's pubKeyAuth against the TLS key; with delegation,
// the sealed TSCredentials. Randomness and time come in from the caller; nothing here does I/O.
import { encodeTsRequest, type TsRequest } from './ts-request.js';
import { msToFiletime } from './ntlm-fields.js';
import { encodeNtlmNegotiate, type NtlmChallenge } from './ntlm.js';
import type { NtlmVersion } from './ntlm-flags.js';
import { ntlmAuthenticate, type NtlmCredentials } from './ntlm-client.js';
import { NtlmSealing } from './ntlm-seal.js';
import { NTLM_FLAG } from './ntlm-flags.js';
import { CLIENT_NONCE_SIZE, clientPubKeyAuth, HASHED_PUB_KEY_AUTH_VERSION, serverPubKeyAuth } from './pub-key-auth.js';
import { encodeTsCredentials } from './ts-credentials.js';

/** CredSSP version this client announces ([MS-CSSP] 2.2.1: 6 is current). */
export const CLIENT_CREDSSP_VERSION = 6;
/** NTLM NEGOTIATE flags of a current Windows client: Unicode, NTLM, sign/seal, extended session security, target info, version, 128/56-bit, key exchange ([MS-NLMP] 2.2.2.5). */
export const CLIENT_NEGOTIATE_FLAGS = 0xe2088297;
/** the VERSION those flags announce ([MS-NLMP] 2.2.2.10): a Windows 10 client, NTLM revision 15 */
export const CLIENT_NTLM_VERSION: NtlmVersion = { major: 10, minor: 0, build: 19041, revision: 15, text: 'Windows 10' };
/** The workstation name the AUTHENTICATE carries: what a server's logon event shows. */
export const CLIENT_WORKSTATION = 'RDPSCOPE';


/** What the server's pubKeyAuth proved ([MS-CSSP] 3.1.5 step 4). */
export interface PubKeyAuthCheck {
  result: 'match' | 'mismatch' | 'bad-signature';
  /** CredSSP version both sides use: the lower of the two */
  version: number;
  method: 'sha256-binding-hash' | 'public-key-plus-one';
  detail: string;
}

export type CredsspClientStep =
  | { send: Uint8Array }
  | { check: PubKeyAuthCheck }
  | { done: string }
  /** TSCredentials went out: CredSSP is over for the client */
  | { delegated: true };

export interface CredsspClientOptions {
  credentials: NtlmCredentials;
  /** send TSCredentials once the server proved its key */
  delegate: boolean;
  /** the server's TLS SubjectPublicKey */
  serverPublicKey: Uint8Array;
  random: (n: number) => Uint8Array;
}

type State =
  | { at: 'negotiate-sent' }
  | { at: 'authenticate-sent'; version: number; nonce?: Uint8Array; send: NtlmSealing; receive: NtlmSealing }
  | { at: 'over' };

/** The NTLM NEGOTIATE in a TSRequest: the first message, with or without credentials. */
export function negotiateRequest(): { bytes: Uint8Array; token: Uint8Array } {
  const token = encodeNtlmNegotiate(CLIENT_NEGOTIATE_FLAGS, CLIENT_NTLM_VERSION);
  return { token, bytes: encodeTsRequest({ version: CLIENT_CREDSSP_VERSION, negoTokens: [token] }) };
}

export class CredsspClient {
  private state: State = { at: 'negotiate-sent' };
  private readonly negotiate = negotiateRequest();

  constructor(private readonly opts: CredsspClientOptions) {}

  /** The first TSRequest. */
  start(): Uint8Array {
    return this.negotiate.bytes;
  }

  /**
   * The server's next TSRequest, decoded, with its NTLM token decoded (challenge) when it is one;
   * `at` is when it arrived (ms since the epoch, the NTLMv2 timestamp when the server sent none).
   */
  receive(request: TsRequest, challenge: NtlmChallenge | undefined, at: number): CredsspClientStep[] {
    const s = this.state;
    if (s.at === 'over') return [];
    if (request.errorCode !== undefined) return this.over('server sent a CredSSP errorCode');
    if (s.at === 'negotiate-sent') {
      if (!challenge) return this.over('server answered the NTLM NEGOTIATE without a CHALLENGE');
      return this.authenticate(request.version, request.negoTokens![0]!, challenge, at);
    }
    if (!request.pubKeyAuth) return this.over('server answered the AUTHENTICATE without pubKeyAuth or errorCode');
    const check = this.verify(s, request.pubKeyAuth);
    if (check.result !== 'match') return [{ check }, ...this.over('the server did not prove it holds the TLS key: credentials withheld')];
    if (!this.opts.delegate) return [{ check }, ...this.over('logon accepted; credentials not delegated (--delegate sends them)')];
    const authInfo = s.send.seal(encodeTsCredentials({ ...this.opts.credentials }));
    this.state = { at: 'over' };
    return [{ check }, { send: encodeTsRequest({ version: CLIENT_CREDSSP_VERSION, authInfo }) }, { delegated: true }];
  }

  private authenticate(serverVersion: number, challengeBytes: Uint8Array, challenge: NtlmChallenge, at: number): CredsspClientStep[] {
    const o = this.opts;
    let auth: ReturnType<typeof ntlmAuthenticate>;
    try {
      auth = ntlmAuthenticate({
        credentials: o.credentials, workstation: CLIENT_WORKSTATION,
        negotiate: this.negotiate.token, negotiateFlags: CLIENT_NEGOTIATE_FLAGS, challengeBytes, challenge,
        clientChallenge: o.random(8), randomSessionKey: o.random(16), now: msToFiletime(at), version: CLIENT_NTLM_VERSION,
      });
    } catch (e) {
      if (e instanceof RangeError) return this.over(`cannot authenticate: ${e.message}`);
      throw e;
    }
    const version = Math.min(serverVersion, CLIENT_CREDSSP_VERSION);
    const nonce = version >= HASHED_PUB_KEY_AUTH_VERSION ? o.random(CLIENT_NONCE_SIZE) : undefined;
    const keyExchange = (auth.flags & NTLM_FLAG.NTLMSSP_NEGOTIATE_KEY_EXCH) !== 0;
    const send = new NtlmSealing(auth.keys.c2s, keyExchange);
    const receive = new NtlmSealing(auth.keys.s2c, keyExchange);
    const pubKeyAuth = send.seal(clientPubKeyAuth(version, o.serverPublicKey, nonce));
    this.state = { at: 'authenticate-sent', version, send, receive, ...(nonce ? { nonce } : {}) };
    return [{ send: encodeTsRequest({ version: CLIENT_CREDSSP_VERSION, negoTokens: [auth.message], pubKeyAuth, ...(nonce ? { clientNonce: nonce } : {}) }) }];
  }

  private verify(s: Extract<State, { at: 'authenticate-sent' }>, token: Uint8Array): PubKeyAuthCheck {
    const hashed = s.version >= HASHED_PUB_KEY_AUTH_VERSION;
    const base = { version: s.version, method: hashed ? 'sha256-binding-hash' as const : 'public-key-plus-one' as const };
    const opened = s.receive.unseal(token);
    if (!opened.ok) return { ...base, result: 'bad-signature', detail: `the server's pubKeyAuth does not unseal: ${opened.reason}` };
    const expected = serverPubKeyAuth(s.version, this.opts.serverPublicKey, s.nonce);
    const same = opened.message.length === expected.length && opened.message.every((b, i) => b === expected[i]);
    const what = hashed ? 'SHA-256("CredSSP Server-To-Client Binding Hash", clientNonce, TLS key)' : 'the TLS public key with its first byte plus one';
    return same
      ? { ...base, result: 'match', detail: `the server's pubKeyAuth is ${what} for the key of the certificate this TLS session presented` }
      : { ...base, result: 'mismatch', detail: `the server's pubKeyAuth unseals (so the NTLM session is the server's) but is not ${what} for this TLS session's key: something between client and server terminates TLS with another key` };
  }

  private over(reason: string): CredsspClientStep[] {
    this.state = { at: 'over' };
    return [{ done: reason }];
  }
}
