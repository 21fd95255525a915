/**
 * Writing the pack: a zip streamed with yazl, one entry at a time. Each entry's content is produced only when the zip
 * is ready for it (yazl's lazy read streams) and hashed as it passes, so what is held at once is one entry's buffers,
 * never the pack; the zip itself is hashed as it goes to disk. yazl writes ZIP64 where sizes need it.
 */
import { createHash } from 'node:crypto';
import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

export interface PackEntry {
  /** Its path inside the zip. */
  readonly path: string;
  /** SHA-256 and size of its content (uncompressed: what an unzip gives back). */
  readonly sha256: string;
  readonly size: number;
}

export type EntryContent = Readable | AsyncIterable<string | Buffer> | Iterable<string | Buffer>;

export interface PackWriter {
  /** Adds an entry and resolves once all its content is in the zip. `content` is called when its turn comes. */
  add(path: string, content: () => EntryContent, options?: { readonly compress?: boolean }): Promise<PackEntry>;
  readonly entries: readonly PackEntry[];
  /** Ends the zip: the whole file's SHA-256 and size. */
  finish(): Promise<{ readonly sha256: string; readonly size: number }>;
  /** Gives up: the output is closed unfinished (the caller removes the file). */
  abort(reason: unknown): Promise<void>;
}

/** Passes bytes through, hashing and counting them; `done` resolves at the end of the stream. */
function hashing(): { tap: Transform; done: Promise<{ sha256: string; size: number }> } {
  const hash = createHash('sha256');
  let size = 0;
  let resolve: (v: { sha256: string; size: number }) => void = () => undefined;
  const done = new Promise<{ sha256: string; size: number }>((r) => (resolve = r));
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
    flush(cb) {
      resolve({ sha256: hash.digest('hex'), size });
      cb();
    },
  });
  return { tap, done };
}

export function createPackWriter(out: Writable, mtime: Date): PackWriter {
  const zip = new yazl.ZipFile();
  const whole = hashing();
  const written = pipeline(zip.outputStream as Readable, whole.tap, out);
  let failure: unknown = null;
  written.catch((e: unknown) => (failure ??= e));
  const entries: PackEntry[] = [];

  return {
    entries,
    add(path, content, options = {}) {
      return new Promise<PackEntry>((resolve, reject) => {
        if (failure) return reject(failure as Error);
        const fail = (e: unknown): void => {
          failure ??= e;
          reject(e as Error);
          (zip.outputStream as Readable).destroy(e as Error);
        };
        written.catch(fail);
        // Level 3: most of deflate's gain on text for a third of level 6's time (the audit log is the bulk).
        const compress = options.compress ?? true;
        zip.addReadStreamLazy(path, { compress, ...(compress ? { compressionLevel: 3 } : {}), mtime }, (cb) => {
          let source: Readable;
          try {
            const c = content();
            source = c instanceof Readable ? c : Readable.from(c, { objectMode: false });
          } catch (e) {
            return fail(e);
          }
          const entry = hashing();
          source.once('error', fail);
          entry.done.then((h) => {
            const e = { path, ...h };
            entries.push(e);
            resolve(e);
          }, fail);
          cb(null, source.pipe(entry.tap));
        });
      });
    },
    async finish() {
      zip.end();
      await written;
      return whole.done;
    },
    async abort(reason) {
      failure ??= reason;
      (zip.outputStream as Readable).destroy(reason instanceof Error ? reason : new Error(String(reason)));
      await written.catch(() => undefined);
    },
  };
}
