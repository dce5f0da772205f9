// CredSSP facts of one connection, in nmap rdp-ntlm-info's vocabulary: the server's TSRequest
// version (CVE-2018-0886), NTLM target names, product version, server time and clock skew.
import { describeCode } from '../codes/table.js';
import { NTSTATUS } from '../codes/ntstatus.js';
import { filetimeToMs, ntlmFlagNames } from '../credssp/ntlm.js';
import type { TrackerEvent } from './events.js';
import { collectFacts, type Facts } from './facts.js';

/** [MS-CSSP] 2.2.1: version 5 and 6 carry the CVE-2018-0886 fix (clientNonce, hashed pubKeyAuth). */
export const CVE_2018_0886_FIXED_VERSION = 5;

export interface CredsspSummary {
  serverVersion?: number;
  /** 'unpatched' when the server's TSRequest version is below 5 */
  cve20180886?: 'patched' | 'unpatched';
  mechanism?: string;
  ntlm?: {
    targetName?: string;
    nbComputerName?: string;
    nbDomainName?: string;
    dnsComputerName?: string;
    dnsDomainName?: string;
    dnsTreeName?: string;
    /** "10.0.17763" as nmap prints Product_Version */
    productVersion?: string;
    os?: string;
    serverTime?: string;
    /** server time minus the time the CHALLENGE was seen, ms */
    clockSkewMs?: number;
    flags: string[];
  };
  errorCode?: { value: number; hex: string; name: string; meaning: string };
  earlyUserAuth?: { value: number; name: string };
  /** the credentialed check: who the client authenticated as and what the server proved (never a password) */
  logon?: {
    user: string;
    workstation: string;
    /**
     * the server's pubKeyAuth against this TLS session's key, as the live probe checked it; 'not-checked'
     * when the server sent one that nobody checked (a capture: it is sealed with the NTLM session key,
     * which only the client's password gives); absent when the server never sent one
     */
    pubKeyAuth?: 'match' | 'mismatch' | 'bad-signature' | 'not-checked';
    /** CredSSP version the pubKeyAuth exchange used (the lower of both sides) */
    version?: number;
    credentialsDelegated: boolean;
  };
}

export function credsspFacts(f: Facts): CredsspSummary | undefined {
  const server = f.credssp.requests.filter((r) => r.dir === 's2c');
  const auth = f.credssp.requests.find((r) => r.dir === 'c2s' && r.value.ntlm?.type === 3)?.value.ntlm;
  if (!server.length && !f.credssp.earlyUserAuth && !auth) return undefined;
  const s: CredsspSummary = {};
  const first = server[0];
  if (first) {
    s.serverVersion = first.value.request.version;
    s.cve20180886 = s.serverVersion >= CVE_2018_0886_FIXED_VERSION ? 'patched' : 'unpatched';
    if (first.value.tokenKind) s.mechanism = first.value.tokenKind;
  }
  const ch = server.find((r) => r.value.ntlm?.type === 2);
  const c = ch?.value.ntlm;
  if (ch && c?.type === 2) {
    const ti = c.targetInfo;
    const n: NonNullable<CredsspSummary['ntlm']> = { flags: ntlmFlagNames(c.flags) };
    if (c.targetName !== undefined) n.targetName = c.targetName;
    if (ti?.nbComputerName !== undefined) n.nbComputerName = ti.nbComputerName;
    if (ti?.nbDomainName !== undefined) n.nbDomainName = ti.nbDomainName;
    if (ti?.dnsComputerName !== undefined) n.dnsComputerName = ti.dnsComputerName;
    if (ti?.dnsDomainName !== undefined) n.dnsDomainName = ti.dnsDomainName;
    if (ti?.dnsTreeName !== undefined) n.dnsTreeName = ti.dnsTreeName;
    if (c.version) {
      n.productVersion = `${c.version.major}.${c.version.minor}.${c.version.build}`;
      n.os = c.version.text;
    }
    if (ti?.timestamp !== undefined) {
      const ms = filetimeToMs(ti.timestamp);
      n.serverTime = new Date(ms).toISOString();
      n.clockSkewMs = Math.round(ms - ch.at);
    }
    s.ntlm = n;
  }
  const err = server.find((r) => r.value.request.errorCode !== undefined);
  if (err) {
    const d = describeCode(NTSTATUS, err.value.request.errorCode!);
    s.errorCode = { value: d.value, hex: d.hex, name: d.name, meaning: d.meaning };
  }
  const eua = f.credssp.earlyUserAuth;
  if (eua) s.earlyUserAuth = { value: eua.value.value, name: eua.value.name };
  if (auth?.type === 3) {
    s.logon = {
      user: auth.domain ? `${auth.domain}\\${auth.user}` : auth.user,
      workstation: auth.workstation,
      ...pubKeyAuthOf(f),
      credentialsDelegated: f.credssp.requests.some((r) => r.dir === 'c2s' && r.value.request.authInfo !== undefined),
    };
  }
  return s;
}

/**
 * The live probe's check of the server's pubKeyAuth; without one (a capture, decrypted), the server's
 * TSRequest that answers the AUTHENTICATE with a pubKeyAuth, and the version both sides used, which is
 * what the live check reports: the lower of the client's and the server's TSRequest versions.
 */
function pubKeyAuthOf(f: Facts): Pick<NonNullable<CredsspSummary['logon']>, 'pubKeyAuth' | 'version'> {
  const check = f.credssp.check;
  if (check) return { pubKeyAuth: check.result, version: check.version };
  const reqs = f.credssp.requests;
  const authAt = reqs.findIndex((r) => r.dir === 'c2s' && r.value.ntlm?.type === 3);
  const reply = authAt < 0 ? undefined : reqs.slice(authAt + 1).find((r) => r.dir === 's2c' && r.value.request.pubKeyAuth !== undefined);
  if (!reply) return {};
  // the version the client answered: that of the server's CHALLENGE (its first TSRequest otherwise)
  const serverVersion = (reqs.find((r) => r.dir === 's2c' && r.value.ntlm?.type === 2) ?? reqs.find((r) => r.dir === 's2c')!).value.request.version;
  return { pubKeyAuth: 'not-checked', version: Math.min(reqs[authAt]!.value.request.version, serverVersion) };
}

export function credsspSummary(events: readonly TrackerEvent[]): CredsspSummary | undefined {
  return credsspFacts(collectFacts(events));
}
