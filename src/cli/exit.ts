import type { Verdict } from '../analyze/verdict.js';
import { EXIT } from './io.js';

/** ok → 0, failed (diagnosed) → 1, undetermined → 3. */
export function exitFor(v: Verdict): number {
  return v.status === 'ok' ? EXIT.OK : v.status === 'failed' ? EXIT.FAILED : EXIT.CANNOT_ANALYZE;
}
