// What a command may touch for output and input; injected so commands are testable without a terminal.
import { createInterface } from 'node:readline';
import { promptSecret } from './password.js';
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** colour allowed: stdout is a TTY and NO_COLOR is unset */
  color: boolean;
  /** stderr is a TTY (progress output allowed) */
  interactive: boolean;
  /** environment variables (for passwords: never argv) */
  env: Readonly<Record<string, string | undefined>>;
  /** asks for a secret without echo; undefined when there is no terminal to ask on */
  promptSecret(prompt: string): Promise<string | undefined>;
  /** the lines of standard input, read as they come (scan's `-` target list); absent: no input */
  stdinLines?(): AsyncIterable<string>;
}

export function processIO(): CliIO {
  // a reader that goes away (`| head`) ends the output, not the program with a stack trace
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  return {
    out: (t) => { process.stdout.write(t); },
    err: (t) => { process.stderr.write(t); },
    color: Boolean(process.stdout.isTTY) && !noColor && process.env.TERM !== 'dumb',
    interactive: Boolean(process.stderr.isTTY),
    env: process.env,
    promptSecret,
    stdinLines: () => createInterface({ input: process.stdin, crlfDelay: Infinity }),
  };
}

/** Documented exit codes. */
export const EXIT = {
  OK: 0,
  FAILED: 1,
  USAGE: 2,
  CANNOT_ANALYZE: 3,
} as const;
