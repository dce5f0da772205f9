// Certificate check of a connection: the chain from the Certificate message (TLS ≤ 1.2, observed on
// the wire) or from the TLS implementation (live probe, key log), checked at the time it was seen.
import { checkCertificateChain, type CertCheckOptions } from '../tls/cert-check.js';
import type { Facts } from './facts.js';
import type { CertCheck } from './tls-facts.js';
import type { Limits } from '../limits.js';

export interface CertificateOptions {
  /** names the certificate must carry (the probe's target, or --expect-name); default: the SNI */
  names?: string[];
  trust?: CertCheckOptions['trust'];
  expiringSoonDays?: number;
}

/** `opts.limits`: the bounds the connection was followed with (cert-chain: certificates checked). */
export function checkCertificate(f: Facts, opts: CertificateOptions & { limits?: Partial<Limits> }): CertCheck | undefined {
  const wire = f.tls.certificate;
  const session = f.tls.session;
  const max = opts.limits?.['cert-chain'] ?? f.limits['cert-chain'];
  const src = wire
    ? { source: 'wire' as const, chain: wire.value.certificates.map((c) => c.der).slice(0, max), at: wire.at, packet: wire.packet }
    : session?.chain.length ? { source: session.source, chain: session.chain.slice(0, max), at: session.at, packet: session.packet } : undefined;
  if (!src) return undefined;
  const sni = f.tls.clientHello?.value.serverName;
  // diagnose() and the report check the same chain of a connection with the same options: once
  const key = (wire ?? session)!;
  const hit = checked.get(key);
  if (hit && hit.opts === opts && hit.max === max && hit.sni === sni) return hit.check;
  const names = opts.names?.length ? opts.names : sni ? [sni] : undefined;
  const report = checkCertificateChain(src.chain, {
    at: src.at,
    ...(names ? { names } : {}),
    ...(opts.trust ? { trust: opts.trust } : {}),
    ...(opts.expiringSoonDays !== undefined ? { expiringSoonDays: opts.expiringSoonDays } : {}),
  });
  const check: CertCheck = { source: src.source, at: src.at, ...(src.packet === undefined ? {} : { packet: src.packet }), report };
  checked.set(key, { opts, max, sni, check });
  return check;
}

/** The last check of each certificate event (a connection's own), by options object; never mutated by its readers. */
const checked = new WeakMap<object, { opts: object; max: number; sni: string | undefined; check: CertCheck }>();
