// One-line descriptions of decoded PDUs for the timeline, keyed by PDU name. A new stage adds its
// PDUs here.
import { describeFailureCode, protocolName, protocolSet, responseFlags } from '../x224/codes.js';
import type { ConnectionConfirm } from '../x224/connection-confirm.js';
import { CONNECTION_CONFIRM_NAME } from '../x224/connection-confirm.js';
import type { ConnectionRequest } from '../x224/connection-request.js';
import { CONNECTION_REQUEST_NAME } from '../x224/connection-request.js';
import type { DataTpdu, DisconnectRequest } from '../x224/tpdu.js';
import { DATA_TPDU_NAME, DISCONNECT_REQUEST_NAME } from '../x224/tpdu.js';
import { hex32 } from '../wire/hex.js';
import { TLS_PDU, type CertificateEntry, type EncryptedRecord } from '../analyze/stages/tls.js';
import { describeOffer } from '../analyze/rules/tls.js';
import type { ClientHello } from '../tls/client-hello.js';
import type { ServerHello } from '../tls/server-hello.js';
import type { ServerKeyExchange } from '../tls/server-key-exchange.js';
import type { Alert } from '../tls/alert.js';
import { cipherSuiteName } from '../tls/cipher-suites.js';
import { groupName } from '../tls/groups.js';
import { versionName } from '../tls/versions.js';
import { CREDSSP_PDU, type TsRequestPdu } from '../analyze/stages/credssp.js';
import type { EarlyUserAuthResult } from '../credssp/early-user-auth.js';
import { describeCode } from '../codes/table.js';
import { NTSTATUS } from '../codes/ntstatus.js';
import { RDP_DESCRIBE } from './rdp-pdu-text.js';

function tsRequestText(t: TsRequestPdu): string {
  const r = t.request;
  const parts = [`version ${r.version}`];
  const n = t.ntlm;
  if (n?.type === 1) parts.push('NTLM NEGOTIATE');
  else if (n?.type === 2) {
    const ti = n.targetInfo;
    parts.push(`NTLM CHALLENGE from ${[ti?.nbDomainName, ti?.nbComputerName].filter(Boolean).join('\\') || n.targetName || '?'}${n.version ? `, ${n.version.text}` : ''}`);
  } else if (n?.type === 3) parts.push(`NTLM AUTHENTICATE as ${n.domain ? `${n.domain}\\` : ''}${n.user}`);
  else if (t.tokenKind && t.tokenKind !== 'ntlm') parts.push(`${t.tokenKind} token`);
  if (t.tokenError) parts.push(`token does not decode: ${t.tokenError.reason}`);
  if (r.pubKeyAuth) parts.push('pubKeyAuth');
  if (r.authInfo) parts.push('authInfo (encrypted credentials)');
  if (r.errorCode !== undefined) {
    const d = describeCode(NTSTATUS, r.errorCode);
    parts.push(`errorCode ${d.hex} ${d.name}`);
  }
  return parts.join(', ');
}

type Describe = (value: never) => string;

const DESCRIBE: Record<string, Describe> = {
  [CONNECTION_REQUEST_NAME]: (cr: ConnectionRequest) => {
    const parts: string[] = [];
    if (cr.cookie !== undefined) parts.push(`cookie "${cr.cookie}"`);
    if (cr.routingToken !== undefined) parts.push(`routing token "${cr.routingToken}"`);
    parts.push(cr.negotiation
      ? `requested ${protocolSet(cr.negotiation.requestedProtocols).names.join('|')}`
      : 'no RDP_NEG_REQ (legacy, Standard RDP Security)');
    return parts.join(', ');
  },
  [CONNECTION_CONFIRM_NAME]: (cc: ConnectionConfirm) => {
    const n = cc.negotiation;
    if (!n) return 'legacy Confirm, no negotiation data (Standard RDP Security)';
    if (n.type === 'failure') {
      return `RDP_NEG_FAILURE ${describeFailureCode(n.failureCode).name} (${n.failureCode})`;
    }
    const flags = n.flags ? ` [${responseFlags(n.flags).names.join(', ')}]` : '';
    return `selected ${protocolName(n.selectedProtocol)} (${hex32(n.selectedProtocol)})${flags}`;
  },
  [DISCONNECT_REQUEST_NAME]: (dr: DisconnectRequest) => `reason ${dr.reason}`,
  [DATA_TPDU_NAME]: (dt: DataTpdu) => `${dt.userData.length} bytes of user data before the X.224 exchange completed (not decoded in this stage)`,
  [TLS_PDU.clientHello]: (ch: ClientHello) => describeOffer(ch),
  [TLS_PDU.serverHello]: (sh: ServerHello) => [versionName(sh.version), cipherSuiteName(sh.cipherSuite), sh.keyShareGroup !== undefined ? `key share ${groupName(sh.keyShareGroup)}` : '', sh.downgrade ? `downgrade sentinel ${sh.downgrade}` : ''].filter(Boolean).join(', '),
  [TLS_PDU.helloRetry]: (sh: ServerHello) => `server asks for another key share${sh.keyShareGroup !== undefined ? `: ${groupName(sh.keyShareGroup)}` : ''}`,
  [TLS_PDU.certificate]: (c: { certificates: CertificateEntry[] }) => {
    const leaf = c.certificates[0];
    const what = leaf?.info ? `leaf ${leaf.info.subject}, issuer ${leaf.info.issuer}, valid to ${leaf.info.notAfter}` : leaf?.error ? `leaf does not parse: ${leaf.error.reason}` : 'empty';
    return `${c.certificates.length} certificate${c.certificates.length === 1 ? '' : 's'}: ${what}`;
  },
  [TLS_PDU.serverKeyExchange]: (k: ServerKeyExchange) => (k.kind === 'ecdhe' ? `ECDHE ${k.groupName}` : k.kind === 'dhe' ? `DHE ${k.primeBits}-bit group` : 'key exchange parameters'),
  [TLS_PDU.handshake]: (m: { name: string; length: number }) => `${m.name} (${m.length} bytes)`,
  [TLS_PDU.changeCipherSpec]: (c: { tls13Compat: boolean }) => (c.tls13Compat ? 'middlebox-compatibility record (TLS 1.3)' : 'later records from this side are encrypted'),
  [TLS_PDU.alert]: (a: Alert) => `${a.levelName} ${a.name} (${a.description}): ${a.meaning}`,
  [TLS_PDU.encryptedAlert]: (r: EncryptedRecord) => `${r.length} bytes: ${r.likely ?? 'alert'}`,
  [TLS_PDU.encryptedHandshake]: (r: EncryptedRecord) => `${r.length} bytes: ${r.likely ?? 'handshake'}`,
  [TLS_PDU.encryptedRecord]: (r: EncryptedRecord) => `${r.length} bytes of encrypted application data`,
  [CREDSSP_PDU.tsRequest]: (t: TsRequestPdu) => tsRequestText(t),
  [CREDSSP_PDU.earlyUserAuth]: (e: EarlyUserAuthResult) => `${e.name} (${e.value})`,
  [TLS_PDU.heartbeat]: (r: { length: number }) => `${r.length} bytes`,
  ...RDP_DESCRIBE,
};

export function describePdu(name: string, value: unknown): string {
  const d = DESCRIBE[name];
  return d ? d(value as never) : '';
}
