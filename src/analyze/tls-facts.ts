// TLS facts folded from the TLS stage's PDU events, for the TLS rules and the TLS summary.
import type { Alert } from '../tls/alert.js';
import type { ClientHello } from '../tls/client-hello.js';
import type { ServerHello } from '../tls/server-hello.js';
import type { ServerKeyExchange } from '../tls/server-key-exchange.js';
import type { CertReport } from '../tls/cert-check.js';
import type { PduEvent, TrackerEvent } from './events.js';
import { TLS_PDU, type CertificateEntry, type EncryptedRecord } from './stages/tls.js';

export interface TlsFacts {
  clientHello?: PduEvent<ClientHello>;
  serverHello?: PduEvent<ServerHello>;
  helloRetry?: PduEvent<ServerHello>;
  certificate?: PduEvent<{ certificates: CertificateEntry[] }>;
  keyExchange?: PduEvent<ServerKeyExchange>;
  /** alerts sent in the clear */
  alerts: PduEvent<Alert>[];
  /** records that are alerts by type (TLS ≤ 1.2) or by size (TLS 1.3), contents encrypted */
  encryptedAlerts: PduEvent<EncryptedRecord>[];
  /** every other encrypted record the stage reported (handshake flight, Finished, application data) */
  records: PduEvent<EncryptedRecord>[];
  /** the TLS implementation's own account (live probe: node:tls) */
  session?: Extract<TrackerEvent, { type: 'tls-session' }>;
  /** certificate check, filled in by diagnose() with the caller's trust store and names */
  check?: CertCheck;
}

export interface CertCheck {
  source: 'wire' | 'tls-library' | 'key-log' | 'server-key';
  at: number;
  packet?: number;
  report: CertReport;
}

/** Adds one PDU event to the TLS facts (a no-op for PDUs of other layers). */
export function tlsFact(t: TlsFacts, e: PduEvent): void {
  switch (e.name) {
    case TLS_PDU.clientHello: t.clientHello ??= e as PduEvent<ClientHello>; break;
    case TLS_PDU.serverHello: t.serverHello ??= e as PduEvent<ServerHello>; break;
    case TLS_PDU.helloRetry: t.helloRetry ??= e as PduEvent<ServerHello>; break;
    case TLS_PDU.certificate: if (e.dir === 's2c') t.certificate ??= e as PduEvent<{ certificates: CertificateEntry[] }>; break;
    case TLS_PDU.serverKeyExchange: t.keyExchange ??= e as PduEvent<ServerKeyExchange>; break;
    case TLS_PDU.alert: t.alerts.push(e as PduEvent<Alert>); break;
    case TLS_PDU.encryptedAlert: t.encryptedAlerts.push(e as PduEvent<EncryptedRecord>); break;
    case TLS_PDU.encryptedHandshake:
    case TLS_PDU.encryptedRecord: t.records.push(e as PduEvent<EncryptedRecord>); break;
  }
}
