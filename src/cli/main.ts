// CLI entry: registers the commands with yargs and turns their results into exit codes.
import yargs, { type Argv } from 'yargs';
import type { Command } from './command.js';
import { EXIT, processIO, type CliIO } from './io.js';
import { passwordOnCommandLine } from './password.js';

// Each command's modules load only when it runs (a probe does not load the scenario server, the
// capture reader or node-forge); help and unknown commands load them all.
const COMMANDS: Record<string, () => Promise<unknown>> = {
  probe: async () => (await import('./commands/probe.js')).probeCommand,
  scan: async () => (await import('./commands/scan.js')).scanCommand,
  fixture: async () => (await import('./commands/fixture.js')).fixtureCommand,
  analyze: async () => (await import('./commands/analyze.js')).analyzeCommand,
  serve: async () => (await import('./commands/serve.js')).serveCommand,
  explain: async () => (await import('./commands/explain.js')).explainCommand,
  limits: async () => (await import('./commands/limits.js')).limitsCommand,
  demo: async () => (await import('./commands/demo.js')).demoCommand,
};

async function commandsFor(argv: string[]): Promise<Command<never>[]> {
  const name = argv.find((a) => !a.startsWith('-'));
  const chosen = name !== undefined && Object.hasOwn(COMMANDS, name) ? [COMMANDS[name]!] : Object.values(COMMANDS);
  return (await Promise.all(chosen.map((load) => load()))) as Command<never>[];
}

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
  for (const c of await commandsFor(argv)) {
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
