// Runs the CLI in-process with captured output.
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';

export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  return cliWith({}, ...argv);
}

/** As cli(), with these environment variables and, when given, answers to password prompts. */
export async function cliWith(
  o: { env?: Record<string, string>; prompt?: (p: string) => string | undefined },
  ...argv: string[]
): Promise<{ code: number; out: string; err: string; prompts: string[] }> {
  let out = '';
  let err = '';
  const prompts: string[] = [];
  const io: CliIO = {
    out: (t) => { out += t; }, err: (t) => { err += t; }, color: false, interactive: false, env: o.env ?? {},
    promptSecret: async (p) => { prompts.push(p); return o.prompt?.(p); },
  };
  const code = await main(argv, io);
  return { code, out, err, prompts };
}

export function ndjson(out: string): Record<string, any>[] {
  return out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
}
