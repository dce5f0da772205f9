// `explain`: what a code means in every table that defines it, and for a discReason + extended reason
// pair ("0x904 0x7") what the pair means, which catalogue rows end that way and how rdpscope tells them
// apart (failure-catalogue.md §1, §3). Pure: returns data; rendering is the CLI's job.
import { CODE_FAMILIES, codeHex, describeCode, findCodeByName, type CodeDescription, type TableId } from '../codes/index.js';
import { describeFailureCode, FAILURE_CODES } from '../x224/codes.js';
import { CATALOGUE, type CatalogueRow } from './catalogue.js';
import type { StageName } from './stages.js';

/** A code the user typed is not a number or a name rdpscope knows: a usage error. */
export class CodeSyntaxError extends Error {
  override name = 'CodeSyntaxError';
}

/** A catalogue row that produces the code, with what rdpscope observes in that case. */
export interface RowLead {
  id: number;
  stage: StageName | 'any';
  title: string;
  observed: string;
  /** condition under which the row applies, when it is not a plain match */
  note?: string;
}

export interface Interpretation extends CodeDescription {
  table: TableId;
  tableTitle: string;
  source: string;
  rows: RowLead[];
}

export interface CodeExplanation {
  kind: 'code';
  input: string;
  value: number;
  hex: string;
  /** only the tables that define the value */
  interpretations: Interpretation[];
  understood: boolean;
}

export interface PairExplanation {
  kind: 'pair';
  input: string;
  code: Interpretation;
  extended: Interpretation;
  /** the same extended value read as the server's Set Error Info, when it is one */
  errinfo?: Interpretation;
  meaning: string[];
  rows: RowLead[];
  understood: boolean;
}

export type Explanation = CodeExplanation | PairExplanation;

interface Family {
  id: TableId;
  title: string;
  source: string;
  describe(v: number): CodeDescription;
  byName(name: string): number | undefined;
}

const NEG_FAILURE: Family = {
  id: 'neg-failure',
  title: 'X.224 negotiation failure',
  source: 'MS-RDPBCGR 2.2.1.2.2',
  describe: (v) => {
    const d = describeFailureCode(v);
    const meaning = d.meaning.charAt(0).toUpperCase() + d.meaning.slice(1) + (d.meaning.endsWith('.') ? '' : '.');
    return { value: v, hex: codeHex(v), name: d.name, meaning, known: d.known };
  },
  byName: (name) => {
    const hit = Object.entries(FAILURE_CODES).find(([, e]) => e.name.toLowerCase() === name.toLowerCase());
    return hit ? Number(hit[0]) : undefined;
  },
};

const FAMILIES: readonly Family[] = (() => {
  const fams: Family[] = CODE_FAMILIES.map((f) => ({
    id: f.id,
    title: f.title,
    source: f.source,
    describe: (v: number) => describeCode(f.table, v),
    byName: (n: string) => findCodeByName(f.table, n),
  }));
  fams.splice(fams.findIndex((f) => f.id === 'errinfo') + 1, 0, NEG_FAILURE);
  return fams;
})();

const family = (id: TableId): Family => FAMILIES.find((f) => f.id === id)!;

/** discReasons under which the client reports the server's errorInfo as the extended code (row 32). */
const ERRINFO_DISC = CATALOGUE.filter((r) => r.clientShows.extendedIsErrInfo).flatMap((r) => [
  r.clientShows.code,
  ...(r.clientShows.altCodes ?? []),
]);

interface Parsed {
  value: number;
  /** tables the token named, when it was a name */
  named?: TableId[];
}

function parse(token: string): Parsed {
  const t = token.trim();
  if (/^0x[0-9a-f]{1,8}$/i.test(t)) return { value: parseInt(t.slice(2), 16) };
  if (/^\d{1,10}$/.test(t) && Number(t) <= 0xffffffff) return { value: Number(t) };
  if (/^[a-z][a-z0-9_-]*$/i.test(t)) {
    for (const f of FAMILIES) {
      const value = f.byName(t);
      if (value !== undefined) return { value, named: FAMILIES.filter((g) => g.byName(t) === value).map((g) => g.id) };
    }
    const hint = /^[0-9a-f]+$/i.test(t) ? ' (hex needs a 0x prefix)' : '';
    throw new CodeSyntaxError(`unknown code name "${t}"${hint}`);
  }
  throw new CodeSyntaxError(`"${t}" is not a code: use hex (0x904), decimal (2308) or a name (ERRINFO_SERVER_DENIED_CONNECTION)`);
}

function lead(row: CatalogueRow, note?: string): RowLead {
  const l: RowLead = { id: row.id, stage: row.stage, title: row.title, observed: row.signature };
  if (note) l.note = note;
  return l;
}

function refIncludes(row: CatalogueRow, table: TableId, v: number): boolean {
  const ref = row.codes?.find((c) => c.table === table);
  if (!ref) return false;
  return ref.values === 'any' ? v !== 0 : ref.values.includes(v);
}

