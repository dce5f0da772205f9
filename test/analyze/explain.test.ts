import { describe, expect, it } from 'vitest';
import { CodeSyntaxError, explain, type CodeExplanation, type PairExplanation } from '../../src/analyze/explain.js';

const one = <T>(list: unknown[]): T => {
  expect(list).toHaveLength(1);
  return list[0] as T;
};

describe('explain: pairs', () => {
  it('0x904 0x7 names the handshake rows and how rdpscope tells them apart', () => {
    const p = one<PairExplanation>(explain(['0x904', '0x7']));
    expect(p.kind).toBe('pair');
    expect(p.code.name).toBe('disconnectReasonAtClientWinsockFDCLOSE');
    expect(p.extended.name).toBe('exDiscReasonServerDeniedConnection');
    expect(p.errinfo?.name).toBe('ERRINFO_SERVER_DENIED_CONNECTION');
    const ids = p.rows.map((r) => r.id);
    for (const id of [4, 13, 14, 15, 19, 26, 29]) expect(ids).toContain(id);
    expect(ids).toEqual([4, 13, 14, 15, 19, 26, 29, 30, 32]);
    expect(p.rows.find((r) => r.id === 4)).toMatchObject({ stage: 'x224', observed: expect.stringMatching(/Connection Confirm/) });
    expect(p.rows.find((r) => r.id === 13)).toMatchObject({ stage: 'tls', observed: expect.stringMatching(/ClientHello, with no TLS alert/) });
    expect(p.rows.find((r) => r.id === 4)!.note).toBeUndefined();
    expect(p.rows.find((r) => r.id === 32)!.note).toMatch(/only if the server sent Set Error Info ERRINFO_SERVER_DENIED_CONNECTION/);
    expect(p.meaning.join(' ')).toMatch(/no Set Error Info/);
    expect(p.understood).toBe(true);
  });

  it('decimal 2308 equals 0x904, and the slash form equals two codes', () => {
    const strip = (e: unknown) => ({ ...(e as PairExplanation), input: '' });
    expect(strip(explain(['2308', '7'])[0])).toEqual(strip(explain(['0x904', '0x7'])[0]));
    expect(strip(explain(['0x904/0x7'])[0])).toEqual(strip(explain(['0x904', '0x7'])[0]));
  });

  it('0x904 0x8 (FIPS) leads to row 26 only, with the FIPS condition', () => {
    const p = one<PairExplanation>(explain(['0x904', '0x8']));
    expect(p.rows.map((r) => r.id)).toEqual([26]);
    expect(p.rows[0]!.note).toMatch(/FIPS/);
    expect(p.errinfo).toBeUndefined();
  });

  it('a Set Error Info value as extended code points at the server having said why', () => {
    const p = one<PairExplanation>(explain(['0x3', '0x102']));
    expect(p.rows.map((r) => r.id)).toEqual([31, 32]);
    expect(p.meaning[0]).toMatch(/ERRINFO_LICENSE_NO_LICENSE/);
  });

  it('0x904 0x0: a close with no extended reason matches no handshake row', () => {
    const p = one<PairExplanation>(explain(['0x904', '0']));
    expect(p.rows).toEqual([]);
    expect(p.meaning[0]).toMatch(/after the connection was set up/);
  });
});

describe('explain: single codes', () => {
  it('2308 and 0x904 give the same interpretations', () => {
    const a = one<CodeExplanation>(explain(['2308']));
    const b = one<CodeExplanation>(explain(['0x904']));
    expect(a.interpretations).toEqual(b.interpretations);
    expect(a.hex).toBe('0x904');
    expect(a.interpretations.map((i) => i.table)).toEqual(['disc']);
  });

  it('lists every table a number exists in', () => {
    const e = one<CodeExplanation>(explain(['5']));
    expect(e.interpretations.map((i) => i.table)).toEqual(['extended', 'errinfo', 'neg-failure', 'eua', 'mcs-result']);
    const neg = e.interpretations.find((i) => i.table === 'neg-failure')!;
    expect(neg).toMatchObject({ name: 'HYBRID_REQUIRED_BY_SERVER', source: 'MS-RDPBCGR 2.2.1.2.2' });
    expect(neg.rows.map((r) => r.id)).toEqual([7]);
    expect(e.interpretations.find((i) => i.table === 'eua')!.rows.map((r) => r.id)).toEqual([24]);
  });

  it('undocumented 0xB09 leads to row 7', () => {
    const e = one<CodeExplanation>(explain(['0xb09']));
    expect(e.interpretations[0]).toMatchObject({ table: 'disc', undocumented: true, hex: '0xB09' });
    expect(e.interpretations[0]!.rows.map((r) => r.id)).toEqual([7]);
  });

  it('accepts names, case-insensitively, and explains only that table', () => {
    const e = one<CodeExplanation>(explain(['errinfo_server_denied_connection']));
    expect(e.value).toBe(7);
    expect(e.interpretations.map((i) => i.table)).toEqual(['errinfo']);
    expect(one<CodeExplanation>(explain(['HYBRID_REQUIRED_BY_SERVER'])).interpretations[0]!.table).toBe('neg-failure');
  });

  it('a well-formed number no table defines is not understood', () => {
    const e = one<CodeExplanation>(explain(['0x12345678']));
    expect(e).toMatchObject({ understood: false, interpretations: [], hex: '0x12345678' });
  });

  it('codes that do not form a pair are explained one by one', () => {
    const list = explain(['0x7', '0x904']);
    expect(list.map((e) => e.kind)).toEqual(['code', 'code']);
    expect(explain(['0x204', '0x904', '0x7']).map((e) => e.kind)).toEqual(['code', 'code', 'code']);
  });
});

describe('explain: malformed input', () => {
  it.each([['0xZZ'], ['-5'], ['0x1ffffffff'], ['99999999999'], ['b09'], ['NOT_A_CODE'], [''], ['1/2/3'], ['0x904/']])(
    'rejects %j with a usage error',
    (code) => {
      expect(() => explain([code])).toThrow(CodeSyntaxError);
    },
  );

  it('hints at the 0x prefix for bare hex and rejects an empty list', () => {
    expect(() => explain(['b09'])).toThrow(/0x prefix/);
    expect(() => explain([])).toThrow(CodeSyntaxError);
  });
});

describe('explain: CredSSP errorCode (NTSTATUS)', () => {
  it('0xC000006D is STATUS_LOGON_FAILURE from a CredSSP errorCode and leads to row 20', () => {
    const c = one<CodeExplanation>(explain(['0xC000006D']));
    const i = one<CodeExplanation['interpretations'][number]>(c.interpretations);
    expect(i).toMatchObject({ table: 'ntstatus', name: 'STATUS_LOGON_FAILURE' });
    expect(i.rows.map((r) => r.id)).toEqual([20]);
  });

  it('a status name finds its value; a value in no table stays not understood', () => {
    expect(one<CodeExplanation>(explain(['STATUS_ACCOUNT_LOCKED_OUT'])).value).toBe(0xc0000234);
    expect(one<CodeExplanation>(explain(['0xC0FFEE01'])).understood).toBe(false);
  });
});
