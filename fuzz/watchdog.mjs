// Watchdog thread of fuzz/run.mjs: if no new input starts for `seconds`, the target is stuck on the
// last one (an endless loop the per-input time bound cannot catch). Save it and end the process.
import { workerData } from 'node:worker_threads';
import { saveRegression } from './engine.mjs';

const { shared, names, dir, seconds } = workerData;
const control = new Int32Array(shared, 0, 3);
const data = new Uint8Array(shared, 12);
let last = -1;
let still = 0;
setInterval(() => {
  const now = Atomics.load(control, 0);
  still = now === last ? still + 1 : 0;
  last = now;
  if (still < seconds) return;
  const target = names[control[2]];
  const path = saveRegression(dir, target, data.slice(0, control[1]));
  process.stderr.write(`HANG ${target}: no progress for ${seconds} s on the input saved as ${path}\n`);
  process.kill(process.pid, 'SIGKILL');
}, 1000);
