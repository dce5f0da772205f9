// Parsers for the peers' expected-output files kept next to the public captures (shared/corpus/public):
// Zeek ASCII logs, Arkime session JSON, suricata-verify test.yaml, nDPI ndpiReader .out and the
// TShark per-stream summaries. Each takes the file's text and returns plain data; nothing is inferred.

export interface Endpoint { ip: string; port: number }

/** "10.0.0.1:3389", "[::1]:3389" or "::1:3389" (the last colon separates the port). */
export function parseEndpoint(s: string): Endpoint {
  const m = /^\[?(.+?)\]?:(\d+)$/.exec(s);
  if (!m) throw new Error(`not an ip:port endpoint: ${s}`);
  return { ip: m[1]!, port: Number(m[2]) };
}

export const endpointText = (e: Endpoint): string => (e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`);

// ---------------------------------------------------------------------------------------------
// Zeek ASCII (TSV) logs: "#separator \x09", "#unset_field -", "#empty_field (empty)", "#fields ...".

export type ZeekRow = Record<string, string | undefined>;

/** Zeek escapes the separator and non-printable bytes as \xHH and a backslash as \\. */
function zeekUnescape(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|\\)/g, (_m, e: string) => (e === '\\' ? '\\' : String.fromCharCode(parseInt(e.slice(1), 16))));
}

/** Rows as field → value; the unset field ("-") is undefined, the empty field ("(empty)") is "". */
export function parseZeekLog(text: string): ZeekRow[] {
  let sep = '\t';
  let unset = '-';
  let empty = '(empty)';
  let fields: string[] | undefined;
  const rows: ZeekRow[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      const [key, ...rest] = line.slice(1).split(line.startsWith('#separator') ? ' ' : sep);
      const value = rest.join(sep);
      if (key === 'separator') sep = zeekUnescape(value);
      else if (key === 'unset_field') unset = value;
      else if (key === 'empty_field') empty = value;
      else if (key === 'fields') fields = rest;
      continue;
    }
    if (!fields) throw new Error('Zeek log row before its #fields header');
    const cells = line.split(sep);
    if (cells.length !== fields.length) throw new Error(`Zeek log row has ${cells.length} cells for ${fields.length} fields`);
    const row: ZeekRow = {};
    fields.forEach((f, i) => {
      const c = cells[i]!;
      row[f] = c === unset ? undefined : c === empty ? '' : zeekUnescape(c);
    });
    rows.push(row);
  }
  return rows;
}

/** The 4-tuple of a Zeek row (id.orig_h/p → id.resp_h/p). */
export const zeekTuple = (r: ZeekRow): { client: Endpoint; server: Endpoint } => ({
  client: { ip: r['id.orig_h']!, port: Number(r['id.orig_p']) },
  server: { ip: r['id.resp_h']!, port: Number(r['id.resp_p']) },
});

// ---------------------------------------------------------------------------------------------
// Arkime test expectations: { sessions3: [{ body: {...} }] }. A session may be written in several
// segments (segmentCnt 1, 2, ...) that share the 4-tuple; they are merged here.

export interface ArkimeSession {
  client: Endpoint;
  server: Endpoint;
  /** transport (ipProtocol 6 = tcp, 17 = udp) */
  ipProtocol: number;
  protocols: string[];
  requestedProtocols?: string[];
  selectedProtocol?: string[];
  /** from the cookie; Arkime stores it lowercased */
  user?: string[];
  /** tls.version ("TLSv1.2"), tls.cipher (IANA name) */
  tlsVersion?: string[];
  cipher?: string[];
  /** the certificates' subjectCN and SHA-1 `hash` ("f1:db:..."), in Arkime's order */
  certs?: { subjectCN?: string[]; hash?: string }[];
}

interface ArkimeBody {
  source: Partial<Endpoint>;
  destination: Partial<Endpoint>;
  ipProtocol: number;
  protocol?: string[];
  rdp?: { requestedProtocols?: string[]; selectedProtocol?: string[] };
  user?: string[];
  tls?: { version?: string[]; cipher?: string[] };
  cert?: { subjectCN?: string[]; hash?: string }[];
}

const union = (a: string[] | undefined, b: string[] | undefined): string[] | undefined =>
  a || b ? [...new Set([...(a ?? []), ...(b ?? [])])] : undefined;

export function parseArkimeTest(text: string): ArkimeSession[] {
  const doc = JSON.parse(text) as { sessions3?: { body: ArkimeBody }[] };
  const byTuple = new Map<string, ArkimeSession>();
  for (const { body: b } of doc.sessions3 ?? []) {
    const { ip: cip, port: cport } = b.source;
    const { ip: sip, port: sport } = b.destination;
    if (cip === undefined || cport === undefined || sip === undefined || sport === undefined) continue; // not TCP/UDP (ARP, ICMP ...)
    const client = { ip: cip, port: cport };
    const server = { ip: sip, port: sport };
    const key = `${b.ipProtocol} ${endpointText(client)} ${endpointText(server)}`;
    const prev = byTuple.get(key);
    const s: ArkimeSession = {
      client,
      server,
      ipProtocol: b.ipProtocol,
      protocols: union(prev?.protocols, b.protocol) ?? [],
    };
    const requested = union(prev?.requestedProtocols, b.rdp?.requestedProtocols);
    const selected = union(prev?.selectedProtocol, b.rdp?.selectedProtocol);
    const user = union(prev?.user, b.user);
    if (requested) s.requestedProtocols = requested;
    if (selected) s.selectedProtocol = selected;
    if (user) s.user = user;
    const tlsVersion = union(prev?.tlsVersion, b.tls?.version);
    const cipher = union(prev?.cipher, b.tls?.cipher);
    const certs = prev?.certs ?? b.cert?.map((c) => ({ ...(c.subjectCN ? { subjectCN: c.subjectCN } : {}), ...(c.hash ? { hash: c.hash } : {}) }));
    if (tlsVersion) s.tlsVersion = tlsVersion;
    if (cipher) s.cipher = cipher;
    if (certs) s.certs = certs;
    byTuple.set(key, s);
  }
  return [...byTuple.values()];
}

// ---------------------------------------------------------------------------------------------
// suricata-verify test.yaml. No YAML library: only the shape these files use is read —
//   checks:
//     - filter:
//         count: 1
//         match:
//           event_type: rdp
//           rdp.cookie: "A70067"
// Other top-level keys (pcap, requires, args) are skipped; a filter's own scalar keys (count,
// min-count, ...) go to `props`, the entries under `match:` to `match`. Flow-style values are kept as text.

export type YamlScalar = string | number | boolean;
export interface SuricataCheck {
  props: Record<string, YamlScalar>;
  match: Record<string, YamlScalar>;
}

function yamlScalar(raw: string): YamlScalar {
  const v = raw.replace(/\s+#.*$/, '').trim();
  const q = /^"((?:[^"\\]|\\.)*)"$/.exec(v) ?? /^'((?:[^']|'')*)'$/.exec(v);
  if (q) return v.startsWith('"') ? (JSON.parse(`"${q[1]}"`) as string) : q[1]!.replace(/''/g, "'");
  if (/^-?\d+$/.test(v)) return Number(v);
  if (v === 'true' || v === 'false') return v === 'true';
  return v;
}

export function parseSuricataChecks(text: string): SuricataCheck[] {
  const checks: SuricataCheck[] = [];
  let inChecks = false;
  let filterIndent = -1;
  let matchIndent = -1;
  let current: SuricataCheck | undefined;
  for (const raw of text.split('\n')) {
    if (/^\s*(#.*)?$/.test(raw)) continue;
    const indent = raw.length - raw.trimStart().length;
    const line = raw.trim();
    if (indent === 0 && !line.startsWith('- ')) {
      inChecks = line === 'checks:';
      current = undefined;
      continue;
    }
    if (!inChecks) continue;
    if (line.startsWith('- ')) {
      // a new list item: a filter, or another kind of check (shell, stats ...) that is not read
      current = line === '- filter:' ? { props: {}, match: {} } : undefined;
      if (current) checks.push(current);
      filterIndent = indent;
      matchIndent = -1;
      continue;
    }
    if (!current || indent <= filterIndent) continue;
    const kv = /^([^:]+):\s*(.*)$/.exec(line);
    if (!kv) throw new Error(`unexpected line in test.yaml: ${raw}`);
    const [, key, value] = kv as unknown as [string, string, string];
    if (matchIndent >= 0 && indent > matchIndent) {
      if (value === '') throw new Error(`nested map under match: is not supported: ${raw}`);
      current.match[key] = yamlScalar(value);
    } else if (value === '') matchIndent = key === 'match' ? indent : -1;
    else {
      matchIndent = -1;
      current.props[key] = yamlScalar(value);
    }
  }
  return checks;
}

// ---------------------------------------------------------------------------------------------
// nDPI ndpiReader results: one line per flow,
//   "\t4\tTCP 192.168.1.178:43067 <-> 192.168.1.2:3389 [proto: 88/RDP][...][Confidence: Match by port]...[Risk: ** ... **]..."

export interface NdpiFlow {
  transport: 'TCP' | 'UDP' | string;
  client: Endpoint;
  server: Endpoint;
  /** "88/RDP", "91.88/TLS.RDP" */
  proto: string;
  confidence: string;
  risks: string[];
  riskInfo?: string;
  /** TLS metadata, when nDPI dissected the handshake: "[TLSv1.2]", "[Cipher: ...]", "[Subject: ...]";
   *  validity is "[Validity: 2024-07-26 06:03:40 - 2025-01-25 06:03:40]" as written (UTC) */
  tls?: { version?: string; cipher?: string; subject?: string; issuer?: string; sha1?: string; validity?: string };
}

/** The flow's protocol names include RDP ("88/RDP", "91.88/TLS.RDP"). */
export const ndpiIsRdp = (f: NdpiFlow): boolean => (f.proto.split('/')[1] ?? '').split('.').includes('RDP');

export function parseNdpiOut(text: string): NdpiFlow[] {
  const flows: NdpiFlow[] = [];
  for (const line of text.split('\n')) {
    const m = /^\t\d+\t(\S+) (\S+) <?-> (\S+) (.*)$/.exec(line);
    if (!m) continue;
    const attrs = m[4]!;
    const attr = (name: string): string | undefined => new RegExp(`\\[${name}: ([^\\]]*)\\]`).exec(attrs)?.[1];
    const risk = attr('Risk');
    const f: NdpiFlow = {
      transport: m[1]!,
      client: parseEndpoint(m[2]!),
      server: parseEndpoint(m[3]!),
      proto: attr('proto') ?? '',
      confidence: attr('Confidence') ?? '',
      risks: risk ? risk.split('**').map((r) => r.trim()).filter(Boolean) : [],
    };
    const info = attr('Risk Info');
    if (info !== undefined) f.riskInfo = info;
    const tls = {
      version: /\[((?:TLS|SSL|DTLS)v[\d.]+)\]/.exec(attrs)?.[1], cipher: attr('Cipher'), subject: attr('Subject'),
      issuer: attr('Issuer'), sha1: attr('Certificate SHA-1'), validity: attr('Validity'),
    };
    const present = Object.entries(tls).filter(([, v]) => v !== undefined);
    if (present.length) f.tls = Object.fromEntries(present) as NdpiFlow['tls'];
    flows.push(f);
  }
  return flows;
}

// ---------------------------------------------------------------------------------------------
// TShark per-stream summaries made for the corpus:
//   [tcp#0] 172.21.128.16:1311 -> 10.226.24.52:3389  packets=8
//     cookie: Cookie: mstshash=FTBCO\A70
//     requested: SSL
// Values are kept byte for byte (a cookie may end in spaces).

export interface TsharkStream {
  transport: 'tcp' | 'udp' | string;
  /** TShark's tcp.stream / udp.stream index (0-based) */
  index: number;
  client: Endpoint;
  server: Endpoint;
  packets: number;
  fields: Record<string, string>;
}

export function parseTsharkSummary(text: string): TsharkStream[] {
  const streams: TsharkStream[] = [];
  let cur: TsharkStream | undefined;
  for (const line of text.split('\n')) {
    const head = /^\[(\w+)#(\d+)\] (\S+) -> (\S+)\s+packets=(\d+)$/.exec(line);
    if (head) {
      cur = { transport: head[1]!, index: Number(head[2]), client: parseEndpoint(head[3]!), server: parseEndpoint(head[4]!), packets: Number(head[5]), fields: {} };
      streams.push(cur);
      continue;
    }
    const field = /^ {2}(\w+): (.*)$/.exec(line);
    if (field && cur) cur.fields[field[1]!] = field[2]!;
    else if (!line.startsWith('#') && line.trim() !== '') throw new Error(`unexpected line in TShark summary: ${line}`);
  }
  return streams;
}

/** A Python-style list of strings as written in the TShark summaries: "['TLS1.0', 'TLS1.2']". */
export function parseTsharkList(s: string): string[] {
  const m = /^\[(.*)\]$/.exec(s.trim());
  if (!m) throw new Error(`not a list: ${s}`);
  if (m[1]!.trim() === '') return [];
  return m[1]!.split(',').map((x) => {
    const q = /^\s*'([^']*)'\s*$/.exec(x);
    if (!q) throw new Error(`not a list of quoted strings: ${s}`);
    return q[1]!;
  });
}

// ---------------------------------------------------------------------------------------------
// TLS vocabulary shared by the peers and rdpscope.

/**
 * A protocol version as rdpscope names it ('TLS 1.2', 'SSL 3.0') from the peers' spellings: Zeek
 * 'TLSv12'/'TLSv10'/'SSLv3', nDPI and Arkime 'TLSv1.2', TShark 'TLS1.2', Suricata 'TLS 1.2'/'TLSv1'.
 * Anything else is returned marked, so that it shows up as a difference rather than being guessed.
 */
export function tlsVersionText(s: string): string {
  const m = /^(TLS|SSL)\s*v?\s*(\d)(?:\.?(\d))?$/i.exec(s.trim());
  if (!m) return `unknown:${s}`;
  return `${m[1]!.toUpperCase()} ${m[2]}.${m[3] ?? '0'}`;
}

/**
 * A distinguished name in one spelling, most specific RDN first (RFC 4514 order): RDNs joined by ','
 * and the members of a multi-valued RDN by '+', without the spaces some tools put around them
 * (rdpscope writes ', ' and ' + ', Zeek, like OpenSSL's RFC 2253 form, ',' and '+'). Escapes (\\,
 * \, \+ \0D ...) are kept as they are, an escaped trailing space too. `order: 'der'` is for tools
 * that write the RDNs in certificate (DER) order, least specific first (nDPI, Suricata): the
 * attribute list is reversed, as OpenSSL's DN_REV does.
 */
export function dnText(s: string, order: 'rfc4514' | 'der' = 'rfc4514'): string {
  // flat list of attributes, each with the number of its RDN
  const atvs: { set: number; text: string }[] = [];
  let set = 0;
  let cur = '';
  const push = (): void => { atvs.push({ set, text: trimUnescaped(cur) }); cur = ''; };
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) { cur += c + s[++i]!; continue; }
    if (c === ',' || c === '+') { push(); if (c === ',') set++; continue; }
    cur += c;
  }
  push();
  if (order === 'der') atvs.reverse();
  return atvs.map((a, i) => (i === 0 ? '' : atvs[i - 1]!.set === a.set ? '+' : ',') + a.text).join('');
}

function trimUnescaped(v: string): string {
  let end = v.length;
  while (end > 0 && v[end - 1] === ' ' && v[end - 2] !== '\\') end--;
  return v.slice(0, end).trimStart();
}

/**
 * A certificate time as rdpscope writes it (ISO 8601, whole seconds, UTC: '2015-02-11T14:15:06Z'),
 * from Zeek's epoch seconds ('1423664106.000000') or nDPI's '2024-07-26 06:03:40' (UTC). Anything
 * else is returned marked, so that it shows up as a difference.
 */
export function certTimeText(s: string): string {
  const t = s.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return new Date(Math.floor(Number(t)) * 1000).toISOString().replace('.000Z', 'Z');
  const m = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)Z?$/.exec(t);
  return m ? `${m[1]}T${m[2]}Z` : `unknown:${s}`;
}

/** nDPI's "[Validity: FROM - TO]" as [notBefore, notAfter] in certTimeText form. */
export function ndpiValidity(s: string): [string, string] {
  const m = /^(.+?) - (.+)$/.exec(s.trim());
  return m ? [certTimeText(m[1]!), certTimeText(m[2]!)] : [`unknown:${s}`, `unknown:${s}`];
}

/** A certificate fingerprint as lowercase hex without separators ("A2:FF:..." and "a2ff..." alike). */
export const fingerprintText = (s: string): string => s.replace(/[:\s]/g, '').toLowerCase();
