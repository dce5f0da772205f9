// The shape every CLI command module exports; main.ts registers them with yargs.
import type { Argv } from 'yargs';
import type { CliIO } from './io.js';

export interface Command<A = Record<string, unknown>> {
  command: string | string[];
  describe: string;
  builder: (y: Argv) => Argv<A>;
  /** Runs the command and returns the process exit code (see EXIT in io.ts). */
  run: (args: A, io: CliIO) => Promise<number>;
}
