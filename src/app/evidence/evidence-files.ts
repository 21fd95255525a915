/**
 * The test evidence in the pack: every file of every test recorded by the cut-off, copied from the evidence store
 * as stored, to `test-evidence/PW-<n>/<name>`, and checked against the SHA-256 recorded when it was uploaded. A file
 * that no longer matches is still copied (the auditor sees what is there) and marked; one that is gone is marked.
 */
import { PassThrough, type Readable } from 'node:stream';
import type { EvidenceFile, Remediation } from '../../domain/remediation.js';
import { EvidenceCorrupted, type EvidenceStore } from '../ports.js';
import type { PackWriter } from './pack-zip.js';

export interface PlacedFile {
  readonly file: EvidenceFile;
  readonly testId: string;
  /** Where it is in the zip. */
  readonly path: string;
}

export type EvidenceCheck =
  | { readonly status: 'ok' }
  | { readonly status: 'mismatch'; readonly found: string }
  | { readonly status: 'missing' }
  | { readonly status: 'unreadable'; readonly reason: string };

/** A name safe in a zip on any system: no folders, no control or reserved characters, not empty, not too long. */
export function safeName(name: string): string {
  const printable = [...name].map((c) => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f ? '_' : c)).join('');
  const cleaned = printable.replace(/[/\\:*?"<>|]/g, '_').replace(/^\.+/, '_').trim().slice(-120);
  return cleaned === '' ? 'file' : cleaned;
}

/** Each distinct file of its tests once, with a path of its own (a second file of the same name gets `(2)`). */
export function placeFiles(r: Remediation): PlacedFile[] {
  const seen = new Set<string>();
  const taken = new Set<string>();
  const out: PlacedFile[] = [];
  for (const t of r.tests) {
    for (const file of t.files) {
      if (seen.has(file.sha256)) continue;
      seen.add(file.sha256);
      const name = safeName(file.name);
      const dot = name.lastIndexOf('.');
      let candidate = name;
      for (let n = 2; taken.has(candidate.toLowerCase()); n += 1) candidate = dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
      taken.add(candidate.toLowerCase());
      out.push({ file, testId: t.id, path: `test-evidence/${r.id}/${candidate}` });
    }
  }
  return out;
}

/** Types that are already compressed: stored as they are rather than deflated again. */
const COMPRESSED = /^(image\/(png|jpe?g|gif|webp)|application\/(pdf|zip|gzip|x-7z-compressed)|video\/)/;

/** A stream that ends, instead of failing the zip, when the store's stream fails part way (chunks lost). */
function endingOnError(source: Readable, onError: (e: Error) => void): Readable {
  const out = new PassThrough();
  source.once('error', (e) => {
    onError(e);
    out.end();
  });
  return source.pipe(out);
}

/** Copies one file into the pack and says how it compares with its record. */
export async function copyEvidence(evidence: Pick<EvidenceStore, 'open'>, pack: PackWriter, placed: PlacedFile): Promise<EvidenceCheck> {
  let opened;
  try {
    opened = await evidence.open(placed.file.sha256);
  } catch (e) {
    if (e instanceof EvidenceCorrupted) return { status: 'missing' };
    throw e;
  }
  if (!opened) return { status: 'missing' };
  let failure: Error | null = null;
  const entry = await pack.add(placed.path, () => endingOnError(opened.stream, (e) => (failure = e)), { compress: !COMPRESSED.test(opened.mimeType) });
  if (failure) return { status: 'unreadable', reason: (failure as Error).message };
  return entry.sha256 === placed.file.sha256 ? { status: 'ok' } : { status: 'mismatch', found: entry.sha256 };
}
