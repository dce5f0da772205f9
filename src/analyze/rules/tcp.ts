// Resolve and TCP stage rules: catalogue rows 1-3.
import type { Rule } from './rule.js';
import { evidence } from './rule.js';

export const resolveRule: Rule = (f) => {
  const r = f.resolve;
  if (!r || r.ok) return undefined;
  return {
    status: 'failed', failedStage: 'resolve', row: 1,
    summary: `${r.host} does not resolve (${r.error})`,
    cause: 'the name has no address in DNS (or the hosts file) as this machine sees it',
    evidence: [evidence('observed', `name lookup for ${r.host} failed: ${r.error}`, r)],
    endedBy: { who: 'resolver', how: 'dns', at: r.at },
  };
};

export const tcpRule: Rule = (f) => {
  const t = f.tcp.find((e) => e.what === 'refused' || e.what === 'unreachable' || e.what === 'no-answer');
  const detail = t?.detail ? ` (${t.detail})` : '';
  if (t?.what === 'refused') {
    const proxy = t.detail?.startsWith('SOCKS');
    return {
      status: 'failed', failedStage: 'tcp', row: 2,
      summary: proxy ? `the proxy refused the connection to the RDP server (${t.detail})` : 'TCP connection refused: the SYN was answered by a reset',
      cause: 'nothing listens on this port, or a host firewall rejects the connection',
      evidence: [evidence('observed', proxy ? t.detail! : `SYN answered by RST${detail}`, t)],
      endedBy: { who: 'server', how: 'refused', at: t.at, ...(t.packet ? { packet: t.packet } : {}) },
    };
  }
  const timedOut = f.end?.how === 'timeout' && f.stage === 'tcp';
  if (t || timedOut) {
    const ev = t ?? f.end!;
    const what = t?.what === 'unreachable' ? `the network reported the host unreachable${detail}` : 'the SYN was never answered';
    return {
      status: 'failed', failedStage: 'tcp', row: 3,
      summary: `TCP connection failed: ${what}`,
      cause: 'a firewall drops the SYN, the host is down, or there is no route to it',
      evidence: [evidence('observed', what, ev)],
      endedBy: { who: 'network', how: t?.what === 'unreachable' ? 'unreachable' : (timedOut ? 'timeout' : 'no-answer'), at: ev.at },
    };
  }
  return undefined;
};
