// The HTML page: structure, verdict blocks, determinism, self-containment, escaping of hostile
// server and client strings, and the table sorting script.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderHtmlReport, type ScanRow } from '../../src/report/html.js';
import { SORT_SCRIPT } from '../../src/report/html-table.js';
import { diagnose } from '../../src/analyze/diagnose.js';
import { connectionReport } from '../../src/report/json.js';
import type { TrackerEvent } from '../../src/analyze/events.js';
import { makeCertificate } from '../../src/server/pki.js';
import { CERTDENY, fixtureConnections, only } from './html-inputs.js';
import { probeScenario } from '../server/scenario-probe.js';

const AT = '2026-11-21T10:00:00.000Z';
const HOSTILE = '<script>alert(1)</script>';
const ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;';

/** Every element the report may produce: anything else in a page means markup got through unescaped. */
const TAGS = new Set(['html', 'head', 'meta', 'title', 'style', 'body', 'header', 'h1', 'h2', 'h3', 'h4', 'p', 'section', 'div', 'svg', 'defs', 'marker',
  'path', 'rect', 'text', 'line', 'g', 'dl', 'dt', 'dd', 'strong', 'span', 'ol', 'ul', 'li', 'br', 'code', 'details', 'summary', 'pre', 'table', 'thead',
  'tbody', 'tr', 'th', 'td', 'a', 'script']);

function assertInert(html: string): void {
  const tags = [...html.matchAll(/<([a-zA-Z][\w-]*)/g)].map((m) => m[1]!.toLowerCase());
  expect(tags.filter((t) => !TAGS.has(t))).toEqual([]);
  expect(html.match(/<script/g)).toHaveLength(1);
  expect(html).not.toMatch(/<[^>]*\son\w+=/i);
}

