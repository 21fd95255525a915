/**
 * A file streamed to disk as it arrives, hashed on the way: the folder evidence store's `receive`. It lands in a
 * folder of its own beside the evidence (same file system, so keeping it is a rename), synced, and is removed if the
 * stream fails or grows past its limit. Parts left by a crash are never read (their name is no SHA-256) and are
 * swept once they are a day old.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { EvidenceTooLarge } from '../../app/ports.js';

export interface IncomingFile {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

const STALE_MS = 24 * 60 * 60_000;

export async function receiveFile(folder: string, body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<IncomingFile> {
  await mkdir(folder, { recursive: true });
  const path = join(folder, `${randomUUID()}.part`);
  const file = await open(path, 'wx', 0o644);
  const hash = createHash('sha256');
  let size = 0;
  try {
    try {
      for await (const chunk of body) {
        size += chunk.byteLength;
        // Stops reading here: leaving the loop cancels the download.
        if (size > maxBytes) throw new EvidenceTooLarge(maxBytes);
        hash.update(chunk);
        await file.write(chunk);
      }
      await file.sync();
    } finally {
      await file.close();
    }
  } catch (e) {
    await rm(path, { force: true });
    throw e;
  }
  return { path, sha256: hash.digest('hex'), size };
}

/** Removes parts older than a day (a crash mid-upload); errors are ignored (another sweep gets them). */
export async function sweepIncoming(folder: string, now = Date.now()): Promise<void> {
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.endsWith('.part'))) {
    const path = join(folder, name);
    const old = await stat(path).then((s) => now - s.mtimeMs > STALE_MS, () => false);
    if (old) await rm(path, { force: true }).catch(() => undefined);
  }
}
