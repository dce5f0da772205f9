// TLS-stage scenarios: the Confirm selects the best requested protocol, then the server fails the
// TLS upgrade in a scripted way (failure-catalogue rows 13-17; RFC 8446 §6 alerts).
import type { Step } from './script.js';
import type { Scenario } from './scenarios.js';
import { selectBest } from './replies.js';
import { encodeAlert } from '../tls/alert.js';
import { ALERT_DESCRIPTION } from '../tls/alert.js';
import { describeCode } from '../codes/table.js';
import type { CertKind } from './tls-certs.js';

const request = { await: 'request' } as const;
const confirm = { send: selectBest } as const;
const hello = { await: 'client-hello' } as const;
const FATAL = 2;
/** TPKT + X.224 Data carrying an MCS Disconnect Provider Ultimatum, as xrdp sends it in the clear */
const PLAIN_RDP = Uint8Array.of(0x03, 0x00, 0x00, 0x09, 0x02, 0xf0, 0x80, 0x21, 0x80);

function alert(description: number, row: number | null): Scenario {
  const name = describeCode(ALERT_DESCRIPTION, description).name;
  return {
    name: `tls-alert-${name.replace(/_/g, '-')}`, row,
    describe: `answers the ClientHello with a fatal TLS alert ${name} (${description}), then FIN`,
    behaviour: [request, confirm, hello, { send: encodeAlert(FATAL, description) }, { close: 'fin' }],
  };
}

function certificate(kind: Exclude<CertKind, 'ok'>, row: number | null, what: string): Scenario {
  const steps: Step[] = [request, confirm, { tls: { cert: kind } }];
  return { name: `tls-${kind}`, row, describe: `completes TLS with ${what}, then stays open`, behaviour: steps };
}

export const TLS_SCENARIOS: readonly Scenario[] = [
  { name: 'tls-close-after-hello', row: 13, describe: 'selects a TLS protocol, reads the ClientHello, then closes (FIN) without an alert', behaviour: [request, confirm, hello, { close: 'fin' }] },
  { name: 'tls-reset-after-hello', row: 13, describe: 'selects a TLS protocol, reads the ClientHello, then resets (RST) without an alert', behaviour: [request, confirm, hello, { close: 'rst' }] },
  alert(40, 14),
  alert(71, 14),
  alert(70, 15),
  alert(80, null),
  alert(112, null),
  certificate('expired', 16, 'a certificate that expired 35 days ago'),
  certificate('not-yet-valid', 16, 'a certificate valid from 30 days from now'),
  certificate('wrong-name', 17, 'a certificate for rdp-other.example.invalid'),
  certificate('weak-key', 17, 'a certificate with a 1024-bit RSA key'),
  certificate('sha1', 17, 'a certificate signed with SHA-1'),
  certificate('no-server-auth', 17, 'a certificate whose EKU lacks serverAuth'),
  { name: 'ssl-no-tls', row: 11, describe: 'selects a TLS protocol, then answers the ClientHello in the clear with an X.224 Data TPDU (MCS Disconnect Provider Ultimatum) instead of TLS, stays open', behaviour: [request, confirm, hello, { send: PLAIN_RDP }] },
  { name: 'ssl-silent', row: 34, describe: 'selects a TLS protocol, then never answers the ClientHello', behaviour: [request, confirm, hello] },
];
