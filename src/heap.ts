/**
 * How far V8 lets the JavaScript heap grow past what a full collection left alive before it collects again. Its own
 * default grows the limit by up to 4x: a sync of 100,000 findings keeps some 60 MB alive, but its pages (parsed,
 * validated, merged, sent to the writer) leave garbage behind that then piles up to a 300 MB heap, and the process
 * peaked at 480-530 MB of RSS. At 2x the full collections come sooner and the same sync peaks near 380 MB in about
 * the same time (bench/sync.ts, which sets it as the entry points do, in alternated runs: 18.0 s against 18.5 s, 15.8 s
 * against 14.7 s; at 1.5x it peaked near 360 MB but took a second longer). The flag is process-wide, so the SQLite
 * writer thread's heap follows it too.
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 100;

/** Called first by each entry point (the bot, the CLI). `percent` 0 gives V8's own default back (the bench's bare client). */
export function boundHeapGrowth(percent = HEAP_GROWING_PERCENT): void {
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}
