/** Plain-text tables for the terminal: a header row, columns padded to their widest cell, numbers to the right. */

export type Cell = string | number | null;

const show = (c: Cell): string => (c === null ? '-' : typeof c === 'number' ? c.toLocaleString('en-US') : c);

/** One line per row, columns two spaces apart; a column whose cells are all numbers (or empty) is right-aligned. */
export function textTable(header: readonly string[], rows: readonly (readonly Cell[])[], indent = ''): string {
  const cells = [header.map(String), ...rows.map((r) => header.map((_, i) => show(r[i] ?? null)))];
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || r[i] === null));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  return cells
    .map((r) => `${indent}${r.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ')}`.trimEnd())
    .join('\n');
}

export const plural = (n: number, word: string, many = `${word}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;

/** `2026-11-02 09:00` (UTC), or `-`. */
export const shortTime = (iso: string | null): string => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : '-');
