// `rdpscope explain <codes..>`: what Windows client / RDP codes mean and which failures produce them.
import type { Argv } from 'yargs';
import { catalogueRow } from '../../analyze/catalogue.js';
import { CodeSyntaxError, explain, type Explanation, type Interpretation, type PairExplanation, type RowLead } from '../../analyze/explain.js';
import type { Command } from '../command.js';
import { EXIT, type CliIO } from '../io.js';
import { wrapWords } from '../../report/wrap.js';

export interface ExplainArgs {
  codes: string[];
  json: boolean;
}

const WIDTH = 80;

/** Word-wraps `text` to WIDTH; the first line starts with `first` (padded to `indent`), the rest are indented. */
function hang(first: string, text: string, indent: number): string[] {
  const lines = wrapWords(text, WIDTH - indent);
  return (lines.length ? lines : ['']).map((l, i) => (i === 0 ? first.padEnd(indent) : ' '.repeat(indent)) + l);
}

const dec = (v: number) => String(v >>> 0);

function interpretationLines(list: readonly Interpretation[]): string[] {
  const labelWidth = Math.max(...list.map((i) => i.tableTitle.length));
  const hexWidth = Math.max(...list.map((i) => i.hex.length));
  return list.flatMap((i) => {
    const label = `  ${i.tableTitle.padEnd(labelWidth)}  ${i.hex.padEnd(hexWidth)}  `;
    return [label + i.name + (i.undocumented ? ' (undocumented)' : ''), ...hang('', i.meaning, label.length)];
  });
}

function rowLines(rows: readonly RowLead[]): string[] {
  const stageWidth = Math.max(...rows.map((r) => r.stage.length));
  return rows.flatMap((r) => {
    const head = `  ${String(r.id).padStart(2)}  ${r.stage.padEnd(stageWidth)}  `;
    return [head + r.title, ...hang('', r.observed, head.length), ...(r.note ? hang('', `(${r.note})`, head.length) : [])];
  });
}

function rowsSection(rows: readonly RowLead[]): string[] {
  if (rows.length === 0) return [];
  const out = ['', 'WHERE IT COMES FROM, AND WHAT RDPSCOPE SEES IN EACH CASE', ...rowLines(rows)];
  const row = rows.length === 1 ? catalogueRow(rows[0]!.id) : undefined;
  if (row) out.push('', `WHAT TO DO (row ${row.id})`, ...row.remedy.flatMap((step) => hang('  - ', step, 4)));
  else out.push('', ...hang('', 'rdpscope reports which of these rows applies when it probes the server or reads a capture of the failing attempt.', 0));
  return out;
}

function sources(list: readonly Interpretation[]): string[] {
  return ['', ...hang('', `Sources: ${[...new Set(list.map((i) => i.source))].join('; ')}.`, 0)];
}

function renderPair(p: PairExplanation): string[] {
  const parts = [p.code, p.extended, ...(p.errinfo ? [p.errinfo] : [])];
  const out = [`${p.code.hex} / ${p.extended.hex}  (${dec(p.code.value)} / ${dec(p.extended.value)})`, ''];
  out.push(...interpretationLines(parts), '', 'MEANING');
  p.meaning.forEach((para, n) => out.push(...(n ? [''] : []), ...hang('  ', para, 2)));
  if (p.rows.length === 0) out.push('', 'No catalogued handshake failure ends with this pair.');
  out.push(...rowsSection(p.rows), ...sources(parts));
  return out;
}

/** Rows reached through any interpretation, once each, noting the table when the code has several. */
function singleRows(list: readonly Interpretation[]): RowLead[] {
  const byId = new Map<number, RowLead>();
  for (const i of list) {
    for (const r of i.rows) {
      const via = list.length > 1 ? `as ${i.tableTitle}` : undefined;
      const seen = byId.get(r.id);
      if (seen) seen.note = [seen.note, via].filter(Boolean).join('; ');
      else byId.set(r.id, via ? { ...r, note: via } : r);
    }
  }
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

function render(e: Explanation): string[] {
  if (e.kind === 'pair') return renderPair(e);
  const out = [`${e.hex}  (${dec(e.value)})`, ''];
  if (!e.understood) {
    const what = 'error codes, extended codes, Set Error Info, X.224, MCS, Early User Authorization, FreeRDP';
    return [...out, ...hang('  ', `Not defined in any table rdpscope knows (${what}).`, 2)];
  }
  const tip = e.interpretations.some((i) => i.table === 'extended' && i.rows.length > 1)
    ? ['', ...hang('', `Give the error code too (e.g. \`rdpscope explain 0x904 ${e.hex}\`) to narrow this down.`, 0)]
    : [];
  return [...out, ...interpretationLines(e.interpretations), ...rowsSection(singleRows(e.interpretations)), ...tip, ...sources(e.interpretations)];
}

export function renderExplanations(list: readonly Explanation[]): string {
  return list.map((e) => render(e).join('\n')).join('\n\n') + '\n';
}

export const explainCommand: Command<ExplainArgs> = {
  command: 'explain <codes..>',
  describe: 'explain Windows client and RDP error codes, e.g. "explain 0x904 0x7" (exit 1 if a code is unknown)',
  builder: (y: Argv) =>
    y
      .positional('codes', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'codes in hex (0x904), decimal (2308) or by name (ERRINFO_SERVER_DENIED_CONNECTION); "0x904 0x7" or 0x904/0x7 is an error code with its extended code',
      })
      .option('json', { type: 'boolean', default: false, describe: 'print the explanation as JSON' }) as unknown as Argv<ExplainArgs>,
  run: async (args, io: CliIO) => {
    let list: Explanation[];
    try {
      list = explain(args.codes.map(String));
    } catch (err) {
      if (!(err instanceof CodeSyntaxError)) throw err;
      io.err(`rdpscope explain: ${err.message}\n`);
      return EXIT.USAGE;
    }
    io.out(args.json ? `${JSON.stringify(list, null, 2)}\n` : renderExplanations(list));
    return list.every((e) => e.understood) ? EXIT.OK : EXIT.FAILED;
  },
};
