// Hostile servers (src/server/scenarios-hostile.ts), probed live: each probe ends within its stage
// timeout (plus a margin) or at a bound, with the stage it reached in the verdict; huge claimed
// lengths are refused before anything is buffered by them; 200 concurrent probes keep memory flat.
import { describe, expect, it } from 'vitest';
import { HOSTILE_SCENARIOS } from '../../src/server/scenarios-hostile.js';
import { SCENARIOS } from '../../src/server/scenarios.js';
import { SCENARIO_ACCOUNT } from '../../src/server/credssp-responder.js';
import type { ProbeOptions, ProbeResult } from '../../src/probe/live.js';
import type { StageName } from '../../src/analyze/stages.js';
import type { EndedBy } from '../../src/analyze/verdict.js';
import { gc } from '../helpers/gc.js';
import { MAX_HANDSHAKE_RECORDS } from '../../src/analyze/stages/tls.js';
import { MAX_CREDSSP_ROUNDS } from '../../src/analyze/stages/credssp.js';
import { probeScenario } from './scenario-probe.js';

/** The stage timeout of every probe here, and what a probe may take beyond it (TLS grace, a loaded machine). */
const TIMEOUT = 2000;
const MARGIN = 1500;
const CREDENTIALS: Partial<ProbeOptions> = { credentials: { user: SCENARIO_ACCOUNT.user, domain: '', password: SCENARIO_ACCOUNT.password }, delegate: true };
const RDP_ONLY: Partial<ProbeOptions> = { requestedProtocols: 0 };

interface Expect {
  stage: StageName;
  how: EndedBy['how'];
  /** the decode error that ended it: code, field and offset in the server's stream (wire, or TLS plaintext) */
  error?: { code: string; field: string; offset: number; lane: 'wire' | 'inner' };
  opts?: Partial<ProbeOptions>;
}

/** Confirm (19 bytes) + the ServerHello record the scenario builds (5 + 4 + 2 + 32 + 1 + 2 + 1 + 2 + 5) */
const AFTER_SERVER_HELLO = 19 + 54;

const EXPECT: Record<string, Expect> = {
  'hostile-slow-drip': { stage: 'x224', how: 'timeout' },
  'hostile-huge-tpkt': { stage: 'x224', how: 'timeout' },
  'hostile-huge-tls': { stage: 'tls', how: 'probe-done', error: { code: 'LIMIT_EXCEEDED', field: 'length', offset: 19 + 3, lane: 'wire' } },
  'hostile-huge-tls-handshake': { stage: 'tls', how: 'probe-done', error: { code: 'LIMIT_EXCEEDED', field: 'length', offset: 19 + 5 + 1, lane: 'wire' } },
  'hostile-huge-der': { stage: 'credssp', how: 'probe-done', error: { code: 'LIMIT_EXCEEDED', field: 'TSRequest length', offset: 1, lane: 'inner' } },
  'hostile-endless-tls': { stage: 'tls', how: 'probe-done', error: { code: 'LIMIT_EXCEEDED', field: 'records before the handshake completed', offset: -1, lane: 'wire' } },
  'hostile-endless-credssp': { stage: 'credssp', how: 'probe-done', opts: CREDENTIALS },
  'hostile-zero-window': { stage: 'x224', how: 'timeout' },
  'hostile-rst-after-connect-initial': { stage: 'mcs-connect', how: 'rst' },
  'hostile-rst-after-attach-user': { stage: 'channels', how: 'rst' },
  'hostile-rst-after-security-exchange': { stage: 'security-exchange', how: 'rst', opts: RDP_ONLY },
  // a close after the last Channel Join Confirm may cross the Client Info: the verdict places it in channels (rules/rdp.ts placeOfEnd)
  'hostile-rst-after-client-info': { stage: 'channels', how: 'rst' },
  'hostile-rst-during-licensing': { stage: 'licensing', how: 'rst' },
  'hostile-garbage-after-confirm': { stage: 'tls', how: 'probe-done', error: { code: 'UNEXPECTED_TYPE', field: 'content type', offset: 19, lane: 'wire' } },
  'hostile-garbage-after-server-hello': { stage: 'tls', how: 'probe-done', error: { code: 'UNEXPECTED_TYPE', field: 'content type', offset: AFTER_SERVER_HELLO, lane: 'wire' } },
};

