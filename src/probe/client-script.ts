// ClientScript: the sans-IO active prober. Given the tracker's events it says what to send next;
// the live driver executes its actions ([MS-RDPBCGR] 1.3.1.1 connection sequence, client side).
import { encodeConnectionRequest, type ConnectionRequest } from '../x224/connection-request.js';
import { CONNECTION_CONFIRM_NAME } from '../x224/connection-confirm.js';
import { DISCONNECT_REQUEST_NAME } from '../x224/tpdu.js';
import type { ConnectionConfirm } from '../x224/connection-confirm.js';
import { PROTOCOL } from '../x224/codes.js';
import { TLS_PDU } from '../analyze/stages/tls.js';
import { CREDSSP_PDU, MAX_CREDSSP_ROUNDS, type TsRequestPdu } from '../analyze/stages/credssp.js';
import { CredsspClient, negotiateRequest, type CredsspClientStep, type PubKeyAuthCheck } from '../credssp/credssp-client.js';
import type { NtlmCredentials } from '../credssp/ntlm-client.js';
import { subjectPublicKey } from '../tls/x509.js';
import { DecodeError } from '../wire/errors.js';
import type { TrackerEvent } from '../analyze/events.js';
import type { Limits } from '../limits.js';
import { RdpClient, type RdpClientStep } from './rdp-client.js';

/** TLS client settings for the upgrade after the Confirm (node:tls names). */
export interface TlsClientOptions {
  minVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  maxVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  /** OpenSSL cipher list for TLS ≤ 1.2 */
  ciphers?: string;
  /** SNI; omitted for IP targets, as clients do */
  servername?: string;
}

/** Tracker inputs only the client can supply (the driver adds the time). */
export type ObservedInput = ({ kind: 'credssp-check' } & PubKeyAuthCheck) | { kind: 'rdp-client-random'; source: 'probe'; clientRandom: Uint8Array };

export type ScriptAction =
  | { kind: 'send'; bytes: Uint8Array }
  /** write these bytes inside TLS (the inner lane) */
  | { kind: 'send-inner'; bytes: Uint8Array }
  /** start TLS over the same socket ([MS-RDPBCGR] 5.4.5.1): the Confirm selected a TLS-based protocol */
  | { kind: 'upgrade-tls'; options: TlsClientOptions }
  /** report what only the client knows to the tracker (the pubKeyAuth check, the Standard RDP Security client random) */
  | { kind: 'observe'; input: ObservedInput }
  /** the probe has what it came for (or cannot go on): close politely */
  | { kind: 'done'; reason: string };

export interface ScriptOptions {
  /** RDP_NEG_REQ requestedProtocols; undefined sends a legacy request without RDP_NEG_REQ */
  requestedProtocols?: number;
  cookie?: string;
  routingToken?: string;
  requestFlags?: number;
  tls?: TlsClientOptions;
  /** send these bytes (a ClientHello record built by rdpscope) instead of running a TLS client, and stop at the server's answer */
  clientHello?: Uint8Array;
  /** stop after TLS instead of starting CredSSP when NLA was selected */
  noCredssp?: boolean;
  /** NLA with these credentials: AUTHENTICATE, pubKeyAuth and its check ([MS-CSSP] 3.1.5) */
  credentials?: NtlmCredentials;
  /** after a verified pubKeyAuth, send the credentials (TSCredentials) */
  delegate?: boolean;
  /** random bytes for the NTLM client challenge, session key and CredSSP nonce, and the RDP client random */
  random?: (n: number) => Uint8Array;
  /** stop after X.224, TLS or CredSSP instead of going on through MCS to the Demand Active */
  noMcs?: boolean;
  /** Standard RDP Security encryption methods to offer (*_ENCRYPTION_FLAG bits) */
  encryptionMethods?: number;
  /** leave right after the MCS Connect Response */
  stopAfterConnect?: boolean;
  /**
   * Bounds (src/limits.ts) for this probe: the tracker's PDU and count bounds, the CredSSP rounds
   * the script follows, the wait after a TLS failure; defaults for those not given.
   */
  limits?: Partial<Limits>;
}

const HELLO_ANSWERS = new Set<string>([TLS_PDU.serverHello, TLS_PDU.helloRetry, TLS_PDU.alert]);

/** What modern clients send: SSL|HYBRID|HYBRID_EX. */
export const DEFAULT_REQUESTED = 0x1 | 0x2 | 0x8;

export class ClientScript {
  private finished = false;
  /** the protocol the server selected, once its Confirm arrived */
  private selected: number | undefined;
  /** the credentialed CredSSP exchange, once TLS is up */
  private nla: CredsspClient | undefined;
  /** TSCredentials sent on HYBRID_EX: the Early User Authorization Result comes next */
  private awaitingEua = false;
  /** the connection sequence after X.224/TLS/CredSSP, once started */
  private rdp: RdpClient | undefined;
  /** TSRequests the server sent (bounded by the limit credssp-rounds) */
  private serverTsRequests = 0;

