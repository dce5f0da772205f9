// `rdpscope probe --user`: where the password comes from (an environment variable or a no-echo
// prompt, never argv), the account forms, and the credentialed NLA check end to end against the
// scenario server's one account, in-process. The password never appears in any output.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScenarioServer, type ScenarioServer } from '../../src/server/server.js';
import { SCENARIO_ACCOUNT } from '../../src/server/credssp-responder.js';
import { cliWith } from '../helpers/cli.js';

const PASSWORD = SCENARIO_ACCOUNT.password;
/** a distinctive value given on the command line: it must never be echoed */
const SECRET = 'Sekr1t#Value';

let ok: ScenarioServer;
let denied: ScenarioServer;
beforeAll(async () => {
  ok = await startScenarioServer({ scenario: 'ok', port: 0 });
  denied = await startScenarioServer({ scenario: 'credssp-eua-denied', port: 0 });
});
afterAll(async () => {
  await Promise.all([ok.close(), denied.close()]);
});

const target = (s: ScenarioServer = ok): string => `127.0.0.1:${s.port}`;
const env = (password = PASSWORD, name = 'RDPSCOPE_PASSWORD'): { env: Record<string, string> } => ({ env: { [name]: password } });

/** the password as text, or its UTF-8 or UTF-16LE bytes as hex (spaced or not) */
function leaks(text: string, password = PASSWORD): boolean {
  const flat = text.replace(/[\s:]/g, '').toLowerCase();
  return text.includes(password) || flat.includes(Buffer.from(password, 'utf8').toString('hex')) || flat.includes(Buffer.from(password, 'utf16le').toString('hex'));
}

describe('a password on the command line is refused before anything runs', () => {
  const forms: string[][] = [
    ['--password', SECRET], ['-p', SECRET], [`--password=${SECRET}`], ['--pw', SECRET], ['--pass', SECRET],
    ['--passwd', SECRET], [`-p=${SECRET}`], [`--PASSWORD=${SECRET}`], [`--pw=${SECRET}`],
  ];
  for (const form of forms) {
    const flag = form[0]!.replace(/=.*$/, '');
    it(`probe ${form.join(' ')}: exit 2, names ${flag}, never the value`, async () => {
      const r = await cliWith(env(), 'probe', target(), '--no-mcs', '--user', 'rdpscope', ...form);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.prompts).toEqual([]);
      expect(r.err).toContain(`${flag}:`);
      expect(r.err).toMatch(/a password is never read from the command line/);
      expect(r.err).toContain('RDPSCOPE_PASSWORD');
      expect(r.err).not.toContain(SECRET);
      expect(r.err).not.toContain('Sekr1t');
      // and nothing was probed: the server saw no connection
      expect(ok.connections).toBe(0);
    });
  }

  it('anywhere on the line, with or without a command, before yargs', async () => {
    for (const argv of [['--password', SECRET], ['--password', SECRET, 'probe', target()], ['probe', '-p', SECRET, target(), '--user', 'rdpscope']]) {
      const r = await cliWith({}, ...argv);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^rdpscope: --?p(assword)?: a password is never read/);
      expect(r.err).not.toContain(SECRET);
      expect(r.err).not.toMatch(/name a command|Unknown argument/);
    }
  });

  it('--password-env is an option, not a password flag', async () => {
    const r = await cliWith(env(PASSWORD, 'OTHER'), 'probe', target(), '--no-mcs', '--user', 'rdpscope', '--password-env', 'OTHER', '--json');
    expect(r.code).toBe(0);
  });
});

