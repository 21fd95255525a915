/**
 * report.pdf: the page as Chromium prints it, written to the pack's work folder. Started as soon as the page can be
 * rendered, so Chromium prints on a core of its own while the CSVs and index.html are written; it never rejects,
 * so a pack that fails meanwhile can wait for it before removing the folder.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { PdfPrinter } from '../ports.js';
import { writeText } from './pack-content.js';

export type Printed = { readonly pdf: string } | { readonly note: string };

export async function printReport(printer: PdfPrinter | null, page: () => AsyncIterable<string>, work: string): Promise<Printed> {
  if (!printer) return { note: 'report.pdf was not printed: no Chromium was found (set CHROMIUM_PATH); index.html holds the same page' };
  const html = join(work, 'report.html');
  const pdf = join(work, 'report.pdf');
  try {
    await writeText(page(), html);
    await printer.print(html, pdf);
    if (!(await stat(pdf)).isFile()) throw new Error('the printer wrote no file');
    return { pdf };
  } catch (e) {
    return { note: `report.pdf could not be printed: ${(e as Error).message}` };
  }
}
