// Events → timeline entries: the model both the text and JSON renderers print.
import type { TrackerEvent } from '../analyze/events.js';
import type { StageName } from '../analyze/stages.js';
import { describePdu } from './pdu-text.js';
import { tlsSourceText } from './tls-text.js';

export interface TimelineEntry {
  /** milliseconds since the first event of the connection */
  t: number;
  stage: StageName | '';
  dir?: 'c2s' | 's2c';
  what: string;
  detail: string;
  packet?: number;
  offset?: number;
  length?: number;
  bytes?: string;
  /** marks entries that are failures or warnings */
  level: 'info' | 'warn' | 'error';
}

/** Time since the connection's first event, as the reports print it: "+1.23ms", "+12.3ms", "+1.234s". */
export function ms(t: number): string {
  return t < 10 ? `+${t.toFixed(2)}ms` : t < 1000 ? `+${t.toFixed(1)}ms` : `+${(t / 1000).toFixed(3)}s`;
}

/** "C→S", "S→C", or '' for an entry without a direction. */
export function arrowText(dir: 'c2s' | 's2c' | undefined): string {
  return dir === 'c2s' ? 'C→S' : dir === 's2c' ? 'S→C' : '';
}

const TCP_TEXT: Record<string, string> = {
  syn: 'SYN (connect started)',
  'syn-ack': 'SYN/ACK: connection accepted',
  connected: 'connected',
  refused: 'connection refused (RST)',
  unreachable: 'host unreachable',
  'no-answer': 'no answer to SYN',
  midstream: 'capture starts mid-connection',
};

export function timeline(events: readonly TrackerEvent[]): TimelineEntry[] {
  const t0 = events[0]?.at ?? 0;
  const out: TimelineEntry[] = [];
  for (const e of events) {
    const t = Math.max(0, e.at - t0);
    // entries are built without object spreads: this runs for every PDU of every connection of a capture
    const push = (x: Omit<TimelineEntry, 't'>): void => {
      const entry = { t } as TimelineEntry;
      if (e.packet !== undefined) entry.packet = e.packet;
      out.push(Object.assign(entry, x));
    };
    switch (e.type) {
      case 'resolve':
        push({ stage: 'resolve', what: e.ok ? 'resolved' : 'resolve failed', detail: e.ok ? `${e.host} → ${e.addresses?.join(', ')}` : `${e.host}: ${e.error}`, level: e.ok ? 'info' : 'error' });
        break;
      case 'tcp': {
        const bad = e.what === 'refused' || e.what === 'unreachable' || e.what === 'no-answer';
        push({ stage: 'tcp', what: TCP_TEXT[e.what] ?? e.what, detail: e.detail ?? '', level: bad ? 'error' : 'info' });
        break;
      }
      case 'pdu':
        push({ stage: e.stage, dir: e.dir, what: e.name, level: e.name === 'TLS Alert' ? 'error' : 'info', detail: describePdu(e.name, e.value), offset: e.offset, length: e.length, bytes: e.head });
        break;
      case 'decode-error':
        push({ stage: e.stage, dir: e.dir, what: e.phase === 'framing' ? 'undecodable bytes' : `malformed ${e.error.pdu}`, detail: `${e.error.field} at byte ${e.error.offset}: ${e.error.reason}`, offset: e.error.offset, bytes: e.head, level: 'error' });
        break;
      case 'warning':
        push({ stage: e.stage, what: 'warning', detail: e.message, level: 'warn' });
        break;
      case 'opaque':
        push({ stage: e.stage, dir: e.dir, what: `${e.length} bytes in all`, detail: e.stage === 'active' ? 'session traffic (fast-path and encrypted PDUs), counted, not decoded' : `${e.stage} is not decoded by this version`, offset: e.offset, length: e.length, level: 'info' });
        break;
      case 'closed':
        push({ stage: e.stage, dir: e.dir, what: e.how === 'rst' ? 'RST' : 'FIN', detail: `${e.dir === 's2c' ? 'server' : 'client'} ${e.how === 'rst' ? 'reset' : 'closed'} the connection`, level: e.dir === 's2c' ? 'warn' : 'info' });
        break;
      case 'credssp-check':
        push({ stage: e.stage, what: e.result === 'match' ? 'server pubKeyAuth verified' : 'server pubKeyAuth REJECTED', detail: `CredSSP v${e.version}, ${e.method}: ${e.detail}`, level: e.result === 'match' ? 'info' : 'error' });
        break;
      case 'rdp-keys':
        push({ stage: e.stage, what: 'Standard RDP Security keys', detail: `client random from the ${e.source === 'probe' ? 'probe' : 'user'}: ${e.ready ? 'what follows is decrypted' : 'waiting for the server random'}`, level: 'info' });
        break;
      case 'gap':
        push({ stage: e.stage, dir: e.dir, what: 'gap', detail: `${e.bytes} bytes missing from the capture${e.detail ? ` (${e.detail})` : ''}`, level: 'warn' });
        break;
      case 'end':
        push({ stage: e.stage, what: e.how, detail: e.detail ?? '', level: e.how === 'timeout' ? 'error' : 'info' });
        break;
      case 'tls-session':
        push({ stage: e.stage, what: 'TLS session', detail: [e.protocol, e.cipher, e.group, `${e.chain.length} certificate${e.chain.length === 1 ? '' : 's'} (from ${tlsSourceText(e.source)})`].filter(Boolean).join(', '), level: 'info' });
        break;
      case 'stage':
        break;
    }
  }
  return out;
}
