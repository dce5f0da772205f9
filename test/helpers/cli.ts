// Runs the CLI in-process with captured output.
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';

export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => { out += t; }, err: (t) => { err += t; }, color: false, interactive: false };
  const code = await main(argv, io);
  return { code, out, err };
}

export function ndjson(out: string): Record<string, any>[] {
  return out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
}