describe('usage errors', () => {
  it('--user without a password and no prompt answer: exit 2, "needs a password", after one prompt', async () => {
    const r = await cliWith({}, 'probe', target(), '--no-mcs', '--user', 'rdpscope');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--user needs a password: set RDPSCOPE_PASSWORD, or run in a terminal to be prompted/);
    expect(r.prompts).toEqual(['password for rdpscope: ']);
    expect(r.out).toBe('');
  });

  it('the message names the variable --password-env gives', async () => {
    const r = await cliWith(env(), 'probe', target(), '--no-mcs', '--user', 'rdpscope', '--password-env', 'MY_PW');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/needs a password: set MY_PW\b/);
  });

  it('--delegate without --user: exit 2', async () => {
    const r = await cliWith(env(), 'probe', target(), '--no-mcs', '--delegate');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/delegate/);
    expect(r.out).toBe('');
  });

  it('--domain without --user: exit 2', async () => {
    const r = await cliWith(env(), 'probe', target(), '--no-mcs', '--domain', 'DOM');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/domain -> user/);
  });

  it('--user with --no-credssp, --enumerate-protocols or --enumerate-tls: exit 2, no prompt', async () => {
    for (const flag of ['--no-credssp', '--enumerate-protocols', '--enumerate-tls']) {
      const r = await cliWith({}, 'probe', target(), '--no-mcs', '--user', 'rdpscope', flag);
      expect(r.code, flag).toBe(2);
      expect(r.err).toMatch(/--user needs the CredSSP exchange of a single probe/);
      expect(r.prompts).toEqual([]);
    }
  });

  // src/cli/commands/probe.ts gives --delegate `default: false` and `.implies('delegate', 'user')`:
  // yargs counts a defaulted option as given, so every probe without --user is refused with
  // "Implications failed: delegate -> user" (test/cli/probe.test.ts fails for the same reason).
  it('a probe without --user or --delegate is not refused by the --delegate implication', async () => {
    const r = await cliWith({}, 'probe', target(), '--no-mcs', '--json');
    expect(r.err).not.toMatch(/Implications failed/);
    expect(r.code).toBe(0);
    expect(r.prompts).toEqual([]);
  });
});