describe('page structure', () => {
  it('one connection: header, badge, ladder, verdict block, catalogue, remedy, folded details', () => {
    const c = only(CERTDENY);
    const html = renderHtmlReport({ title: 'rdpscope analyze', generatedAt: AT, connections: [c] });
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html).toContain(`<h2>${CERTDENY} #1</h2>`);
    expect(html).toContain('<span class="badge failed">FAILED</span> <strong>at tls</strong> the client closed the TLS session right after the handshake');
    expect(html.match(/<svg class="ladder"/g)).toHaveLength(1);
    expect(html).toContain('<section class="connection" id="conn-1">');
    expect(html).not.toContain('class="sortable index"');
    expect(html).toContain('<dt>stopped at</dt><dd><strong>tls</strong></dd>');
    expect(html).toContain('<dt>ended by</dt><dd>client (fin, packet 16)</dd>');
    expect(html).toContain('<h4>Catalogue row 18: Client rejected the certificate</h4><p class="catalogue">What rdpscope observes for this row: the client sent a TLS alert');
    expect(html).toContain('<ul class="causes"><li>the client does not accept the server certificate</li></ul>');
    expect(html).toContain('<li class="observed"><span class="basis observed">observed</span> client sent a 19-byte encrypted record that is alert (by its size)');
    expect(html).toContain('<span class="where">[packet 15, C→S byte 440]</span><br><code>17 03 03 00 13 e8 75 13 b3');
    expect(html).toContain('<li class="inferred"><span class="basis inferred">inferred</span> a client that ends a fresh TLS session');
    expect(html).toContain('<h4>What a Windows client shows</h4><p class="client-shows">a certificate error <span class="muted">(inferred: how a Windows client reports catalogue row 18');
    expect(html).toMatch(/<h4>Remedy<\/h4><ol class="remedy"><li>Read the alert in the evidence and fix the matching certificate problem \(rows 16, 17\)<\/li><li>Install the issuing CA/);
    expect(html).toContain('<summary>Session details</summary><pre>  tls        TLS 1.3, TLS_AES_256_GCM_SHA384, x25519');
    expect(html).toContain('<summary>Timeline (18 entries)</summary>');
    expect(html).toContain(`generated ${AT}`);
    assertInert(html);
  });

  it('the client-shows code and findings', async () => {
    const silent = await probeScenario('ssl-silent', {});
    const html = renderHtmlReport({ title: 't', generatedAt: AT, connections: [{ heading: 'probe', events: silent.events, verdict: silent.verdict }] });
    expect(html).toContain('<p class="client-shows"><strong>error code 0x108 disconnectReasonConnectionTimedOut</strong>: a timeout');
    const legacy = only('pcaps/rdp-x509.pcap');
    const page = renderHtmlReport({ title: 't', generatedAt: AT, connections: [legacy] });
    expect(legacy.verdict.findings.length).toBeGreaterThan(0);
    expect(page).toContain(`<ul class="findings"><li class="${legacy.verdict.findings[0]!.severity}"><span class="sev">`);
  });

  it('several connections: an index table linking to each section, in capture order', () => {
    const cs = fixtureConnections('lab/nmap-enum-encryption-to-xrdp-tls.pcap');
    expect(cs.length).toBeGreaterThan(3);
    const html = renderHtmlReport({ title: 'nmap', generatedAt: AT, connections: cs });
    const n = (s: string) => cs.filter((c) => c.verdict.status === s).length;
    expect(html).toContain(`<h2>${cs.length} connections, ${n('ok')} ok, ${n('failed')} failed, ${n('undetermined')} undetermined</h2>`);
    expect(html.match(/<svg class="ladder"/g)).toHaveLength(cs.length);
    cs.forEach((c, i) => {
      expect(html).toContain(`<td data-sort="${i + 1}">${i + 1}</td><td data-sort="${c.heading}"><a href="#conn-${i + 1}">${c.heading}</a></td>`);
      expect(html).toContain(`<section class="connection" id="conn-${i + 1}"><h2>${c.heading}</h2>`);
    });
    expect(new Set([...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1])).size).toBe([...html.matchAll(/ id="/g)].length);
  });

  it('is deterministic, and the report argument is optional', () => {
    const cs = fixtureConnections('pcaps/rdp-proprietary-encryption.pcap');
    const a = renderHtmlReport({ title: 'x', generatedAt: AT, connections: cs });
    expect(renderHtmlReport({ title: 'x', generatedAt: AT, connections: cs })).toBe(a);
    expect(renderHtmlReport({ title: 'x', generatedAt: AT, connections: cs.map(({ report: _r, ...c }) => c) })).toBe(a);
  });

  it('loads nothing from elsewhere, and its CSP admits exactly its own style and script', () => {
    const html = renderHtmlReport({ title: 'x', generatedAt: AT, connections: fixtureConnections('pcaps/rdp-proprietary-encryption.pcap') });
    expect(html).not.toMatch(/\ssrc=|<link|@import|url\((?!#)|https?:/i);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!;
    const hash = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(csp).toBe(`default-src 'none'; style-src ${hash(style)}; script-src ${hash(script)}; base-uri 'none'; form-action 'none'`);
  });
});

describe('escaping', () => {
  it('a hostile cookie sent by the probe shows as text', async () => {
    const r = await probeScenario('close-after-request', { cookie: HOSTILE });
    const html = renderHtmlReport({ title: HOSTILE, generatedAt: AT, connections: [{ heading: `probe ${HOSTILE}`, events: r.events, verdict: r.verdict }] });
    expect(html).toContain(`<title>${ESCAPED}</title>`);
    expect(html).toContain(`cookie &quot;${ESCAPED}&quot;, requested SSL|HYBRID|HYBRID_EX`);
    assertInert(html);
  });

  it('a hostile certificate subject (from the TLS library) shows as text in the evidence and the session details', async () => {
    const r = await probeScenario('tls-expired', {});
    const cert = makeCertificate({ cn: `"><img src=x onerror=alert(1)>${HOSTILE}`, notBefore: new Date('2020-01-01'), notAfter: new Date('2021-01-01'), keyBits: 1024 });
    const events = r.events.map((e): TrackerEvent => (e.type === 'tls-session' ? { ...e, chain: [cert.der] } : e));
    const verdict = diagnose(events, { names: ['127.0.0.1'] });
    expect(verdict.row?.id).toBe(16);
    const html = renderHtmlReport({ title: 't', generatedAt: AT, connections: [{ heading: 'h', events, verdict, report: connectionReport(events, verdict, { names: ['127.0.0.1'] }) }] });
    // RFC 4514 escapes the DN's own specials with a backslash; HTML escaping comes on top
    const subject = 'CN=\\&quot;\\&gt;\\&lt;img src=x onerror=alert(1)\\&gt;\\&lt;script\\&gt;alert(1)\\&lt;/script\\&gt;';
    expect(html).toContain(`<li class="observed"><span class="basis observed">observed</span> certificate ${subject} (issuer ${subject}, valid 2020-01-01`);
    expect(html).toContain(`<summary>Session details</summary><pre>  tls        TLS 1.3`);
    expect(html).toContain(`[0] ${subject}  issuer`);
    assertInert(html);
  });

  it('hostile scan rows show as text, in cells and in data-sort attributes', () => {
    const row: ScanRow = { target: HOSTILE, address: '"onmouseover="x', port: 3389, status: 'failed', row: { id: 5, title: HOSTILE }, stage: '<b>', summary: HOSTILE, nla: HOSTILE, certNotAfter: `"${HOSTILE}` };
    const html = renderHtmlReport({ title: 's', generatedAt: AT, connections: [], scan: [row] });
    expect(html).toContain(`<td>${ESCAPED}</td><td>&quot;onmouseover=&quot;x:3389</td>`);
    expect(html).toContain(`<td data-sort="&quot;${ESCAPED}">&quot;${ESCAPED}</td>`);
    assertInert(html);
  });
});

describe('scan table', () => {
  const rows: ScanRow[] = [
    { target: 'a.example', address: '192.0.2.1', port: 3389, status: 'ok', summary: 'reached', nla: true, certNotAfter: '2027-01-01T00:00:00Z' },
    { target: 'b.example', address: '2001:db8::1', port: 3390, status: 'failed', row: { id: 16, title: 'Certificate expired or not yet valid' }, stage: 'tls', summary: 'expired', nla: false, certNotAfter: '2025-01-01T00:00:00Z' },
    { target: 'c.example', port: 3389, status: 'undetermined', row: { id: 1, title: 'Name does not resolve' }, stage: 'resolve', summary: 'no such name', nla: 'unknown' },
  ];

  it('one row per host in the given order, with sort keys and expired certificates flagged', () => {
    const html = renderHtmlReport({ title: 'scan', generatedAt: AT, connections: [], scan: rows });
    expect(html).toContain('<h2>Scan: 3 hosts, 1 ok, 1 failed, 1 undetermined</h2>');
    const body = /<table class="sortable scan">.*?<tbody>\n([\s\S]*?)\n<\/tbody>/.exec(html)![1]!.split('\n');
    expect(body).toEqual([
      '<tr><td>a.example</td><td>192.0.2.1:3389</td><td data-sort="2"><span class="badge ok">OK</span></td><td data-sort="1000000000"></td><td data-sort="1000000000"></td><td>reached</td><td>yes</td><td data-sort="2027-01-01T00:00:00Z">2027-01-01T00:00:00Z</td></tr>',
      '<tr><td>b.example</td><td>[2001:db8::1]:3390</td><td data-sort="0"><span class="badge failed">FAILED</span></td><td data-sort="16">16: Certificate expired or not yet valid</td><td data-sort="3">tls</td><td>expired</td><td>no</td><td data-sort="2025-01-01T00:00:00Z" class="bad">2025-01-01T00:00:00Z <span class="expired">expired</span></td></tr>',
      '<tr><td>c.example</td><td>:3389</td><td data-sort="1"><span class="badge undetermined">UNDETERMINED</span></td><td data-sort="1">1: Name does not resolve</td><td data-sort="0">resolve</td><td>no such name</td><td>unknown</td><td data-sort=""></td></tr>',
    ]);
    expect(html).not.toContain('<svg');
  });
});

/** Just enough DOM for SORT_SCRIPT: one table whose headers can be clicked. */
function fakeTable(cells: { text: string; sort?: string }[][]) {
  const attrs = () => {
    const a = new Map<string, string>();
    return { hasAttribute: (n: string) => a.has(n), getAttribute: (n: string) => a.get(n) ?? null, setAttribute: (n: string, v: string) => void a.set(n, v), removeAttribute: (n: string) => void a.delete(n) };
  };
  const rows = cells.map((r) => ({
    cells: r.map((c) => {
      const cell = Object.assign(attrs(), { textContent: ` ${c.text} ` });
      if (c.sort !== undefined) cell.setAttribute('data-sort', c.sort);
      return cell;
    }),
  }));
  const body = { rows, appendChild: (r: (typeof rows)[number]) => void rows.push(...rows.splice(rows.indexOf(r), 1)) };
  const ths = cells[0]!.map(() => Object.assign(attrs(), { tabIndex: -1, click: () => {}, addEventListener(type: string, fn: () => void) { if (type === 'click') this.click = fn; } }));
  const table = Object.assign(attrs(), { tBodies: [body], querySelectorAll: () => ths });
  new Function('document', SORT_SCRIPT)({ querySelectorAll: () => [table] });
  return { table, ths, order: (col: number) => body.rows.map((r) => r.cells[col]!.textContent.trim()) };
}

describe('sort script', () => {
  it('sorts by data-sort numbers, then by text, and reverses on a second click', () => {
    const t = fakeTable([
      [{ text: 'ok', sort: '2' }, { text: 'b.example' }, { text: '10' }],
      [{ text: 'failed', sort: '0' }, { text: 'c.example' }, { text: '9' }],
      [{ text: 'undetermined', sort: '1' }, { text: 'a.example' }, { text: '100' }],
    ]);
    expect(t.table.getAttribute('data-sort-ready')).toBe('yes');
    expect(t.ths.every((th) => th.tabIndex === 0)).toBe(true);
    t.ths[0]!.click();
    expect(t.order(0)).toEqual(['failed', 'undetermined', 'ok']);
    expect(t.ths[0]!.getAttribute('aria-sort')).toBe('ascending');
    t.ths[0]!.click();
    expect(t.order(0)).toEqual(['ok', 'undetermined', 'failed']);
    t.ths[1]!.click();
    expect(t.order(1)).toEqual(['a.example', 'b.example', 'c.example']);
    expect(t.ths[0]!.getAttribute('aria-sort')).toBeNull();
    t.ths[2]!.click();
    expect(t.order(2)).toEqual(['9', '10', '100']);
  });
});
