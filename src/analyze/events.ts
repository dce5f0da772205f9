// What the tracker emits. Events are plain data (JSON-safe apart from Uint8Array values, which the
// JSON renderer writes as hex) so a recorded event list can be diagnosed again later.
import type { DecodeErrorInfo } from '../wire/errors.js';
import type { Dir, Lane, TcpWhat } from './input.js';
import type { StageName } from './stages.js';
import type { PubKeyAuthCheck } from '../credssp/credssp-client.js';

interface At {
  at: number;
  packet?: number;
}

/** A decoded PDU. `name` is the spec title; `value` is the codec's plain decoded object. */
export interface PduEvent<T = unknown> extends At {
  type: 'pdu';
  stage: StageName;
  dir: Dir;
  lane: Lane;
  name: string;
  /** absolute offset of the PDU's first byte in its direction's stream */
  offset: number;
  length: number;
  value: T;
  /** the PDU's first bytes, hex, for evidence */
  head: string;
}

export type TrackerEvent =
  | (At & { type: 'resolve'; host: string; ok: boolean; addresses?: string[]; error?: string })
  | (At & { type: 'tcp'; what: TcpWhat; detail?: string })
  | (At & { type: 'stage'; stage: StageName; status: 'entered' | 'completed' })
  | PduEvent
  | (At & {
      type: 'decode-error';
      stage: StageName;
      dir: Dir;
      lane: Lane;
      /** 'framing': the bytes are not this stage's framing at all; 'pdu': a framed PDU did not decode */
      phase: 'framing' | 'pdu';
      error: DecodeErrorInfo;
      /** the first bytes at the failing PDU, hex */
      head: string;
    })
  | (At & { type: 'warning'; stage: StageName; message: string; dir?: Dir; offset?: number })
  /** bytes arrived for a stage this version does not decode; counted, not parsed */
  | (At & { type: 'opaque'; stage: StageName; dir: Dir; lane: Lane; offset: number; length: number })
  | (At & { type: 'closed'; dir: Dir; how: 'fin' | 'rst'; stage: StageName; streamOffset: number })
  /** the TLS implementation's own view of the session (certificate chain even when encrypted) */
  | (At & { type: 'tls-session'; stage: StageName; source: 'tls-library' | 'key-log' | 'server-key'; chain: Uint8Array[]; protocol?: string; cipher?: string; group?: string })
  | (At & { type: 'credssp-check'; stage: StageName } & PubKeyAuthCheck)
  /** Standard RDP Security decryption is on from here (the client random came from `source`) */
  | (At & { type: 'rdp-keys'; stage: StageName; source: 'probe' | 'user'; ready: boolean })
  | (At & { type: 'gap'; dir: Dir; bytes: number; stage: StageName; detail?: string })
  | (At & {
      type: 'end'; how: 'timeout' | 'capture-end' | 'probe-done'; stage: StageName; detail?: string;
      /** wire bytes received per direction (stream end offsets), complete PDUs or not */
      wire: Record<Dir, number>;
    });
