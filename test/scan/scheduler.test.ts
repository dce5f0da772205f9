// The scan scheduler on a fake clock: the concurrency bound, the rate, lazy pulling, errors, early stops.
import { describe, expect, it } from 'vitest';
import { runPool, TokenBucket, type Clock } from '../../src/scan/scheduler.js';

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Time moves only when tick() is called: to the next pending sleep. */
class FakeClock implements Clock {
  t = 0;
  private timers: { at: number; seq: number; done: () => void }[] = [];
  private seq = 0;
  now(): number { return this.t; }
  sleep(ms: number): Promise<void> {
    return new Promise((done) => { this.timers.push({ at: this.t + Math.max(0, ms), seq: this.seq++, done }); });
  }
  /** Lets pending promise work run, then fires the earliest timer; false when none is pending. */
  async tick(): Promise<boolean> {
    await settle();
    if (!this.timers.length) return false;
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const next = this.timers.shift()!;
    this.t = next.at;
    next.done();
    await settle();
    return true;
  }
}

/** Consumes the pool while driving the clock; every loop is bounded. */
async function drain<R>(clock: FakeClock, results: AsyncIterable<R>): Promise<R[]> {
  const out: R[] = [];
  let finished = false;
  let failure: { error: unknown } | undefined;
  const consumer = (async () => {
    try {
      for await (const r of results) out.push(r);
    } catch (error) {
      failure = { error };
    } finally {
      finished = true;
    }
  })();
  for (let i = 0; !finished && i < 100_000; i++) if (!(await clock.tick())) await settle();
  await consumer;
  if (failure) throw failure.error;
  return out;
}

function* numbers(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}

