// `rdpscope serve --scenario NAME`: the scripted loopback RDP server reproducing failure-catalogue
// rows (src/server/scenarios.ts); `--list` prints the scenarios.
import type { Argv } from 'yargs';
import { findScenario, SCENARIOS, type Scenario } from '../../server/scenarios.js';
import { isLoopback, startScenarioServer, type ScenarioServer } from '../../server/server.js';
import type { Command } from '../command.js';
import { EXIT, type CliIO } from '../io.js';

export interface ServeArgs {
  scenario?: string;
  port: number;
  host: string;
  list: boolean;
  json: boolean;
}

const rowText = (s: Scenario): string => (s.row === null ? '-' : String(s.row));

function renderScenarioList(list: readonly Scenario[]): string {
  const nameWidth = Math.max('SCENARIO'.length, ...list.map((s) => s.name.length));
  const line = (name: string, row: string, text: string): string => `${name.padEnd(nameWidth)}  ${row.padStart(3)}  ${text}`.trimEnd();
  return [line('SCENARIO', 'ROW', 'BEHAVIOUR'), ...list.map((s) => line(s.name, rowText(s), s.describe))].join('\n') + '\n';
}

/** Resolves with the name of the first SIGINT or SIGTERM, then stops listening for them. */
function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

/** Serves until SIGINT or SIGTERM, then closes every connection. Returns the exit code. */
async function serve(args: ServeArgs, io: CliIO): Promise<number> {
  if (args.list) {
    const rows = SCENARIOS.map((s) => ({ name: s.name, row: s.row, describe: s.describe }));
    io.out(args.json ? `${JSON.stringify(rows, null, 2)}\n` : renderScenarioList(SCENARIOS));
    return EXIT.OK;
  }
  const scenario = args.scenario === undefined ? undefined : findScenario(args.scenario);
  if (!scenario) {
    const what = args.scenario === undefined ? 'name a scenario with --scenario NAME' : `unknown scenario "${args.scenario}"`;
    io.err(`rdpscope serve: ${what}; scenarios: ${SCENARIOS.map((s) => s.name).join(', ')}\n`);
    return EXIT.USAGE;
  }
  if (!isLoopback(args.host)) {
    io.err(`rdpscope serve: refusing to listen on ${args.host}: the scenario server binds loopback only (127.0.0.0/8, ::1, localhost)\n`);
    return EXIT.USAGE;
  }
  let server: ScenarioServer;
  try {
    server = await startScenarioServer({ scenario: scenario.name, host: args.host, port: args.port });
  } catch (e) {
    io.err(`rdpscope serve: cannot listen on ${args.host}:${args.port}: ${(e as Error).message}\n`);
    return EXIT.FAILED;
  }
  const stopped = nextSignal();
  const { host, port } = server;
  io.out(args.json
    ? `${JSON.stringify({ listening: { scenario: scenario.name, host, port, row: scenario.row } })}\n`
    : `listening scenario=${scenario.name} host=${host} port=${port} row=${rowText(scenario)}\n`);
  await stopped;
  await server.close();
  return EXIT.OK;
}

export const serveCommand: Command<ServeArgs> = {
  command: 'serve',
  describe: 'run a scripted RDP server on loopback that reproduces a handshake failure (--list for the scenarios)',
  builder: (y: Argv) =>
    y
      .option('scenario', { type: 'string', describe: 'scenario name (see --list)' })
      .option('port', { type: 'number', default: 0, describe: 'TCP port; 0 picks a free one' })
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'loopback address to bind (127.0.0.0/8, ::1, localhost)' })
      .option('list', { type: 'boolean', default: false, describe: 'list the scenarios with their failure-catalogue rows' })
      .option('json', { type: 'boolean', default: false, describe: 'print the list (or the listening line) as JSON' }) as unknown as Argv<ServeArgs>,
  run: serve,
};
