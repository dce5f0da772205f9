// No password of the lab or of the scenario server is in anything we ship as data: the recorded
// captures (fixtures/), the recorded CredSSP plaintext (test/credssp/vectors.ts keeps the lab password
// only to recompute NTLMv2, so it is checked for the hex of the password's encodings instead).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIO_ACCOUNT } from '../../src/server/credssp-responder.js';
import { LAB_PASSWORD } from '../helpers/lab.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const SECRETS = [LAB_PASSWORD, 'Wrong#Pass9', SCENARIO_ACCOUNT.password];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

const encodings = (s: string): Buffer[] => [Buffer.from(s, 'utf8'), Buffer.from(s, 'utf16le')];

describe('no password in recorded data', () => {
  const shipped = files(join(ROOT, 'fixtures'));

  it('there are fixtures to check, among them NLA logons', () => {
    expect(shipped.length).toBeGreaterThan(10);
    expect(shipped.some((f) => f.includes('nla'))).toBe(true);
  });

  it.each(shipped.map((f) => [f.slice(ROOT.length)]))('%s holds no password, in UTF-8 or UTF-16LE', (rel) => {
    const bytes = readFileSync(join(ROOT, rel));
    for (const s of SECRETS) for (const e of encodings(s)) expect(bytes.includes(e), `${s} in ${rel}`).toBe(false);
  });

  it('the recorded CredSSP plaintext (hex in test/credssp/vectors.ts) holds no password encoding', () => {
    const text = readFileSync(join(ROOT, 'test/credssp/vectors.ts'), 'utf8').replace(/[\s',+]/g, '').toLowerCase();
    for (const s of SECRETS) for (const e of encodings(s)) expect(text.includes(e.toString('hex')), s).toBe(false);
  });
});