  constructor(private readonly opts: ScriptOptions) {}

  connectionRequest(): ConnectionRequest {
    const o = this.opts;
    const req: ConnectionRequest = { header: { dstRef: 0, srcRef: 0, classOption: 0 } };
    if (o.cookie !== undefined) req.cookie = o.cookie;
    else if (o.routingToken !== undefined) req.routingToken = o.routingToken;
    if (o.requestedProtocols !== undefined) {
      req.negotiation = { flags: o.requestFlags ?? 0, requestedProtocols: o.requestedProtocols };
    }
    return req;
  }

  /** Actions once TCP is connected. */
  start(): ScriptAction[] {
    return [{ kind: 'send', bytes: encodeConnectionRequest(this.connectionRequest()) }];
  }

  /** Actions in answer to new tracker events. */
  next(events: readonly TrackerEvent[]): ScriptAction[] {
    if (this.finished) return [];
    const rounds = this.opts.limits?.['credssp-rounds'] ?? MAX_CREDSSP_ROUNDS;
    for (const e of events) {
      if (e.type === 'pdu' && e.dir === 's2c' && e.name === CREDSSP_PDU.tsRequest && ++this.serverTsRequests > rounds) {
        this.finished = true;
        return [{ kind: 'done', reason: `the server sent more than ${rounds} TSRequests: CredSSP does not end` }];
      }
      const steps = this.rdpSteps(e) ?? this.mcsStart(e) ?? this.credentialed(e);
      if (steps) {
        if (steps.some((a) => a.kind === 'done')) this.finished = true;
        return steps;
      }
      const step = this.upgrade(e) ?? this.credssp(e);
      if (step) return [step];
      const reason = this.stopReason(e);
      if (reason) {
        this.finished = true;
        return [{ kind: 'done', reason }];
      }
    }
    return [];
  }

  /**
   * Once TLS is up on a HYBRID/HYBRID_EX connection: the CredSSP opening, a TSRequest with an NTLM
   * NEGOTIATE ([MS-CSSP] 3.1.5 step 1); the server's CHALLENGE tells its names, version and clock.
   */
  private credssp(e: TrackerEvent): ScriptAction | undefined {
    if (e.type !== 'tls-session' || this.opts.noCredssp || this.selected === undefined) return undefined;
    if ((this.selected & (PROTOCOL.HYBRID | PROTOCOL.HYBRID_EX)) === 0) return undefined;
    const { credentials, random } = this.opts;
    if (!credentials) return { kind: 'send-inner', bytes: negotiateRequest().bytes };
    if (!random) throw new Error('ClientScript: credentials need a random source');
    let serverPublicKey: Uint8Array;
    try {
      serverPublicKey = subjectPublicKey(e.chain[0] ?? new Uint8Array(0));
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      this.finished = true;
      return { kind: 'done', reason: `the server certificate's public key does not decode (${err.message}): no credentials sent` };
    }
    this.nla = new CredsspClient({ credentials, delegate: this.opts.delegate ?? false, serverPublicKey, random });
    return { kind: 'send-inner', bytes: this.nla.start() };
  }

  /** With credentials: the server's TSRequests drive the CredsspClient; HYBRID_EX then waits for the EUA result. */
  private credentialed(e: TrackerEvent): ScriptAction[] | undefined {
    if (!this.nla || e.type !== 'pdu' || e.dir !== 's2c') return undefined;
    if (e.name === CREDSSP_PDU.earlyUserAuth && this.awaitingEua) {
      // success: MCS follows; a denial is followed by the server's close, which the verdict names
      return (e.value as { value: number }).value === 0 ? this.startRdp('Early User Authorization Result received') : [];
    }
    if (e.name !== CREDSSP_PDU.tsRequest) return undefined;
    const v = e.value as TsRequestPdu;
    return this.nla.receive(v.request, v.ntlm?.type === 2 ? v.ntlm : undefined, e.at).flatMap((s) => this.action(s));
  }

  private action(s: CredsspClientStep): ScriptAction[] {
    if ('send' in s) return [{ kind: 'send-inner', bytes: s.send }];
    if ('check' in s) return [{ kind: 'observe', input: { kind: 'credssp-check', ...s.check } }];
    if ('done' in s) return [{ kind: 'done', reason: s.done }];
    if (this.selected === PROTOCOL.HYBRID_EX) {
      this.awaitingEua = true;
      return [];
    }
    return this.startRdp('credentials delegated');
  }

