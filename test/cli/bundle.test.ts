// bin/bundle.js: the CLI bundle runs with the V8 code cache `npm run build` writes
// (scripts/code-cache.mjs), ignores a cache made for another bundle or Node, and runs without one.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE, CODE_CACHE, readCodeCache } from '../../bin/bundle.js';

const BUNDLE_JS = pathToFileURL(join(__dirname, '../../bin/bundle.js')).href;
const dir = mkdtempSync(join(tmpdir(), 'rdpscope-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Loads the bundle in a fresh node (the test runner's own V8 flags would make V8 refuse any cache). */
function load(cache: boolean): { rejected: boolean | undefined; version: string } {
  const code = `import { loadBundle } from ${JSON.stringify(BUNDLE_JS)};
const { script, exports } = loadBundle({ cache: ${cache} });
await exports.main(['--version']);
console.log(JSON.stringify({ rejected: script.cachedDataRejected ?? null }));`;
  // yargs prints the version on stdout itself, before the line above
  const [version, json] = execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' }).trim().split('\n');
  return { rejected: (JSON.parse(json!) as { rejected: boolean | null }).rejected ?? undefined, version: version! };
}

const VERSION = (JSON.parse(readFileSync(join(BUNDLE, '../../../package.json'), 'utf8')) as { version: string }).version;

describe('the code cache of the CLI bundle', () => {
  it('is the one the build wrote for this bundle and this Node, and V8 accepts it', () => {
    const file = readFileSync(CODE_CACHE);
    const head = file.subarray(0, file.indexOf(10) + 1).toString('latin1');
    expect(head).toMatch(new RegExp(`^rdpscope code cache: ${process.version.replace(/\./g, '\\.')} ${process.arch} \\d+ [\\d.]+\\n$`));
    expect(Buffer.compare(readCodeCache(), file.subarray(head.length))).toBe(0);
    expect(load(true)).toEqual({ rejected: false, version: VERSION });
  });

  it('is ignored when made for another bundle (size or mtime) or another Node', () => {
    const file = readFileSync(CODE_CACHE);
    const nl = file.indexOf(10);
    const [, , version, arch, size, mtime] = file.subarray(0, nl).toString('latin1').split(' ');
    const variants = [
      `rdpscope code cache: ${version} ${arch} ${Number(size) + 1} ${mtime}`,
      `rdpscope code cache: ${version} ${arch} ${size} ${Number(mtime) - 1000}`,
      `rdpscope code cache: v18.0.0 ${arch} ${size} ${mtime}`,
    ];
    for (const [i, head] of variants.entries()) {
      const path = join(dir, `stale-${i}`);
      writeFileSync(path, Buffer.concat([Buffer.from(`${head}\n`, 'latin1'), file.subarray(nl + 1)]));
      expect(readCodeCache(path), head).toBeUndefined();
    }
    expect(readCodeCache(join(dir, 'missing'))).toBeUndefined();
  });

  it('is not needed: without it the bundle compiles from source and the CLI runs', () => {
    expect(load(false)).toEqual({ rejected: undefined, version: VERSION });
  });
});
