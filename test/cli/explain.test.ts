import { describe, expect, it } from 'vitest';
import yargs from 'yargs';
import { explainCommand } from '../../src/cli/commands/explain.js';
import { EXIT, type CliIO } from '../../src/cli/io.js';

function fakeIO() {
  const io = { stdout: '', stderr: '', color: false, interactive: false, env: {}, promptSecret: async () => undefined } as CliIO & { stdout: string; stderr: string };
  io.out = (t) => { io.stdout += t; };
  io.err = (t) => { io.stderr += t; };
  return io;
}

async function run(codes: string[], json = false) {
  const io = fakeIO();
  const code = await explainCommand.run({ codes, json }, io);
  return { code, out: io.stdout, err: io.stderr };
}

describe('rdpscope explain', () => {
  it('explains 0x904 0x7 as a pair with the rows and what rdpscope sees', async () => {
    const r = await run(['0x904', '0x7']);
    expect(r.code).toBe(EXIT.OK);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^0x904 \/ 0x7 {2}\(2308 \/ 7\)\n/);
    expect(r.out).toContain('disconnectReasonAtClientWinsockFDCLOSE');
    expect(r.out).toContain('exDiscReasonServerDeniedConnection');
    expect(r.out).toContain('MEANING');
    for (const id of [4, 13, 14, 15, 19, 26, 29]) expect(r.out).toMatch(new RegExp(`^ +${id} {2}\\S`, 'm'));
    expect(r.out).toMatch(/right after the TLS\s+ClientHello, with no TLS alert/);
    for (const line of r.out.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it('prints the remedy when a code leads to a single row', async () => {
    const r = await run(['0xB09']);
    expect(r.code).toBe(EXIT.OK);
    expect(r.out).toContain('NlaRequiredByServer (undocumented)');
    expect(r.out).toContain('WHAT TO DO (row 7)');
    expect(r.out).toContain('enablecredsspsupport:i:1');
  });

  it('--json prints the explanation data', async () => {
    const r = await run(['2308', '7'], true);
    const data = JSON.parse(r.out);
    expect(data).toHaveLength(1);
    expect(data[0]).toMatchObject({ kind: 'pair', code: { hex: '0x904' }, extended: { hex: '0x7' } });
    expect(data[0].rows.map((x: { id: number }) => x.id)).toContain(13);
  });

  it('exits 2 with a usage message on a malformed code, printing nothing else', async () => {
    const r = await run(['0x904', 'zz!']);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^rdpscope explain: "zz!" is not a code/);
  });

  it('exits 1 when a well-formed code is in no table', async () => {
    const r = await run(['0x12345678']);
    expect(r.code).toBe(EXIT.FAILED);
    expect(r.out).toContain('Not defined in any table rdpscope knows');
  });

  it('parses its arguments with yargs as strings', async () => {
    const argv = await yargs(['explain', '0x904', '2308', '--json'])
      .command({ command: explainCommand.command, describe: explainCommand.describe, builder: explainCommand.builder as never, handler: () => {} })
      .strict()
      .parseAsync();
    expect(argv.codes).toEqual(['0x904', '2308']);
    expect(argv.json).toBe(true);
  });
});
