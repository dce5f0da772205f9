// Text block for the CredSSP stage: what the server's NTLM CHALLENGE says about it.
import type { CredsspSummary } from '../analyze/credssp-summary.js';
import type { Style } from './style.js';

export function renderCredssp(c: CredsspSummary, s: Style): string[] {
  const out = [`  ${s.dim('credssp')}    version ${c.serverVersion ?? '?'}${c.cve20180886 ? ` (CVE-2018-0886 ${c.cve20180886})` : ''}${c.mechanism ? `, ${c.mechanism}` : ''}`];
  const n = c.ntlm;
  if (n) {
    const row = (k: string, v: string | undefined): void => { if (v !== undefined) out.push(`               ${s.dim(k.padEnd(18))} ${v}`); };
    row('Target_Name', n.targetName);
    row('NetBIOS_Domain', n.nbDomainName);
    row('NetBIOS_Computer', n.nbComputerName);
    row('DNS_Domain', n.dnsDomainName);
    row('DNS_Computer', n.dnsComputerName);
    row('DNS_Tree', n.dnsTreeName);
    row('Product_Version', n.productVersion && `${n.productVersion}${n.os ? ` (${n.os})` : ''}`);
    row('System_Time', n.serverTime && `${n.serverTime}${n.clockSkewMs !== undefined ? ` (skew ${(n.clockSkewMs / 1000).toFixed(1)} s)` : ''}`);
  }
  if (c.errorCode) out.push(`               ${s.dim('errorCode'.padEnd(18))} ${c.errorCode.hex} ${c.errorCode.name}: ${c.errorCode.meaning}`);
  const l = c.logon;
  if (l) {
    const proof = l.pubKeyAuth === undefined ? 'no server pubKeyAuth'
      : l.pubKeyAuth === 'match' ? `server pubKeyAuth verified (v${l.version})`
      : l.pubKeyAuth === 'not-checked' ? `server pubKeyAuth sent (v${l.version}), not checked (sealed with the NTLM session key, which only the client's password gives)`
      : s.red(`server pubKeyAuth ${l.pubKeyAuth} (v${l.version})`);
    out.push(`               ${s.dim('Logon'.padEnd(18))} ${l.user} from ${l.workstation}: ${proof}; credentials ${l.credentialsDelegated ? 'delegated' : 'not delegated'}`);
  }
  if (c.earlyUserAuth) out.push(`               ${s.dim('Early User Auth'.padEnd(18))} ${c.earlyUserAuth.name} (${c.earlyUserAuth.value})`);
  return out;
}