/** Rows that produce `v` read as a value of `table`. */
function rowsFor(table: TableId, v: number): RowLead[] {
  return CATALOGUE.filter((row) => {
    const cs = row.clientShows;
    if (table === 'disc') return cs.code === v || !!cs.altCodes?.includes(v);
    if (table === 'extended') return cs.extended === v || !!cs.altExtended?.includes(v);
    return refIncludes(row, table, v);
  }).map((row) => lead(row));
}

function interpret(f: Family, v: number): Interpretation {
  const d = f.describe(v);
  return { ...d, table: f.id, tableTitle: f.title, source: f.source, rows: d.known ? rowsFor(f.id, v) : [] };
}

function single(input: string, p: Parsed): CodeExplanation {
  const fams = p.named ? FAMILIES.filter((f) => p.named!.includes(f.id)) : FAMILIES;
  const interpretations = fams.map((f) => interpret(f, p.value)).filter((i) => i.known);
  return { kind: 'code', input, value: p.value, hex: codeHex(p.value), interpretations, understood: interpretations.length > 0 };
}

function pairRows(d: number, e: number, errinfo: Interpretation | undefined): RowLead[] {
  return CATALOGUE.flatMap((row) => {
    const cs = row.clientShows;
    const discOk = cs.code === d || !!cs.altCodes?.includes(d);
    const exact = cs.code === d && cs.extended === e;
    if (discOk && (cs.extended === e || cs.altExtended?.includes(e))) return [lead(row, exact ? undefined : cs.text)];
    if (errinfo && ERRINFO_DISC.includes(d) && (cs.extendedIsErrInfo || refIncludes(row, 'errinfo', e))) {
      return [lead(row, `only if the server sent Set Error Info ${errinfo.name} (${errinfo.hex}) before closing`)];
    }
    return [];
  });
}

function pairMeaning(code: Interpretation, ext: Interpretation, errinfo: Interpretation | undefined): string[] {
  const d = code.value;
  const e = ext.value;
  if (d === 0x904 && (e === 0x7 || e === 0x8)) {
    return [
      'The TCP connection closed while the connection was still being set up and the server sent no Set Error Info PDU: the client then fills in 0x7 itself (0x8 when it uses FIPS), a guess at "connections disabled or too many connections".',
      'So the pair names no cause. The server, or a device on the path, closed the connection during the handshake without saying why; the stage the close interrupted tells the rows below apart.',
      ...(e === 0x7 ? ['The same pair appears when the server did send Set Error Info 0x7 (ERRINFO_SERVER_DENIED_CONNECTION) before closing.'] : []),
    ];
  }
  if (d === 0x904 && e === 0) {
    return ['The TCP connection closed after the connection was set up, with no Set Error Info: the client has no extended reason. Typical of drops after logon (network, middlebox idle timeout, server crash).'];
  }
  if (errinfo && ERRINFO_DISC.includes(d)) {
    return [`The server sent Set Error Info ${errinfo.name} and then disconnected (MS-RDPBCGR 3.3.5.7.1); the extended code is that value: ${errinfo.meaning}`];
  }
  return [`${code.name}: ${code.meaning}`, `${ext.name}: ${ext.meaning}`];
}

function pair(input: string, d: number, e: number): PairExplanation {
  const code = interpret(family('disc'), d);
  const extended = interpret(family('extended'), e);
  const ei = interpret(family('errinfo'), e);
  const errinfo = ei.known && e !== 0 ? ei : undefined;
  const out: PairExplanation = {
    kind: 'pair',
    input,
    code,
    extended,
    meaning: pairMeaning(code, extended, errinfo),
    rows: pairRows(d, e, errinfo),
    understood: code.known && extended.known,
  };
  if (errinfo) out.errinfo = errinfo;
  return out;
}

const isPair = (a: Parsed, b: Parsed): boolean =>
  (!a.named || a.named.includes('disc')) &&
  (!b.named || b.named.includes('extended') || b.named.includes('errinfo')) &&
  family('disc').describe(a.value).known &&
  family('extended').describe(b.value).known;

/**
 * Explains each code. Two codes that read as discReason + extended reason ("0x904 0x7"), or one token
 * "A/B", form a pair. Throws CodeSyntaxError for a token that is neither a number nor a known name.
 */
export function explain(codes: readonly string[]): Explanation[] {
  if (codes.length === 0) throw new CodeSyntaxError('no code given');
  const items = codes.map((token) => {
    const parts = token.split('/');
    if (parts.length > 2) throw new CodeSyntaxError(`"${token}" is not a code pair: use CODE/EXTENDED, e.g. 0x904/0x7`);
    return { token: token.trim(), parsed: parts.map(parse) };
  });
  const [a, b] = items;
  if (items.length === 2 && a!.parsed.length === 1 && b!.parsed.length === 1 && isPair(a!.parsed[0]!, b!.parsed[0]!)) {
    return [pair(`${a!.token} ${b!.token}`, a!.parsed[0]!.value, b!.parsed[0]!.value)];
  }
  return items.map(({ token, parsed: [x, y] }) => (y ? pair(token, x!.value, y.value) : single(token, x!)));
}
