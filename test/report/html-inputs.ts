// Inputs for the HTML report tests: connections replayed from the recorded captures.
import { readFileSync } from 'node:fs';
import { replayBytes } from '../../src/capture/replay.js';
import { connectionReport } from '../../src/report/json.js';
import type { HtmlConnection } from '../../src/report/html.js';

/** Every connection of a capture under fixtures/, as analyze replays it. */
export function fixtureConnections(path: string): HtmlConnection[] {
  const items = replayBytes(new Uint8Array(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url))));
  return items.flatMap((i) => (i.type === 'connection'
    ? [{ heading: `${path} #${i.flow.id}`, events: [...i.events], verdict: i.verdict, report: connectionReport(i.events, i.verdict) }]
    : []));
}

export const CERTDENY = 'lab/xfreerdp-certdeny-to-xrdp-tls-expired.pcap';

export function only(path: string): HtmlConnection {
  const [c, ...rest] = fixtureConnections(path);
  if (!c || rest.length) throw new Error(`${path}: expected one connection`);
  return c;
}