describe('the credentialed check against the scenario server', () => {
  it('--user with the password in RDPSCOPE_PASSWORD: exit 0, logon accepted, the Logon line, never the password', async () => {
    const r = await cliWith(env(), 'probe', target(), '--no-mcs', '--user', 'rdpscope', '--bytes');
    expect(r.code).toBe(0);
    expect(r.prompts).toEqual([]);
    expect(r.out).toContain('NLA logon accepted for rdpscope');
    expect(r.out).toMatch(/Logon\s+rdpscope from RDPSCOPE: server pubKeyAuth verified \(v6\); credentials not delegated/);
    expect(r.out).toMatch(/credentials not delegated \(--delegate sends them and continues\)/);
    expect(leaks(r.out)).toBe(false);
    expect(leaks(r.err)).toBe(false);
  });

  it('--delegate: credentials delegated, Early User Authorization AUTHZ_SUCCESS', async () => {
    const r = await cliWith(env(), 'probe', target(), '--no-mcs', '--user', 'rdpscope', '--delegate', '--bytes');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Logon\s+rdpscope from RDPSCOPE: server pubKeyAuth verified \(v6\); credentials delegated/);
    expect(r.out).toMatch(/Early User Auth\s+AUTHZ_SUCCESS \(0\)/);
    expect(r.out).toMatch(/NLA logon accepted for rdpscope: .*; credentials delegated, Early User Authorization AUTHZ_SUCCESS/);
    expect(leaks(r.out)).toBe(false);
  });

  it('--delegate through to the Demand Active with --json and --html: the password is in neither file nor output', async () => {
    const html = join(mkdtempSync(join(tmpdir(), 'rdpscope-cred-')), 'r.html');
    const r = await cliWith(env(), 'probe', target(), '--user', 'rdpscope', '--delegate', '--json', '--html', html);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).credssp.logon).toMatchObject({ user: 'rdpscope', credentialsDelegated: true });
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('rdpscope');
    expect([leaks(r.out), leaks(r.err), leaks(page)]).toEqual([false, false, false]);
  });

  it('a wrong password: exit 1, row 20 STATUS_LOGON_FAILURE, neither password shown', async () => {
    const r = await cliWith(env('Wrong#Pass2'), 'probe', target(), '--no-mcs', '--user', 'rdpscope', '--delegate', '--bytes');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAILED at credssp/);
    expect(r.out).toMatch(/row 20/);
    expect(r.out).toMatch(/STATUS_LOGON_FAILURE/);
    expect(r.out).toMatch(/error code 0x807/);
    expect(leaks(r.out, 'Wrong#Pass2')).toBe(false);
    expect(leaks(r.out)).toBe(false);
  });

  it('row 24 through the CLI: eua-denied with --delegate exits 1', async () => {
    const r = await cliWith(env(), 'probe', target(denied), '--user', 'rdpscope', '--delegate');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/row 24/);
    expect(r.out).toMatch(/Early User Auth\s+AUTHZ_ACCESS_DENIED \(5\)/);
    expect(leaks(r.out)).toBe(false);
  });

  it('--password-env OTHER reads that variable, not RDPSCOPE_PASSWORD', async () => {
    const r = await cliWith({ env: { RDPSCOPE_PASSWORD: 'Wrong#Pass2', OTHER: PASSWORD } }, 'probe', target(), '--no-mcs', '--user', 'rdpscope', '--password-env', 'OTHER');
    expect(r.code).toBe(0);
    expect(r.prompts).toEqual([]);
    expect(r.out).toContain('NLA logon accepted for rdpscope');
  });

  it('no variable set: prompts once with "password for rdpscope: " and logs on with the answer', async () => {
    const r = await cliWith({ prompt: () => PASSWORD }, 'probe', target(), '--no-mcs', '--user', 'rdpscope', '--delegate');
    expect(r.code).toBe(0);
    expect(r.prompts).toEqual(['password for rdpscope: ']);
    expect(r.out).toContain('NLA logon accepted for rdpscope');
    expect(leaks(r.out)).toBe(false);
    expect(leaks(r.err)).toBe(false);
  });

  it('an empty variable counts as unset: the prompt is asked', async () => {
    const r = await cliWith({ env: { RDPSCOPE_PASSWORD: '' }, prompt: () => PASSWORD }, 'probe', target(), '--no-mcs', '--user', 'rdpscope');
    expect(r.code).toBe(0);
    expect(r.prompts).toEqual(['password for rdpscope: ']);
  });

  it('a wrong prompted password: row 20, exit 1', async () => {
    const r = await cliWith({ prompt: () => 'Wrong#Pass2' }, 'probe', target(), '--no-mcs', '--user', 'rdpscope');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/row 20/);
    expect(leaks(r.out, 'Wrong#Pass2')).toBe(false);
  });

  // the scenario server takes the client's domain into NTOWFv2 as sent (src/server/ntlm-server.ts),
  // so the logon succeeds whatever the domain; the AUTHENTICATE carries it, and the logon shows it
  for (const [what, args, shown] of [
    ['DOMAIN\\user', ['--user', 'DOM\\rdpscope'], 'DOM\\rdpscope'],
    ['user@domain', ['--user', 'rdpscope@DOM'], 'DOM\\rdpscope'],
    ['--domain', ['--user', 'rdpscope', '--domain', 'DOM'], 'DOM\\rdpscope'],
    ['--domain over DOMAIN\\user', ['--user', 'OTHER\\rdpscope', '--domain', 'DOM'], 'DOM\\rdpscope'],
  ] as const) {
    it(`${what}: the AUTHENTICATE is for ${shown}; the logon succeeds`, async () => {
      const r = await cliWith(env(), 'probe', target(), '--no-mcs', ...args, '--delegate');
      expect(r.code).toBe(0);
      expect(r.out).toContain(`NLA logon accepted for ${shown}:`);
      expect(r.out).toContain(`client sent the NTLM AUTHENTICATE for ${shown} with pubKeyAuth`);
      expect(r.out).toMatch(new RegExp(`Logon\\s+${shown.replace('\\', '\\\\')} from RDPSCOPE`));
    });
  }

  it('the prompt names the account as given', async () => {
    const r = await cliWith({ prompt: () => PASSWORD }, 'probe', target(), '--no-mcs', '--user', 'DOM\\rdpscope');
    expect(r.code).toBe(0);
    expect(r.prompts).toEqual(['password for DOM\\rdpscope: ']);
  });

  it('--json: credssp.logon and the verdict, never the password', async () => {
    const r = await cliWith(env(), 'probe', target(), '--no-mcs', '--user', 'rdpscope@DOM', '--delegate', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.credssp.logon).toEqual({ user: 'DOM\\rdpscope', workstation: 'RDPSCOPE', pubKeyAuth: 'match', version: 6, credentialsDelegated: true });
    expect(j.credssp.earlyUserAuth).toEqual({ value: 0, name: 'AUTHZ_SUCCESS' });
    expect(j.verdict).toMatchObject({ status: 'ok', summary: expect.stringMatching(/^NLA logon accepted for DOM\\rdpscope/) });
    expect(leaks(r.out)).toBe(false);
    expect(leaks(r.err)).toBe(false);
  });

  it('--json without --delegate: credentialsDelegated false', async () => {
    const r = await cliWith(env(), 'probe', target(), '--no-mcs', '--user', 'rdpscope', '--json');
    expect(JSON.parse(r.out).credssp.logon).toMatchObject({ user: 'rdpscope', pubKeyAuth: 'match', credentialsDelegated: false });
    expect(leaks(r.out)).toBe(false);
  });
});
