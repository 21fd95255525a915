/**
 * `patchwarden evidence verify pack.zip`: reads the zip with yauzl (its central directory, then each entry as a
 * stream), recomputes every entry's SHA-256 and size against manifest.json, re-checks the audit log segment link by
 * link, and names whatever does not match. Nothing is held whole but the manifest.
 */
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { Transform, type Readable } from 'node:stream';
import yauzl from 'yauzl';
import { verifySegment, type SegmentCheck } from './audit-segment.js';
import { MANIFEST_PATH, manifestSchema, type Manifest } from './manifest.js';

export interface PackVerdict {
  readonly ok: boolean;
  readonly manifest: Manifest | null;
  /** Files of the manifest found and matching. */
  readonly matched: number;
  readonly segment: SegmentCheck | null;
  /** One sentence per thing that does not match, naming the file or the seq. */
  readonly problems: readonly string[];
}

type Read = { readonly sha256: string; readonly size: number } | { readonly error: string };

const MANIFEST_MAX = 64 * 1024 * 1024;

/** Reads a stream to its end, hashing it; `also` sees the same bytes (the manifest's text, the segment's lines). */
async function digest(stream: Readable, also?: (s: Readable) => Promise<void>): Promise<Read> {
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _e, cb) {
      hash.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
  });
  try {
    stream.once('error', (e) => tap.destroy(e));
    const piped = stream.pipe(tap);
    if (also) await also(piped);
    // Whatever `also` left unread (a segment check stops at the first broken link) still counts.
    for await (const chunk of piped) void chunk;
    return { sha256: hash.digest('hex'), size };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

export async function verifyPack(path: string): Promise<PackVerdict> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(path, { lazyEntries: true, validateEntrySizes: true, strictFileNames: true });
  } catch (e) {
    return { ok: false, manifest: null, matched: 0, segment: null, problems: [`${path} is not a readable zip file (${(e as Error).message})`] };
  }
  const reads = new Map<string, Read>();
  const problems: string[] = [];
  const manifestChunks: Buffer[] = [];
  let manifestSize = 0;
  let segment: SegmentCheck | null = null;
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/')) continue;
      if (reads.has(entry.fileName)) problems.push(`${entry.fileName} is in the zip twice`);
      const stream = await zip.openReadStreamPromise(entry);
      const read = await digest(stream, async (s) => {
        if (entry.fileName === 'audit-log.jsonl') {
          const lines = createInterface({ input: s, crlfDelay: Infinity });
          segment = await verifySegment(lines);
          lines.close();
        } else if (entry.fileName === MANIFEST_PATH) {
          for await (const chunk of s) {
            if ((manifestSize += (chunk as Buffer).length) > MANIFEST_MAX) throw new Error('manifest.json is too large');
            manifestChunks.push(chunk as Buffer);
          }
        }
      });
      reads.set(entry.fileName, read);
    }
  } finally {
    zip.close();
  }
  const parsed = (() => {
    try {
      return manifestSchema.safeParse(JSON.parse(Buffer.concat(manifestChunks).toString('utf8')));
    } catch {
      return null;
    }
  })();
  if (!parsed?.success) return { ok: false, manifest: null, matched: 0, segment, problems: [...problems, reads.has(MANIFEST_PATH) ? 'manifest.json is not a patchwarden evidence pack manifest' : 'manifest.json is missing'] };
  const manifest = parsed.data;
  let matched = 0;
  for (const f of manifest.files) {
    const read = reads.get(f.path);
    if (!read) problems.push(`${f.path}: listed in the manifest, missing from the zip`);
    else if ('error' in read) problems.push(`${f.path}: cannot be read back (${read.error})`);
    else if (read.sha256 !== f.sha256) problems.push(`${f.path}: SHA-256 ${read.sha256} does not match the manifest's ${f.sha256}`);
    else if (read.size !== f.size) problems.push(`${f.path}: ${read.size} bytes, the manifest says ${f.size}`);
    else matched += 1;
  }
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const name of reads.keys()) if (name !== MANIFEST_PATH && !listed.has(name)) problems.push(`${name}: in the zip, not listed in the manifest`);
  problems.push(...segmentProblems(segment, manifest));
  return { ok: problems.length === 0, manifest, matched, segment, problems };
}

function segmentProblems(segment: SegmentCheck | null, manifest: Manifest): string[] {
  const chain = manifest.auditChain;
  const out: string[] = [];
  if (!chain.verification.ok) out.push(`the audit log was already broken in the store when the pack was made: at seq ${chain.verification.badSeq} (${chain.verification.reason})`);
  if (!segment) return [...out, 'audit-log.jsonl is missing'];
  if (!segment.ok) return [...out, `audit-log.jsonl: ${segment.problem}`];
  if (JSON.stringify(segment.header.segment) !== JSON.stringify(chain.segment) || JSON.stringify(segment.header.chainHead) !== JSON.stringify(chain.head)) {
    out.push('audit-log.jsonl: its segment or chain head differs from the manifest’s');
  }
  return out;
}
