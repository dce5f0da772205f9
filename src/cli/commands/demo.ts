// rdpscope demo: the embedded default. Analyzes the bundled captures, then starts scenario servers
// on loopback and probes them, so one command shows everything with no network and no setup.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Argv } from 'yargs';
import type { Command } from '../command.js';
import { EXIT } from '../io.js';
import { analyzeCommand } from './analyze.js';
import { probeCommand } from './probe.js';
import { startScenarioServer, type ScenarioServer } from '../../server/server.js';
import { SCENARIO_ACCOUNT } from '../../server/credssp-responder.js';
import { DEFAULT_PASSWORD_ENV } from '../password.js';
import { style } from '../../report/style.js';
import { PACKAGE_ROOT } from '../root.js';

interface DemoArgs {
  json: boolean;
}

/** scenarios probed by the demo: the classic 0x904/0x7 close, "NLA required", no common cipher, an expired certificate, and a success */
const DEMO_SCENARIOS = ['close-after-request', 'neg-failure-5', 'tls-alert-handshake-failure', 'tls-expired', 'ok'];

function bundledCaptures(): string[] {
  return ['fixtures/pcaps', 'fixtures/lab'].flatMap((d) => {
    try {
      return readdirSync(join(PACKAGE_ROOT, d)).filter((f) => /\.pcap(ng)?$/.test(f)).sort().map((f) => join(PACKAGE_ROOT, d, f));
    } catch {
      return [];
    }
  });
}

function probeArgs(server: ScenarioServer, json: boolean): Parameters<typeof probeCommand.run>[0] {
  return {
    target: `${server.host}:${server.port}`, port: server.port, 'enumerate-protocols': false, 'enumerate-tls': false, 'enumerate-rdp-security': false, 'expiry-warning': 30, credssp: true, mcs: true,
    'connect-timeout': 2000, timeout: 2000, json, bytes: false, 'password-env': DEFAULT_PASSWORD_ENV,
  };
}

export const demoCommand: Command<DemoArgs> = {
  command: 'demo',
  describe: 'analyze the bundled captures and probe built-in scenario servers on loopback',
  builder: (y: Argv) => y.option('json', { type: 'boolean', default: false, describe: 'NDJSON output' }) as unknown as Argv<DemoArgs>,

  async run(a, io) {
    const s = style(io.color);
    const files = bundledCaptures();
    if (!a.json) io.out(s.bold(`== analyze: ${files.length} bundled captures ==\n\n`));
    await analyzeCommand.run({ files: files.map((f) => relative(process.cwd(), f) || f), port: [3389], json: a.json, bytes: false, 'expiry-warning': 30 }, io);
    for (const scenario of DEMO_SCENARIOS) {
      const server = await startScenarioServer({ scenario });
      try {
        if (!a.json) io.out(s.bold(`\n== probe: scenario server "${scenario}" on ${server.host}:${server.port} ==\n\n`));
        await probeCommand.run(probeArgs(server, a.json), io);
      } finally {
        await server.close();
      }
    }
    // the credentialed NLA check, with the scenario server's own test account
    const server = await startScenarioServer({ scenario: 'ok' });
    try {
      if (!a.json) io.out(s.bold(`\n== probe --user ${SCENARIO_ACCOUNT.user} --delegate: scenario server "ok" on ${server.host}:${server.port} ==\n\n`));
      const env = { [DEFAULT_PASSWORD_ENV]: SCENARIO_ACCOUNT.password };
      await probeCommand.run({ ...probeArgs(server, a.json), user: SCENARIO_ACCOUNT.user, delegate: true }, { ...io, env });
    } finally {
      await server.close();
    }
    return EXIT.OK;
  },
};
