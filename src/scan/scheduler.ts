// Runs work over a stream of items with at most `concurrency` in flight and, with `rate`, at most
// that many starts per second (a token bucket). Items are pulled from the source only when one can
// start, so memory stays flat however long the source is. Time comes from an injected Clock.
import { performance } from 'node:perf_hooks';

export interface Clock {
  /** milliseconds, monotonic */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
};

/** `rate` tokens per second, at most `burst` saved up; take() waits for one. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(private readonly rate: number, private readonly clock: Clock, private readonly burst = 1) {
    if (!(rate > 0)) throw new RangeError(`rate must be positive, not ${rate}`);
    this.tokens = burst;
    this.last = clock.now();
  }

  /** Callers take one at a time (the scheduler's feeder is the only one). */
  async take(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.rate) / 1000);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.clock.sleep(((1 - this.tokens) * 1000) / this.rate);
    }
  }
}

export interface PoolOptions {
  concurrency: number;
  /** starts per second (in bursts of at most rate/100); absent: as fast as slots free up */
  rate?: number;
  clock?: Clock;
  /** called when an item starts and when one finishes (progress display) */
  onChange?: (state: { active: number; finished: number }) => void;
}

/**
 * Results of `work` over `source`, in the order they finish. Stopping early (break) stops pulling
 * from the source; work already started still runs to its end. An error from the source or from
 * `work` is thrown once the work in flight has finished.
 */
export async function* runPool<T, R>(source: AsyncIterable<T> | Iterable<T>, work: (item: T) => Promise<R>, o: PoolOptions): AsyncGenerator<R> {
  if (!Number.isInteger(o.concurrency) || o.concurrency < 1) throw new RangeError(`concurrency must be a positive integer, not ${o.concurrency}`);
  // bursts of 10 ms worth of tokens (at least 1): timers cannot space starts finer than about a millisecond
  const bucket = o.rate === undefined ? undefined : new TokenBucket(o.rate, o.clock ?? systemClock, Math.max(1, Math.floor(o.rate / 100)));
  const finished: R[] = [];
  const state = { active: 0, finished: 0 };
  let feeding = true;
  let failure: { error: unknown } | undefined;
  // one waiter each: the feeder waits for a free slot, the consumer for a result or the end
  let slotFreed: (() => void) | undefined;
  let changed: (() => void) | undefined;
  const wake = (): void => {
    const [s, c] = [slotFreed, changed];
    slotFreed = changed = undefined;
    s?.();
    c?.();
  };

  const feed = async (): Promise<void> => {
    const items = (Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]()) as AsyncIterator<T> | Iterator<T>;
    try {
      while (feeding) {
        while (feeding && state.active >= o.concurrency) await new Promise<void>((r) => { slotFreed = r; });
        if (!feeding) break;
        const next = await items.next();
        if (next.done) break;
        await bucket?.take();
        if (!feeding) break;
        state.active++;
        o.onChange?.(state);
        work(next.value).then(
          (r) => { finished.push(r); },
          (error: unknown) => { failure ??= { error }; feeding = false; },
        ).finally(() => {
          state.active--;
          state.finished++;
          o.onChange?.(state);
          wake();
        });
      }
    } catch (error) {
      failure ??= { error };
    } finally {
      feeding = false;
      await items.return?.();
      wake();
    }
  };

  const feeder = feed();
  try {
    for (;;) {
      while (finished.length) yield finished.shift()!;
      if (!feeding && state.active === 0) break;
      await new Promise<void>((r) => { changed = r; });
    }
    await feeder;
    if (failure) throw failure.error;
  } finally {
    // a consumer that stops early: no new work; the feeder ends at its next check
    feeding = false;
    wake();
  }
}
