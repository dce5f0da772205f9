// What drivers (live probe, pcap replay, recorded logs) feed the tracker. Time comes in on every
// input (`at`, milliseconds since the Unix epoch); the tracker never reads a clock.
import type { PubKeyAuthCheck } from '../credssp/credssp-client.js';

/** Direction of a byte stream: client to server or server to client. */
export type Dir = 'c2s' | 's2c';
/** wire: raw TCP payload; inner: TLS plaintext (live from the TLS socket, offline after decryption). */
export type Lane = 'wire' | 'inner';

export interface Where {
  /** milliseconds since the Unix epoch (fractional allowed) */
  at: number;
  /** 1-based packet number in the capture, when the input came from one */
  packet?: number;
}

export type TcpWhat =
  | 'syn'          // client SYN seen (capture) or connect started (live)
  | 'syn-ack'      // server SYN/ACK seen
  | 'connected'    // live connect() completed
  | 'refused'      // SYN answered by RST / ECONNREFUSED
  | 'unreachable'  // ICMP unreachable / EHOSTUNREACH / ENETUNREACH
  | 'no-answer'    // SYN never answered (capture ended / connect timed out)
  | 'midstream';   // capture picked the connection up without its handshake

export type TrackerInput =
  | (Where & { kind: 'resolve'; host: string; ok: true; addresses: string[] })
  | (Where & { kind: 'resolve'; host: string; ok: false; error: string })
  | (Where & { kind: 'tcp'; what: TcpWhat; detail?: string })
  | (Where & { kind: 'data'; dir: Dir; lane: Lane; bytes: Uint8Array })
  | (Where & { kind: 'close'; dir: Dir; how: 'fin' | 'rst' })
  /**
   * What the TLS implementation itself reports once the handshake completed (live: node:tls;
   * offline: decryption with a key log, or `server-key` with the server's RSA key): the certificate
   * chain as sent, which TLS 1.3 encrypts.
   */
  | (Where & { kind: 'tls-session'; source: 'tls-library' | 'key-log' | 'server-key'; chain: Uint8Array[]; protocol?: string; cipher?: string; group?: string })
  /**
   * What only the CredSSP client can know: whether the server's pubKeyAuth unsealed with the NTLM
   * session key and bound this TLS session's key ([MS-CSSP] 3.1.5 step 4). Keys never enter the tracker.
   */
  | (Where & { kind: 'credssp-check' } & PubKeyAuthCheck)
  /**
   * The Standard RDP Security client random ([MS-RDPBCGR] 5.3.4): the probe's own, or one a user
   * supplies for a capture. With the server random the tracker derives the keys and decrypts what
   * follows; the keys stay in the connection state and no event carries them.
   */
  | (Where & { kind: 'rdp-client-random'; source: 'probe' | 'user'; clientRandom: Uint8Array })
  /**
   * bytes missing from a direction (capture loss); parsing of that direction stops. `detail`: why,
   * when the driver knows (e.g. "cut by the capture's snaplen: packet 26 kept 96 of its 466 bytes").
   */
  | (Where & { kind: 'gap'; dir: Dir; bytes: number; detail?: string })
  /**
   * The driver stopped observing: timeout (a stage timer expired), capture-end (the capture has no
   * more packets for this connection), probe-done (the probe finished and closed on purpose).
   */
  | (Where & { kind: 'end'; how: 'timeout' | 'capture-end' | 'probe-done'; detail?: string });
