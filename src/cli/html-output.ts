// --html FILE on probe, analyze and scan: the report page (src/report/html.ts) written to a file.
import { writeFileSync } from 'node:fs';
import { renderHtmlReport, type HtmlReportInput } from '../report/html.js';
import type { CliIO } from './io.js';

export const HTML_OPTION = { type: 'string', describe: 'also write a self-contained HTML report (ladder diagram, verdict, evidence) to this file' } as const;

/** Writes the page; false (and a message) when the file cannot be written. */
export function writeHtmlReport(path: string, input: Omit<HtmlReportInput, 'generatedAt'>, io: CliIO): boolean {
  try {
    writeFileSync(path, renderHtmlReport({ ...input, generatedAt: new Date().toISOString() }));
    io.err(`HTML report written to ${path}\n`);
    return true;
  } catch (e) {
    io.err(`rdpscope: cannot write the HTML report: ${(e as Error).message}\n`);
    return false;
  }
}
