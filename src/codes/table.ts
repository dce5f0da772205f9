// Open-enum code tables: plain data keyed by numeric value. Lookups never throw; values a table does
// not define are described as `unknown (0x..)` so a decoder can always report what it saw.

export interface CodeInfo {
  /** the name the defining document uses */
  name: string;
  /** one line, in rdpscope's words */
  meaning: string;
  /** not in any published specification; known from field reports */
  undocumented?: boolean;
}

/** A contiguous block of values that share one meaning (e.g. ExtendedDisconnectReason 4096-32767). */
export interface CodeRange extends CodeInfo {
  from: number;
  to: number;
}

export interface CodeTable {
  readonly entries: ReadonlyMap<number, CodeInfo>;
  readonly ranges: readonly CodeRange[];
}

export interface CodeDescription {
  value: number;
  hex: string;
  name: string;
  meaning: string;
  known: boolean;
  undocumented?: boolean;
}

export function defineCodes(entries: Record<number, CodeInfo>, ranges: readonly CodeRange[] = []): CodeTable {
  const map = new Map<number, CodeInfo>();
  for (const [k, v] of Object.entries(entries)) map.set(Number(k), Object.freeze({ ...v }));
  return Object.freeze({ entries: map, ranges: Object.freeze([...ranges]) });
}

/** `0x904`, `0x10C9`: the unpadded form Windows and the specs print. */
export function codeHex(value: number): string {
  return `0x${(value >>> 0).toString(16).toUpperCase()}`;
}

export function describeCode(table: CodeTable, value: number): CodeDescription {
  const hex = codeHex(value);
  const e = table.entries.get(value) ?? table.ranges.find((r) => value >= r.from && value <= r.to);
  if (!e) return { value, hex, name: `unknown (${hex})`, meaning: 'not a value this table defines', known: false };
  const d: CodeDescription = { value, hex, name: e.name, meaning: e.meaning, known: true };
  if (e.undocumented) d.undocumented = true;
  return d;
}

/** Value whose name matches, ignoring case; ranges are not searched. */
export function findCodeByName(table: CodeTable, name: string): number | undefined {
  const want = name.toLowerCase();
  for (const [v, e] of table.entries) if (e.name.toLowerCase() === want) return v;
  return undefined;
}