async function probeTimed(name: string, opts: Partial<ProbeOptions> = {}): Promise<ProbeResult> {
  const r = await probeScenario(name, { stageTimeoutMs: TIMEOUT, ...opts });
  expect(r.durationMs, `${name} took ${r.durationMs} ms`).toBeLessThan(TIMEOUT + MARGIN);
  return r;
}

function serverError(r: ProbeResult) {
  return r.events.find((e) => e.type === 'decode-error' && e.dir === 's2c');
}

/** The largest heap plus ArrayBuffer memory seen while `run` runs (sampled every 5 ms), above a collected baseline. */
const used = (): number => { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
async function peakGrowth<T>(run: () => Promise<T>): Promise<{ growth: number; value: T }> {
  gc();
  const base = used();
  let peak = base;
  const sampler = setInterval(() => { peak = Math.max(peak, used()); }, 5);
  try {
    const value = await run();
    peak = Math.max(peak, used());
    return { growth: peak - base, value };
  } finally {
    clearInterval(sampler);
  }
}

describe('hostile scenario table', () => {
  it('every hostile scenario is registered, named hostile-*, and has an expectation here', () => {
    for (const s of HOSTILE_SCENARIOS) {
      expect(SCENARIOS).toContain(s);
      expect(s.name).toMatch(/^hostile-[a-z0-9]+(-[a-z0-9]+)*$/);
    }
    expect(HOSTILE_SCENARIOS.map((s) => s.name).sort()).toEqual(Object.keys(EXPECT).sort());
  });
});

describe.concurrent('each hostile scenario ends within the probe\'s timeout, at its stage', () => {
  for (const s of HOSTILE_SCENARIOS) {
    const want = EXPECT[s.name]!;
    it(`${s.name} → ${want.stage}, ${s.row === null ? 'no row' : `row ${s.row}`}, ended by ${want.how}`, async () => {
      const r = await probeTimed(s.name, want.opts);
      const v = r.verdict;
      expect({ status: v.status, failedStage: v.failedStage, row: v.row?.id ?? null, how: v.endedBy?.how }, v.summary)
        .toEqual({ status: 'failed', failedStage: want.stage, row: s.row, how: want.how });
      if (want.error) {
        const e = serverError(r);
        expect(e?.type === 'decode-error' && { code: e.error.code, field: e.error.field, lane: e.lane }).toEqual({ code: want.error.code, field: want.error.field, lane: want.error.lane });
        if (e?.type === 'decode-error' && want.error.offset >= 0) expect(e.error.offset).toBe(want.error.offset);
        // the verdict's evidence gives the error and where it is (its offset: "[S→C byte N]" in the text report)
        if (e?.type === 'decode-error') expect(v.evidence).toContainEqual(expect.objectContaining({ offset: e.error.offset, text: expect.stringContaining(e.error.reason) }));
      }
    });
  }
});

describe('what the verdicts say', () => {
  it('slow-drip: the stage timeout ends it although bytes keep coming, and the evidence counts them', async () => {
    const r = await probeTimed('hostile-slow-drip');
    expect(r.verdict.summary).toBe('the server began its Confirm but did not complete it before the timeout');
    const text = r.verdict.evidence.map((x) => x.text).join('\n');
    const n = Number(/the server sent (\d+) bytes but no complete Confirm/.exec(text)?.[1]);
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThan(19);
    expect(text).toContain(`no progress for ${TIMEOUT} ms, only ${n} bytes that completed nothing`);
  });

  it('huge-tpkt: 19 of the 65535 bytes the TPKT header claims arrived, and the probe waited for no more than its timeout', async () => {
    const r = await probeTimed('hostile-huge-tpkt');
    expect(r.verdict.evidence.map((x) => x.text)).toContain(`the server sent 19 bytes but no complete Confirm before the timeout (no progress for ${TIMEOUT} ms, only 19 bytes that completed nothing)`);
  });

  it('endless-tls: stopped at the record bound, long before the stage timeout', async () => {
    const r = await probeTimed('hostile-endless-tls');
    expect(r.durationMs).toBeLessThan(TIMEOUT);
    expect(r.verdict.summary).toContain(`${MAX_HANDSHAKE_RECORDS} records without completing the handshake`);
  });

  it('endless-credssp: stopped at the round limit; without credentials the probe stops at the CHALLENGE anyway', async () => {
    const r = await probeTimed('hostile-endless-credssp', CREDENTIALS);
    expect(r.verdict.summary).toBe(`CredSSP does not end: the server sent more than ${MAX_CREDSSP_ROUNDS} TSRequests`);
    const server = r.events.filter((e) => e.type === 'pdu' && e.dir === 's2c' && e.name === 'CredSSP TSRequest');
    expect(server).toHaveLength(MAX_CREDSSP_ROUNDS + 1);
    const plain = await probeTimed('hostile-endless-credssp');
    expect(plain.verdict.status).toBe('ok');
  });

  it('garbage after the ServerHello: the server\'s bytes are blamed, not the client\'s alert answering them', async () => {
    const r = await probeTimed('hostile-garbage-after-server-hello');
    expect(r.verdict.summary).toBe(`the server's TLS stream breaks after its ServerHello: content type at byte ${AFTER_SERVER_HELLO}: 0xa7 is not a TLS content type (20-24)`);
  });
});

describe('an RST at every stage names that stage', () => {
  // the first three are the existing scenarios; the rest are hostile-rst-*
  const AT: [string, StageName, Partial<ProbeOptions>?][] = [
    ['reset-after-request', 'x224'],
    ['tls-reset-after-hello', 'tls'],
    ['credssp-reset-after-request', 'credssp'],
    ['hostile-rst-after-connect-initial', 'mcs-connect'],
    ['hostile-rst-after-attach-user', 'channels'],
    ['hostile-rst-after-security-exchange', 'security-exchange', RDP_ONLY],
    ['hostile-rst-after-client-info', 'channels'],
    ['hostile-rst-during-licensing', 'licensing'],
  ];
  it.concurrent.each(AT)('%s → %s', async (name, stage, opts) => {
    const r = await probeTimed(name, opts);
    expect(r.verdict).toMatchObject({ status: 'failed', failedStage: stage, endedBy: { who: 'server', how: 'rst' } });
  });
});

describe('bounded memory', () => {
  it('huge claimed lengths (64 KiB TPKT, 64 KiB TLS record, 16 MiB handshake message, 4 GiB DER) are never allocated', async () => {
    for (const name of ['hostile-huge-tpkt', 'hostile-huge-tls', 'hostile-huge-tls-handshake', 'hostile-huge-der']) {
      await probeTimed(name); // the server is started outside the measurement
      const { growth } = await peakGrowth(() => probeTimed(name));
      expect(growth, `${name}: ${(growth / 1e6).toFixed(1)} MB`).toBeLessThan(4 * 1024 * 1024);
    }
  }, 30_000);

  it('200 concurrent probes against hostile servers all end within the timeout, with heap growth under 64 MB', async () => {
    const names = ['hostile-slow-drip', 'hostile-huge-tpkt', 'hostile-huge-tls', 'hostile-huge-tls-handshake', 'hostile-huge-der', 'hostile-endless-tls', 'hostile-endless-credssp', 'hostile-zero-window', 'hostile-garbage-after-confirm', 'hostile-garbage-after-server-hello'];
    await Promise.all(names.map((n) => probeScenario(n, { stageTimeoutMs: 50 }))); // start the servers first
    const started = performance.now();
    const { growth, value } = await peakGrowth(() => Promise.all(Array.from({ length: 200 }, (_, i) => {
      const name = names[i % names.length]!;
      return probeScenario(name, { stageTimeoutMs: TIMEOUT, connectTimeoutMs: TIMEOUT, ...EXPECT[name]!.opts });
    })));
    const wall = performance.now() - started;
    expect(value).toHaveLength(200);
    for (const r of value) expect(r.verdict.status, r.verdict.summary).toBe('failed');
    expect(wall).toBeLessThan(TIMEOUT + 4 * MARGIN);
    expect(growth, `${(growth / 1e6).toFixed(1)} MB`).toBeLessThan(64 * 1024 * 1024);
  }, 30_000);
});
