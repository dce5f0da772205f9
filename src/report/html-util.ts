// Shared pieces of the HTML report: escaping (every string that reaches the page goes through esc),
// the status badge and time formatting.
import type { Verdict } from '../analyze/verdict.js';

/** time and direction as the text report prints them */
export { arrowText, ms } from './timeline.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and quoted attribute values (HTML and inline SVG alike). */
export function esc(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Shortens to max characters with an ellipsis (before escaping). */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function badge(status: Verdict['status']): string {
  return `<span class="badge ${status}">${status.toUpperCase()}</span>`;
}
