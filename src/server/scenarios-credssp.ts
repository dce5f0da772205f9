// CredSSP-stage scenarios: the Confirm selects the best requested protocol (HYBRID_EX for a modern
// client), TLS completes with the valid 'ok' certificate, then the server's CredSSP side fails in a
// scripted way (failure-catalogue rows 19-25; [MS-CSSP] 3.1.5, [MS-RDPBCGR] 2.2.10.2). Steps past the
// CHALLENGE need credentials: the scenario account (SCENARIO_ACCOUNT in credssp-responder.ts).
import type { Scenario } from './scenarios.js';
import { selectBest } from './replies.js';
import type { TlsServerSpec } from './tls-certs.js';
import { describeCode } from '../codes/table.js';
import { NTSTATUS } from '../codes/ntstatus.js';

const request = { await: 'request' } as const;
const confirm = { send: selectBest } as const;

function credssp(name: string, row: number | null, describe: string, behaviour: NonNullable<TlsServerSpec['credssp']>): Scenario {
  return { name: `credssp-${name}`, row, describe, behaviour: [request, confirm, { tls: { cert: 'ok', credssp: behaviour } }] };
}

/** Row 20: the AUTHENTICATE is refused with an NTSTATUS errorCode, whatever the credentials. */
function refused(suffix: string, status: number): Scenario {
  const d = describeCode(NTSTATUS, status);
  return credssp(`error-${suffix}`, 20,
    `answers the NTLM NEGOTIATE with a CHALLENGE and the AUTHENTICATE (any credentials) with a TSRequest version 6 carrying errorCode ${d.hex} ${d.name}, then stays open`,
    { errorCode: status });
}

export const CREDSSP_SCENARIOS: readonly Scenario[] = [
  credssp('close-after-request', 19, 'completes TLS, reads the client\'s first TSRequest, then closes the TCP connection (FIN, no TLS close_notify)', 'close'),
  credssp('reset-after-request', 19, 'completes TLS, reads the client\'s first TSRequest, then resets the TCP connection (RST)', 'reset'),
  refused('logon-failure', 0xc000006d),
  refused('account-locked-out', 0xc0000234),
  refused('password-must-change', 0xc0000224),
  refused('logon-type-not-granted', 0xc000015b),
  credssp('close-after-authenticate', 20, 'answers the NTLM NEGOTIATE with a CHALLENGE, then closes (FIN) after the AUTHENTICATE without an errorCode, as FreeRDP\'s server does on a wrong password', 'close-after-authenticate'),
  credssp('tls-alert', 21, 'completes TLS, reads the client\'s first TSRequest, then ends TLS with an alert (close_notify: in TLS 1.3 an encrypted 19-byte record) and FIN instead of a TSRequest', 'tls-alert'),
  credssp('version-2', 22, 'answers the NTLM NEGOTIATE with a CHALLENGE in a TSRequest version 2 (CredSSP without the CVE-2018-0886 fix), stays open', { version: 2 }),
  credssp('version-4', 22, 'answers the NTLM NEGOTIATE with a CHALLENGE in a TSRequest version 4 (the last version without the CVE-2018-0886 fix), stays open', { version: 4 }),
  credssp('kerberos-only', 23, 'answers the NTLM NEGOTIATE with a SPNEGO NegTokenInit2 listing Kerberos mechanisms only (MS Kerberos 5, Kerberos 5, Kerberos 5 user-to-user), stays open', 'kerberos-only'),
  credssp('ntlm-rejected', 23, 'answers the NTLM NEGOTIATE with a SPNEGO NegTokenResp negState reject and no mechanism, stays open', 'ntlm-rejected'),
  credssp('eua-denied', 24, 'completes NLA for the scenario account; after the client\'s TSCredentials sends the Early User Authorization Result ACCESS_DENIED (HYBRID_EX), then FIN', 'eua-denied'),
  credssp('wrong-pubkeyauth', 25, 'checks the AUTHENTICATE and the client\'s pubKeyAuth, then answers with a pubKeyAuth sealed with the right NTLM key but binding another TLS key (what a TLS-intercepting device\'s far side proves)', 'wrong-pubkeyauth'),
];