  /**
   * Where the MCS phase begins without CredSSP: right after a Confirm selecting Standard RDP Security
   * (when the client asked for it), or once TLS is up with SSL selected.
   */
  private mcsStart(e: TrackerEvent): ScriptAction[] | undefined {
    if (this.rdp || this.opts.clientHello) return undefined;
    if (e.type === 'tls-session' && this.selected === PROTOCOL.SSL) return this.startRdp('TLS handshake completed');
    if (e.type !== 'pdu' || e.name !== CONNECTION_CONFIRM_NAME) return undefined;
    const neg = (e.value as ConnectionConfirm).negotiation;
    if (neg?.type === 'failure') return undefined;
    const selected = neg?.type === 'response' ? neg.selectedProtocol : PROTOCOL.RDP;
    const asked = this.opts.requestedProtocols ?? PROTOCOL.RDP;
    // a client that offered TLS or CredSSP stops when the server picks Standard RDP Security (row 11)
    if (selected !== PROTOCOL.RDP || asked !== PROTOCOL.RDP) return undefined;
    this.selected = PROTOCOL.RDP;
    return this.startRdp('connection confirm received');
  }

  /** Starts the MCS phase (or, with noMcs, ends the probe with `reason`). */
  private startRdp(reason: string): ScriptAction[] {
    const random = this.opts.random;
    if (this.opts.noMcs || !random) return [{ kind: 'done', reason }];
    const c = this.opts.credentials;
    this.rdp = new RdpClient({
      selectedProtocol: this.selected ?? PROTOCOL.RDP, random,
      ...(this.opts.encryptionMethods !== undefined ? { encryptionMethods: this.opts.encryptionMethods } : {}),
      ...(this.opts.stopAfterConnect ? { stopAfterConnect: true } : {}),
      ...(c ? { user: c.user, domain: c.domain } : this.opts.cookie !== undefined ? { user: this.opts.cookie } : {}),
    });
    return this.rdp.start().flatMap((s) => this.rdpAction(s));
  }

  private rdpSteps(e: TrackerEvent): ScriptAction[] | undefined {
    if (!this.rdp) return undefined;
    const steps = this.rdp.receive(e);
    return steps.length ? steps.flatMap((s) => this.rdpAction(s)) : undefined;
  }

  private rdpAction(s: RdpClientStep): ScriptAction[] {
    if ('send' in s) return [this.selected === PROTOCOL.RDP ? { kind: 'send', bytes: s.send } : { kind: 'send-inner', bytes: s.send }];
    if ('clientRandom' in s) return [{ kind: 'observe', input: { kind: 'rdp-client-random', source: 'probe', clientRandom: s.clientRandom } }];
    return [{ kind: 'done', reason: s.done }];
  }

  /** After a Confirm selecting SSL, HYBRID, HYBRID_EX, RDSTLS or RDSAAD, TLS comes next. */
  private upgrade(e: TrackerEvent): ScriptAction | undefined {
    if (e.type !== 'pdu' || e.name !== CONNECTION_CONFIRM_NAME) return undefined;
    const neg = (e.value as ConnectionConfirm).negotiation;
    if (neg?.type !== 'response' || neg.selectedProtocol === PROTOCOL.RDP) return undefined;
    this.selected = neg.selectedProtocol;
    // a strict client stops when the server picks something it did not offer (catalogue row 11)
    if ((neg.selectedProtocol & (this.opts.requestedProtocols ?? 0)) !== neg.selectedProtocol) return undefined;
    if (this.opts.clientHello) return { kind: 'send', bytes: this.opts.clientHello };
    return { kind: 'upgrade-tls', options: this.opts.tls ?? {} };
  }

  private stopReason(e: TrackerEvent): string | undefined {
    // a length or count beyond the tracker's limits: it follows this direction no further
    if (e.type === 'decode-error' && e.dir === 's2c' && e.error.code === 'LIMIT_EXCEEDED') return `server ${e.error.pdu} ${e.error.field}: ${e.error.reason}`;
    if (e.type === 'pdu' && e.name === CONNECTION_CONFIRM_NAME && !this.rdp) return 'connection confirm received';
    // with --no-mcs (or --no-credssp on NLA) the probe stops once TLS is up and reported
    if (e.type === 'tls-session' && !this.rdp && !this.nla) return 'TLS handshake completed';
    if (e.type === 'pdu' && e.name === CREDSSP_PDU.tsRequest && e.dir === 's2c' && !this.nla) {
      const v = e.value as TsRequestPdu;
      if (v.request.errorCode !== undefined) return 'server sent a CredSSP errorCode';
      if (v.ntlm?.type === 2) return 'NTLM CHALLENGE received (no credentials given: the probe stops here)';
      return 'server answered the NTLM NEGOTIATE without a CHALLENGE';
    }
    if (e.type === 'decode-error' && e.lane === 'inner' && e.dir === 's2c') return 'server CredSSP reply did not decode';
    if (this.opts.clientHello && e.type === 'pdu' && e.dir === 's2c' && HELLO_ANSWERS.has(e.name)) return `server answered the ClientHello: ${e.name}`;
    if (e.type === 'pdu' && e.name === DISCONNECT_REQUEST_NAME) return 'server sent a disconnect request';
    // in TLS the TLS client fails on such bytes itself and the driver waits for the server's close
    if (e.type === 'decode-error' && e.dir === 's2c' && (e.stage !== 'tls' || this.opts.clientHello)) return 'server reply did not decode';
    return undefined;
  }
}
