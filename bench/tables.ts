/** Plain-text tables for the bench's report, and the number formats they share. */

export const ms = (n: number | null | undefined): string => (n === null || n === undefined || Number.isNaN(n) ? '—' : n < 10 ? `${n.toFixed(1)} ms` : `${Math.round(n)} ms`);
export const secs = (n: number | null | undefined): string => (n === null || n === undefined || Number.isNaN(n) ? '—' : `${n.toFixed(1)} s`);
export const count = (n: number): string => Math.round(n).toLocaleString('en-US');
/** "value met" / "value MISSED" / "value" when there is no goal. */
export const judged = (text: string, ok: boolean | null): string => (ok === null ? text : `${text} ${ok ? 'met' : 'MISSED'}`);

/** A markdown-style table: the first row is the header. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[]): string => `| ${widths.map((w, c) => (r[c] ?? '').padEnd(w)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join('\n');
}
