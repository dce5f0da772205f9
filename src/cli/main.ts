// CLI entry: registers the commands with yargs and turns their results into exit codes.
import yargs, { type Argv } from 'yargs';
import type { Command } from './command.js';
import { EXIT, processIO, type CliIO } from './io.js';
import { probeCommand } from './commands/probe.js';
import { analyzeCommand } from './commands/analyze.js';
import { serveCommand } from './commands/serve.js';
import { explainCommand } from './commands/explain.js';
import { demoCommand } from './commands/demo.js';

const COMMANDS: Command<never>[] = [
  probeCommand, analyzeCommand, serveCommand, explainCommand, demoCommand,
] as unknown as Command<never>[];

export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  let code: number = EXIT.OK;
  let usage: string | undefined;
  let y: Argv = yargs(argv)
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
    y = y.command(c.command, c.describe, c.builder as (y: Argv) => Argv, async (args) => {
      code = await c.run(args as never, io);
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
  return code;
}
