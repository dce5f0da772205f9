// Runs dist/cli/rdpscope.cjs, the single-file bundle of dist/cli (rolldown.config.mjs), as Node runs a
// CommonJS module, but compiled with V8's code cache (dist/cli/rdpscope.cache) when there is one for
// this very bundle and this Node: V8 then skips parsing and compiling what the cache holds. V8 checks
// the cache against its own version and flags and the source's length only, so the cache names the
// bundle it was made for (size and mtime) and Node's version; any other cache is ignored.
import { isAscii } from 'node:buffer';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

export const BUNDLE = fileURLToPath(new URL('../dist/cli/rdpscope.cjs', import.meta.url));
export const CODE_CACHE = fileURLToPath(new URL('../dist/cli/rdpscope.cache', import.meta.url));

/** The first line of a code cache file: what it was made for. */
function stamp() {
  const s = statSync(BUNDLE);
  return `rdpscope code cache: ${process.version} ${process.arch} ${s.size} ${s.mtimeMs}\n`;
}

/** The data of the code cache in `path` if it was made for this bundle and Node, else undefined. */
export function readCodeCache(path = CODE_CACHE) {
  let file;
  try {
    file = readFileSync(path);
  } catch {
    return undefined;
  }
  const head = stamp();
  return file.subarray(0, head.length).toString('latin1') === head ? file.subarray(head.length) : undefined;
}

/**
 * Compiles and runs the bundle; returns its exports ({ main }) and the compiled script (for
 * writeCodeCache). `cache: false` compiles from source.
 */
export function loadBundle({ cache = true } = {}) {
  // the bundle is ASCII (rolldown.config.mjs): read as latin1 it is a one-byte string, with no UTF-8
  // decoding (10 ms for the bundle when it held 371 non-ASCII bytes and became a two-byte string)
  const bytes = readFileSync(BUNDLE);
  const source = isAscii(bytes) ? bytes.latin1Slice() : bytes.toString('utf8');
  // Node's own CommonJS wrapper, on the first line so line numbers stay those of the file
  const script = new Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n})`, {
    filename: BUNDLE,
    ...(cache ? { cachedData: readCodeCache() } : {}),
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(BUNDLE), module, BUNDLE, dirname(BUNDLE));
  return { exports: module.exports, script };
}

/** Writes the code of every function the script has compiled so far as the bundle's code cache. */
export function writeCodeCache(script) {
  const tmp = `${CODE_CACHE}.${process.pid}`;
  writeFileSync(tmp, Buffer.concat([Buffer.from(stamp(), 'latin1'), script.createCachedData()]));
  renameSync(tmp, CODE_CACHE);
}
