/**
 * CSV as spreadsheets and auditors' tools read it (RFC 4180: CRLF line ends, fields with a comma, quote or line break
 * quoted, quotes doubled). Text cells that a spreadsheet would run as a formula (starting with =, +, -, @, or a tab
 * or carriage return) get a leading apostrophe, as OWASP advises against CSV injection: titles and owners come
 * from outside (advisories, repository names).
 */
export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One record, with its line end: for writing a CSV a row at a time. */
export const csvLine = (row: readonly CsvValue[]): string => `${row.map(csvCell).join(',')}\r\n`;

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map(csvLine).join('');
}
