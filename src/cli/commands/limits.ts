// `rdpscope limits [NAME...]`: every bound rdpscope keeps (src/limits.ts), with its default and range
// for the ones --limit sets, the option that sets the others, and the spec section of the fixed ones.
import type { Argv } from 'yargs';
import type { Command } from '../command.js';
import { EXIT, type CliIO } from '../io.js';
import { BOUNDS, formatValue, type Bound, type FixedBound, type OptionBound, type TunableBound } from '../../limits.js';
import { style, type Style } from '../../report/style.js';
import { wrapWords } from '../../report/wrap.js';

interface LimitsArgs {
  names: string[];
  json: boolean;
}

const WIDTH = 100;
const INDENT = 4;

/** `text` word-wrapped to WIDTH, every line indented by INDENT. */
function wrap(text: string): string[] {
  return wrapWords(text, WIDTH - INDENT).map((l) => ' '.repeat(INDENT) + l);
}

/** Rows under a bold header line, columns padded to their widest cell; each row followed by its text. */
function section(s: Style, title: string, head: string[], rows: { cells: string[]; text: string[] }[]): string[] {
  if (!rows.length) return [];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r.cells[i]!.length)));
  const fmt = (cells: string[]): string => `  ${cells.map((c, i) => c.padEnd(widths[i]!)).join('  ')}`.trimEnd();
  return ['', s.bold(title), s.dim(fmt(head)), ...rows.flatMap((r) => [fmt(r.cells), ...r.text.flatMap(wrap).map((l) => s.dim(l))])];
}

const commands = (b: Bound): string => b.commands.join(' ');
const cap = (t: string): string => t.charAt(0).toUpperCase() + t.slice(1);

function limitRows(list: TunableBound[]): { cells: string[]; text: string[] }[] {
  return list.map((b) => ({
    cells: [b.name, formatValue(b.default, b.unit), `${formatValue(b.min, b.unit)}-${formatValue(b.max, b.unit)}`, b.unit, commands(b)],
    text: [`${cap(b.what)}. ${cap(b.range)}.`],
  }));
}

function optionRows(list: OptionBound[]): { cells: string[]; text: string[] }[] {
  return list.map((b) => ({
    cells: [b.name, b.option, b.default === null ? 'none' : String(b.default), b.max === null ? `above ${b.min}` : `${b.min}-${b.max}`, b.unit, commands(b)],
    text: [`${cap(b.what)}. ${cap(b.range)}.`],
  }));
}

function fixedRows(list: FixedBound[]): { cells: string[]; text: string[] }[] {
  return list.map((b) => ({
    cells: [b.name, String(b.value), b.unit, commands(b)],
    text: [`${cap(b.what)}. ${b.basis}.`],
  }));
}

export function renderLimits(list: readonly Bound[], s: Style): string {
  const limits = list.filter((b): b is TunableBound => b.kind === 'limit');
  const options = list.filter((b): b is OptionBound => b.kind === 'option');
  const fixed = list.filter((b): b is FixedBound => b.kind === 'fixed');
  const lines = [
    ...section(s, 'SET WITH --limit NAME=VALUE (repeatable; a value outside the range is refused; bytes may be given as 64KiB or 2MiB)',
      ['NAME', 'DEFAULT', 'RANGE', 'UNIT', 'COMMANDS'], limitRows(limits)),
    ...section(s, 'SET WITH THEIR OWN OPTION', ['NAME', 'OPTION', 'DEFAULT', 'RANGE', 'UNIT', 'COMMANDS'], optionRows(options)),
    ...section(s, 'FIXED (protocol facts, with their spec section, and format guards)', ['NAME', 'VALUE', 'UNIT', 'COMMANDS'], fixedRows(fixed)),
  ];
  return `${lines.slice(1).join('\n')}\n`;
}

export const limitsCommand: Command<LimitsArgs> = {
  command: 'limits [names..]',
  describe: 'list every bound rdpscope keeps: defaults and ranges of --limit NAME=VALUE, the options that set the others, the fixed ones',
  builder: (y: Argv) =>
    y
      .positional('names', { type: 'string', array: true, default: [], describe: 'only these bounds (default: all)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the table as JSON' }) as unknown as Argv<LimitsArgs>,
  run: async (args, io: CliIO) => {
    const names = args.names.map(String);
    const unknown = names.filter((n) => !BOUNDS.some((b) => b.name === n));
    if (unknown.length) {
      io.err(`rdpscope limits: unknown bound${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}; the bounds are ${BOUNDS.map((b) => b.name).join(', ')}\n`);
      return EXIT.USAGE;
    }
    const list = names.length ? BOUNDS.filter((b) => names.includes(b.name)) : BOUNDS;
    io.out(args.json ? `${JSON.stringify(list, null, 2)}\n` : renderLimits(list, style(io.color)));
    return EXIT.OK;
  },
};
