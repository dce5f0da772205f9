// `--limit NAME=VALUE` (repeatable): the configurable bounds of src/limits.ts, checked while the
// command line is parsed, so a bad one is a usage error (exit 2) before anything is contacted or read.
import type { Options } from 'yargs';
import { parseLimits, type Limits, type LimitScope } from '../limits.js';

export interface LimitArgs {
  /** the defaults with every --limit over them; absent when none was given */
  limit?: Limits;
}

/** The yargs option for a command whose limits are those of `scope` ('live': probe, scan, fixture; 'capture': analyze). */
export function limitOption(scope: Exclude<LimitScope, 'all'>): Options {
  return {
    type: 'string',
    requiresArg: true,
    describe: 'set a bound, e.g. --limit credssp-rounds=4 (repeatable; \'rdpscope limits\' lists them with their defaults and ranges)',
    // repeated, yargs passes an array; once, a string
    coerce: (v: string | string[]) => parseLimits([v].flat().map(String), scope),
  };
}
