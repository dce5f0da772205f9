// Passwords for the credentialed NLA check: from an environment variable or an interactive prompt
// without echo, never from argv (it would show in `ps`, shell history and CI logs).
import { Writable } from 'node:stream';
import { createInterface } from 'node:readline';

/** Where the password is read from unless --password-env names another variable. */
export const DEFAULT_PASSWORD_ENV = 'RDPSCOPE_PASSWORD';

const PASSWORD_FLAG = /^(?:--?(?:password|passwd|pass|pw|p))(?:=.*)?$/i;

/** The command line tried to pass a password: the message says where one goes instead (and never repeats it). */
export function passwordOnCommandLine(argv: readonly string[]): string | undefined {
  const flag = argv.find((a) => PASSWORD_FLAG.test(a));
  if (!flag) return undefined;
  return `${flag.replace(/=.*$/, '')}: a password is never read from the command line (it would show in ps and the shell history); `
    + `set ${DEFAULT_PASSWORD_ENV} (or the variable --password-env names), or run in a terminal to be prompted`;
}

/** Reads a line from the terminal without echoing it; undefined when stdin is not a terminal. */
export function promptSecret(prompt: string): Promise<string | undefined> {
  if (!process.stdin.isTTY) return Promise.resolve(undefined);
  process.stderr.write(prompt);
  const mute = new Writable({ write: (_chunk, _enc, done) => done() });
  const rl = createInterface({ input: process.stdin, output: mute, terminal: true });
  return new Promise((resolve) => {
    let answered = false;
    rl.once('line', (line) => {
      answered = true;
      process.stderr.write('\n');
      rl.close();
      resolve(line);
    });
    rl.once('close', () => { if (!answered) resolve(undefined); });
  });
}
