/**
 * The generated entries of the pack as streams of text: the CSVs a row at a time (gathered into chunks of about
 * 64 KiB), the page's remediation blocks, and a copy of the page on disk for the browser that prints it.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { csvLine, type CsvValue } from '../csv.js';
import type { Store } from '../ports.js';
import { recordsAsOf, type AsOfRecord } from './as-of.js';
import { placeFiles } from './evidence-files.js';
import { remediationBlock, type RemediationContext } from './html-remediation.js';
import type { Trail } from './population.js';

const CHUNK = 64 * 1024;

/** A CSV: its header, then its rows, in chunks. */
export async function* csvText(header: readonly string[], rows: AsyncIterable<readonly CsvValue[]> | Iterable<readonly CsvValue[]>): AsyncGenerator<string> {
  let buffer = csvLine(header);
  for await (const row of rows) {
    buffer += csvLine(row);
    if (buffer.length >= CHUNK) {
      yield buffer;
      buffer = '';
    }
  }
  yield buffer;
}

/** The remediations of the pack as they stood at the cut-off, read afresh from the store each time it is called. */
export type Records = () => AsyncIterable<AsOfRecord>;

export function recordsOf(store: Store, ids: readonly string[], cutOff: string, trails: ReadonlyMap<string, Trail>, onMissing?: (id: string) => void): Records {
  return () => recordsAsOf(store.remediations, ids, cutOff, trails, onMissing);
}

/** Rows built from each remediation (several or none each). */
export async function* rowsOf(records: Records, build: (rec: AsOfRecord) => CsvValue[][]): AsyncGenerator<CsvValue[]> {
  for await (const rec of records()) yield* build(rec);
}

/** Each remediation's block of the page, with its timeline up to the cut-off. */
export async function* remediationBlocks(store: Store, records: Records, cutOff: string, ctx: RemediationContext, progress: (done: number) => void = () => undefined): AsyncGenerator<string> {
  let buffer = '';
  let done = 0;
  for await (const rec of records()) {
    progress((done += 1));
    const events = (await store.audit.bySubject(rec.remediation.id)).filter((e) => e.at < cutOff);
    buffer += remediationBlock(rec, placeFiles(rec.remediation), events, ctx);
    if (buffer.length >= CHUNK) {
      yield buffer;
      buffer = '';
    }
  }
  yield buffer;
}

/** Writes text to a file as it comes. */
export async function writeText(source: AsyncIterable<string>, path: string): Promise<void> {
  for await (const chunk of teeToFile(source, path)) void chunk;
}

/** Passes text through, writing it to `path` as well (waiting when the disk is slower). */
export async function* teeToFile(source: AsyncIterable<string>, path: string): AsyncGenerator<string> {
  const file = createWriteStream(path);
  try {
    for await (const chunk of source) {
      if (!file.write(chunk)) await once(file, 'drain');
      yield chunk;
    }
  } finally {
    file.end();
    await once(file, 'close');
  }
}
