// What a command may touch for output; injected so commands are testable without a terminal.
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** colour allowed: stdout is a TTY and NO_COLOR is unset */
  color: boolean;
  /** stderr is a TTY (progress output allowed) */
  interactive: boolean;
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
  };
}

/** Documented exit codes. */
export const EXIT = {
  OK: 0,
  FAILED: 1,
  USAGE: 2,
  CANNOT_ANALYZE: 3,
} as const;
