// The HTML report in a real browser: headless Chromium loads a failed handshake's page, runs its
// script (the CSP lets exactly that one run), and renders the ladder; hostile strings stay inert.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTools } from '../helpers/lab.js';
import { renderHtmlReport, type ScanRow } from '../../src/report/html.js';
import { CERTDENY, only } from '../report/html-inputs.js';
import { probeScenario } from '../server/scenario-probe.js';

/** Sets a marker if it ever runs: an image error handler smuggled in through the cookie. */
const HOSTILE_COOKIE = '<img src=x onerror="document.body.dataset.pwned=1">';

function chromium(dir: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--user-data-dir=${join(dir, 'profile')}`, ...args],
      { timeout: 90_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)));
  });
}

describeWithTools(['chromium'], 'HTML report in headless Chromium', () => {
  let dir: string;
  let page: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rdpscope-html-'));
    const refused = only(CERTDENY);
    const errinfo = await probeScenario('errinfo-0x7-after-client-info', { cookie: HOSTILE_COOKIE });
    const scan: ScanRow[] = [
      { target: 'ok.example', port: 3389, status: 'ok', summary: 'reached' },
      { target: 'bad.example', port: 3389, status: 'failed', row: { id: 18, title: 'Client rejected the certificate' }, stage: 'tls', summary: HOSTILE_COOKIE },
      { target: 'odd.example', port: 3389, status: 'undetermined', summary: 'capture ended' },
    ];
    page = renderHtmlReport({
      title: 'failed handshakes', generatedAt: '2026-11-21T10:00:00.000Z', scan,
      connections: [refused, { heading: `probe with cookie ${HOSTILE_COOKIE}`, events: errinfo.events, verdict: errinfo.verdict }],
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('after the scripts ran, the DOM has the ladders, the verdicts and a table sorted by a click; injections stay inert', async () => {
    // a test script admitted by adding its hash to the CSP clicks "status"; a second one, not admitted, must not run
    const click = "document.querySelector('table.scan th:nth-child(3)').click();";
    const hash = createHash('sha256').update(click).digest('base64');
    const html = page.replace("script-src ", `script-src 'sha256-${hash}' `)
      .replace('</body>', `<script>${click}</script><script>document.body.dataset.injected = 1;</script></body>`);
    const file = join(dir, 'report.html');
    writeFileSync(file, html);
    const dom = await chromium(dir, ['--dump-dom', pathToFileURL(file).href]);

    const svgs = [...dom.matchAll(/<svg class="ladder"[^>]*data-arrows="(\d+)"[^>]*>([\s\S]*?)<\/svg>/g)];
    expect(svgs).toHaveLength(2);
    for (const [, arrows, body] of svgs) expect(body!.match(/<line class="msg"/g)).toHaveLength(Number(arrows));
    expect(dom).toMatch(/<g class="row close info fail" data-packet="16">.*?>FIN<\/text>/);
    expect(dom).toContain('<strong>at tls</strong> the client closed the TLS session right after the handshake: it most likely rejected the certificate');
    expect(dom).toContain('<h4>Catalogue row 18: Client rejected the certificate</h4>');
    expect(dom).toContain('server Set Error Info errorInfo 0x00000007');

    expect(dom.match(/data-sort-ready="yes"/g)).toHaveLength(4); // scan, index and two timeline tables
    const scan = /<table class="sortable scan"[\s\S]*?<\/table>/.exec(dom)![0];
    expect([...scan.matchAll(/<span class="badge (\w+)">/g)].map((m) => m[1])).toEqual(['failed', 'undetermined', 'ok']);
    expect(scan).toContain('aria-sort="ascending"');

    expect(dom).not.toContain('data-pwned');
    expect(dom).not.toContain('data-injected');
    expect(dom).toContain('cookie "&lt;img src=x onerror="document.body.dataset.pwned=1"&gt;"');
  });

  it('renders a 1200x1600 PNG screenshot', async () => {
    const file = join(dir, 'plain.html');
    const png = join(dir, 'shot.png');
    writeFileSync(file, page);
    await chromium(dir, [`--screenshot=${png}`, '--window-size=1200,1600', pathToFileURL(file).href]);
    const bytes = readFileSync(png);
    expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([1200, 1600]);
    expect(bytes.length).toBeGreaterThan(20_000);
  });
});