describe('runPool', () => {
  it('never has more than `concurrency` items in flight, and keeps that many busy', async () => {
    const clock = new FakeClock();
    let active = 0;
    let peak = 0;
    const work = async (i: number): Promise<number> => {
      peak = Math.max(peak, ++active);
      await clock.sleep(10 + ((i * 37) % 23)); // varied durations, so items finish out of order
      active--;
      return i;
    };
    const out = await drain(clock, runPool(numbers(200), work, { concurrency: 7, clock }));
    expect(peak).toBe(7);
    expect(out).toHaveLength(200);
    expect([...out].sort((a, b) => a - b)).toEqual([...numbers(200)]);
    expect(out).not.toEqual([...numbers(200)]); // completion order, not input order
    // 200 items of 10-32 ms, 7 at a time: about 200 * 21 / 7 ms, not 200 * 21
    expect(clock.t).toBeLessThan(200 * 33 / 7 + 33);
  });

  it('starts at most `rate` items a second (token bucket, burst 1) on the injected clock', async () => {
    const clock = new FakeClock();
    const starts: number[] = [];
    const work = async (i: number): Promise<number> => {
      starts.push(clock.now());
      await clock.sleep(5);
      return i;
    };
    const out = await drain(clock, runPool(numbers(50), work, { concurrency: 100, rate: 20, clock }));
    expect(out).toHaveLength(50);
    starts.forEach((t, i) => expect(t).toBeCloseTo(i * 50, 6));
    // within any second, at most 20 starts
    for (const t of starts) expect(starts.filter((s) => s >= t && s < t + 1000).length).toBeLessThanOrEqual(20);
  });

  it('a high rate comes in bursts of 10 ms worth of tokens, and holds over any window', async () => {
    const clock = new FakeClock();
    const starts: number[] = [];
    await drain(clock, runPool(numbers(500), async (i) => { starts.push(clock.now()); return i; }, { concurrency: 1000, rate: 2000, clock }));
    expect(starts.filter((t) => t === 0)).toHaveLength(20); // the full bucket
    for (const t of starts) expect(starts.filter((s) => s >= t && s < t + 100).length).toBeLessThanOrEqual(200 + 20);
    expect(starts.at(-1)).toBeCloseTo((500 - 20) / 2, 0);
  });

  it('a fractional rate: one start every 2 s at 0.5/s', async () => {
    const clock = new FakeClock();
    const starts: number[] = [];
    await drain(clock, runPool(numbers(4), async (i) => { starts.push(clock.now()); return i; }, { concurrency: 4, rate: 0.5, clock }));
    expect(starts).toEqual([0, 2000, 4000, 6000]);
  });

  it('pulls from the source only when an item can start', async () => {
    const clock = new FakeClock();
    let pulled = 0;
    let started = 0;
    let excess = 0;
    function* counted(): Generator<number> {
      for (let i = 0; i < 100; i++) {
        pulled++;
        yield i;
      }
    }
    const work = async (i: number): Promise<number> => {
      started++;
      excess = Math.max(excess, pulled - started);
      await clock.sleep(3);
      return i;
    };
    await drain(clock, runPool(counted(), work, { concurrency: 4, clock }));
    expect(started).toBe(100);
    expect(excess).toBe(0);
  });

  it('stops pulling from an endless source when the consumer stops, and ends by itself', async () => {
    let pulled = 0;
    let closed = false;
    function* endless(): Generator<number> {
      try {
        for (let i = 0; ; i++) {
          pulled++;
          yield i;
        }
      } finally {
        closed = true;
      }
    }
    const got: number[] = [];
    for await (const r of runPool(endless(), async (i) => i, { concurrency: 5 })) {
      got.push(r);
      if (got.length === 20) break;
    }
    for (let i = 0; i < 10 && !closed; i++) await settle();
    expect(closed).toBe(true);
    expect(pulled).toBeLessThanOrEqual(20 + 5 + 1);
  });

  it('an empty source ends at once', async () => {
    const out: number[] = [];
    for await (const r of runPool([], async (i: number) => i, { concurrency: 3 })) out.push(r);
    expect(out).toEqual([]);
  });

  it('a failing source: the items in flight finish and are yielded, then the error is thrown', async () => {
    async function* failing(): AsyncGenerator<number> {
      yield 1;
      yield 2;
      throw new Error('bad line');
    }
    const got: number[] = [];
    await expect((async () => {
      for await (const r of runPool(failing(), async (i) => { await settle(); return i; }, { concurrency: 4 })) got.push(r);
    })()).rejects.toThrow('bad line');
    expect(got.sort()).toEqual([1, 2]);
  });

  it('a failing item stops new starts; the error is thrown after the rest in flight finish', async () => {
    const clock = new FakeClock();
    const started: number[] = [];
    const work = async (i: number): Promise<number> => {
      started.push(i);
      await clock.sleep(i === 3 ? 1 : 10);
      if (i === 3) throw new Error('item 3');
      return i;
    };
    const results = runPool(numbers(1000), work, { concurrency: 4, clock });
    await expect(drain(clock, results)).rejects.toThrow('item 3');
    expect(started).toEqual([0, 1, 2, 3]);
  });

  it('refuses a concurrency that is not a positive integer', async () => {
    for (const concurrency of [0, -1, 1.5, Number.NaN]) {
      await expect(runPool([1], async (i) => i, { concurrency }).next()).rejects.toThrow(/concurrency/);
    }
  });
});

describe('TokenBucket', () => {
  it('saves up to `burst` tokens while idle, then spaces takes by 1/rate', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(10, clock, 3);
    clock.t = 10_000; // long idle: the bucket holds 3, not 100
    const times: number[] = [];
    const taking = (async () => {
      for (let i = 0; i < 5; i++) {
        await bucket.take();
        times.push(clock.now());
      }
    })();
    for (let i = 0; i < 10 && times.length < 5; i++) await clock.tick();
    await taking;
    expect(times).toEqual([10_000, 10_000, 10_000, 10_100, 10_200]);
  });

  it('refuses a rate that is not positive', () => {
    for (const rate of [0, -5, Number.NaN]) expect(() => new TokenBucket(rate, new FakeClock())).toThrow(/rate/);
  });
});
