// CLI entry: registers the commands with yargs and turns their results into exit codes.
import yargs, { type Argv } from 'yargs';
import type { Command } from './command.js';
import { EXIT, processIO, type CliIO } from './io.js';
import { probeCommand } from './commands/probe.js';
import { analyzeCommand } from './commands/analyze.js';
import { serveCommand } from './commands/serve.js';
import { explainCommand } from './commands/explain.js';
import { demoCommand } from './commands/demo.js';
import { scanCommand } from './commands/scan.js';
import { fixtureCommand } from './commands/fixture.js';
import { limitsCommand } from './commands/limits.js';
import { passwordOnCommandLine } from './password.js';

const COMMANDS: Command<never>[] = [
  probeCommand, scanCommand, fixtureCommand, analyzeCommand, serveCommand, explainCommand, limitsCommand, demoCommand,
] as unknown as Command<never>[];

// yargs drops a lone "-" (standard input, for analyze and scan) as a value: it passes under another name.
// nmap's -iL is one option, not -i -L.
const STDIN_ARG = '\0-';
const preparse = (a: string): string => (a === '-' ? STDIN_ARG : a === '-iL' ? '--iL' : a);
const postparse = (v: unknown): unknown => (v === STDIN_ARG ? '-' : v);

export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const password = passwordOnCommandLine(argv);
  if (password) {
    io.err(`rdpscope: ${password}\n`);
    return EXIT.USAGE;
  }
  let usage: string | undefined;
  // the command runs only after yargs has validated everything (strict mode checks after handlers)
  let chosen: { c: Command<never>; args: unknown } | undefined;
  let y: Argv = yargs(argv.map(preparse))
    .scriptName('rdpscope')
    .strict()
    .demandCommand(1, 'name a command')
    .recommendCommands()
    .help()
    .version()
    .wrap(process.stdout.columns ? Math.min(110, process.stdout.columns) : null)
    .fail((msg, err) => {
      usage = msg ?? err?.message ?? 'usage error';
    })
    .exitProcess(false);
  for (const c of COMMANDS) {
    y = y.command(c.command, c.describe, c.builder as (y: Argv) => Argv, (args) => {
      chosen = { c, args: Object.fromEntries(Object.entries(args).map(([k, v]) => [k, Array.isArray(v) ? v.map(postparse) : postparse(v)])) };
    });
  }
  try {
    await y.parseAsync();
  } catch (e) {
    usage ??= (e as Error).message;
  }
  if (usage !== undefined) {
    io.err(`rdpscope: ${usage}\n(run 'rdpscope --help' for usage)\n`);
    return EXIT.USAGE;
  }
  return chosen ? chosen.c.run(chosen.args as never, io) : EXIT.OK;
}
