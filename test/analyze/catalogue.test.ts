import { describe, expect, it } from 'vitest';
import { CATALOGUE, catalogueRow } from '../../src/analyze/catalogue.js';
import { STAGES } from '../../src/analyze/stages.js';
import { CODE_FAMILIES, describeCode } from '../../src/codes/index.js';

describe('failure catalogue', () => {
  it('has rows 1..35 in order, each complete', () => {
    expect(CATALOGUE.map((r) => r.id)).toEqual(Array.from({ length: 35 }, (_, i) => i + 1));
    for (const r of CATALOGUE) {
      expect(r.title, `row ${r.id}`).not.toBe('');
      expect(r.signature, `row ${r.id}`).not.toBe('');
      expect(r.causes.length, `row ${r.id}`).toBeGreaterThan(0);
      expect(r.remedy.length, `row ${r.id}`).toBeGreaterThan(0);
      for (const step of r.remedy) expect(step.length, `row ${r.id}`).toBeGreaterThan(20);
      expect(r.clientShows.text, `row ${r.id}`).not.toBe('');
      expect(r.reproduce, `row ${r.id}`).not.toBe('');
      expect([...STAGES, 'any']).toContain(r.stage);
    }
  });

  it('marks exactly the 0x904/0x7 rows of failure-catalogue.md', () => {
    const denied = CATALOGUE.filter((r) => r.clientShows.code === 0x904 && r.clientShows.extended === 0x7).map((r) => r.id);
    expect(denied).toEqual([4, 13, 14, 15, 19, 26, 29, 30]);
    for (const id of denied) expect(catalogueRow(id)!.clientShows.text).toMatch(/0x904 \/ 0x7/);
    expect(catalogueRow(26)!.clientShows.altExtended).toEqual([0x8]);
  });

  it('client codes and wire codes it names exist in the code tables', () => {
    const disc = CODE_FAMILIES.find((f) => f.id === 'disc')!.table;
    for (const r of CATALOGUE) {
      for (const c of [r.clientShows.code, ...(r.clientShows.altCodes ?? [])]) {
        if (c !== undefined) expect(describeCode(disc, c).known, `row ${r.id} ${c}`).toBe(true);
      }
      for (const ref of r.codes ?? []) {
        const fam = CODE_FAMILIES.find((f) => f.id === ref.table);
        if (!fam || ref.values === 'any') continue;
        for (const v of ref.values) expect(describeCode(fam.table, v).known, `row ${r.id} ${ref.table} ${v}`).toBe(true);
      }
    }
  });

  it('gives concrete remedies for the rows users meet most', () => {
    const r7 = catalogueRow(7)!.remedy.join(' ');
    expect(r7).toMatch(/enablecredsspsupport:i:1/);
    expect(r7).toMatch(/Network Level Authentication/);
    const r4 = catalogueRow(4)!.remedy.join(' ');
    for (const s of ['fDenyTSConnections', 'qwinsta', 'MaxInstanceCount', 'RemoteConnectionManager']) expect(r4).toContain(s);
    expect(catalogueRow(36)).toBeUndefined();
  });
});
