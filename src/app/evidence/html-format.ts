/** The small pieces every part of `index.html` is written with: escaping, instants, tables, links. */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML text or attribute value: nothing in it can become markup. */
export const esc = (text: string | number | null | undefined): string => String(text ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** An instant as people in the policy's time zone read it: `2026-11-03 10:00`. */
export function instantFormat(timeZone: string): (at: string | null | undefined) => string {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return (at) => (at ? f.format(new Date(at)).replace(',', '') : '—');
}

/** A table with a header row; cells are HTML already (escape text with `esc`). */
export function table(header: readonly string[], rows: readonly (readonly string[])[], className = ''): string {
  if (rows.length === 0) return '';
  const head = `<thead><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>`;
  return `<table${className ? ` class="${className}"` : ''}>${head}<tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>\n`;
}

export interface Links {
  /** A remediation's id, linked to its section of the page. */
  ref(id: string): string;
  /** A file inside the pack, linked relative to the page (each path segment encoded). */
  file(path: string, text: string): string;
}

/**
 * The page's own links, or plain text for the copy Chromium prints: a PDF with thousands of internal links takes
 * Chromium minutes to write, and a link into the zip means nothing in a PDF.
 */
export const links = (linked: boolean): Links =>
  linked
    ? { ref: (id) => `<a href="#${esc(id)}">${esc(id)}</a>`, file: (path, text) => `<a href="${esc(path.split('/').map(encodeURIComponent).join('/'))}">${esc(text)}</a>` }
    : { ref: (id) => esc(id), file: (_path, text) => esc(text) };

/** An outside link (a pull request, a finding's page): shown, never fetched. */
export const outsideLink = (url: string | null, text: string): string =>
  url && /^https?:\/\//.test(url) ? `<a href="${esc(url)}" rel="noreferrer">${esc(text)}</a>` : esc(text);

/** The answer line of a finding: a verdict word and the sentence. */
export const answer = (good: boolean, sentence: string): string => `<p class="answer ${good ? 'good' : 'bad'}"><strong>${good ? 'Answer' : 'Exception'}:</strong> ${sentence}</p>\n`;

export const plural = (n: number, word: string, many = `${word}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;

export const severityTag = (s: string): string => `<span class="sev ${esc(s)}">${esc(s)}</span>`;

export const STYLE = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; font-size: 14px; color: #1d232a; }
body { margin: 0 auto; max-width: 1100px; padding: 24px; line-height: 1.45; }
h1 { font-size: 1.6em; margin: 0 0 4px; } h2 { font-size: 1.25em; margin: 28px 0 8px; border-bottom: 2px solid #d6dde4; padding-bottom: 4px; }
h3 { font-size: 1.05em; margin: 18px 0 6px; } p { margin: 6px 0; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 0.9em; }
th, td { border: 1px solid #d6dde4; padding: 3px 6px; text-align: left; vertical-align: top; overflow-wrap: break-word; }
td:first-child, .sev, .timeline td:nth-child(-n+3) { white-space: nowrap; }
th { background: #eef2f5; } thead { display: table-header-group; } tr { break-inside: avoid; }
.meta { color: #52606d; } .mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.85em; }
.answer { padding: 6px 10px; border-left: 4px solid; } .good { border-color: #2f855a; background: #f0faf4; } .bad { border-color: #c53030; background: #fdf2f2; }
.banner { padding: 8px 12px; border: 1px solid; border-radius: 4px; margin: 10px 0; }
.sev { font-weight: 600; } .sev.critical { color: #9b2c2c; } .sev.high { color: #c05621; } .sev.medium { color: #975a16; } .sev.low { color: #2c5282; }
section.remediation { border-top: 1px solid #d6dde4; margin-top: 14px; padding-top: 6px; }
details > summary { cursor: pointer; color: #2c5282; }
@page { size: A4; margin: 14mm; }
@media print { body { max-width: none; padding: 0; font-size: 11px; } a { color: inherit; } }
`;
