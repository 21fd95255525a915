import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { EvidenceCorrupted, type EvidenceStore } from '../../app/ports.js';
import type { Db } from './db.js';
import { receiveFile, sweepIncoming } from './incoming-file.js';

const SHA256 = /^[0-9a-f]{64}$/;
const sha256Of = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

/** Makes a folder's entries durable: after a rename, the new name survives a power cut only once this returns. */
async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A stored file's row: its name, type and size beside the bytes. */
export interface EvidenceRow {
  readonly sha256: string;
  readonly size: number;
  readonly name: string;
  readonly mimeType: string;
  readonly storedAt: string;
}

/** Writes an evidence file's row (the first name stays); on the writer's connection when there is a writer thread. */
export type RecordEvidence = (row: EvidenceRow) => Promise<void>;

export function evidenceRows(db: Db): RecordEvidence {
  const insert = db.prepare<[string, number, string, string, string]>(
    'INSERT INTO evidence_files (sha256, size, name, mime_type, stored_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  return async (r) => void insert.run(r.sha256, r.size, r.name, r.mimeType, r.storedAt);
}

export interface FolderEvidenceOptions {
  /** How a folder is synced (tests watch it); default: open it and fsync. */
  readonly syncDir?: (dir: string) => Promise<void>;
  /** Where the rows are written (the writer thread's connection, when there is one); default this connection. */
  readonly record?: RecordEvidence;
}

/**
 * Evidence files in a folder, content-addressed as `ab/cd/<sha256>` (read-only once written), with their name and
 * type in SQLite. Storing the same bytes again keeps the copy if it still hashes right and replaces it if not (a
 * damaged copy is repaired by the next upload of the same file); reading re-hashes them.
 */
export function createFolderEvidenceStore(db: Db, dir: string, options: FolderEvidenceOptions = {}): EvidenceStore {
  const syncDir = options.syncDir ?? fsyncDir;
  const record = options.record ?? evidenceRows(db);
  const meta = db.prepare<[string], { name: string; mimeType: string; size: number }>(
    'SELECT name, mime_type AS mimeType, size FROM evidence_files WHERE sha256 = ?',
  );
  const pathOf = (sha256: string): string => join(dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);

  /**
   * Renames a synced file into place (readers see all the bytes or none), then syncs the folders whose entries
   * changed. `created`: the first folder made for it, when the caller made them (mkdir's answer).
   */
  async function place(from: string, path: string, created?: string): Promise<void> {
    const folder = dirname(path);
    created ??= await mkdir(folder, { recursive: true });
    await chmod(from, 0o444);
    await rename(from, path);
    // The file's folder, and each folder a new one was made in (`ab/`, and the evidence folder itself).
    const folders = [folder];
    for (let f = folder; created !== undefined && f !== dirname(created); f = dirname(f)) folders.push(dirname(f));
    for (const f of folders) await syncDir(f);
  }

  /** Writes a temp file beside the target, syncs it, and places it: the file is there after a power cut. */
  async function writeDurably(path: string, bytes: Uint8Array): Promise<void> {
    const folder = dirname(path);
    const created = await mkdir(folder, { recursive: true });
    const tmp = join(folder, `.${randomUUID()}.tmp`);
    try {
      const file = await open(tmp, 'wx', 0o644);
      try {
        await file.writeFile(bytes);
        await file.sync();
      } finally {
        await file.close();
      }
      await place(tmp, path, created);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  }

  // Streamed uploads land here first (same file system as the evidence: keeping one is a rename).
  const incoming = join(dir, '.incoming');
  let swept: Promise<void> | null = null;

  /** True when a copy is on disk and still hashes to its name. */
  const intact = async (path: string, sha256: string): Promise<boolean> =>
    (await exists(path)) && sha256Of(await readFile(path)) === sha256;

  return {
    receive: async (body, name, mimeType, maxBytes) => {
      swept ??= sweepIncoming(incoming);
      const file = await receiveFile(incoming, body, maxBytes);
      const { sha256, size } = file;
      return {
        sha256,
        size,
        keep: async () => {
          // As put: a copy already there and intact stays (and this one goes); otherwise this one takes its place.
          if (await intact(pathOf(sha256), sha256)) await rm(file.path, { force: true });
          else await place(file.path, pathOf(sha256));
          await record({ sha256, size, name, mimeType, storedAt: new Date().toISOString() });
        },
        discard: () => rm(file.path, { force: true }),
      };
    },
    put: async (bytes, name, mimeType) => {
      const sha256 = sha256Of(bytes);
      // File first, then its row: a crash between the two leaves a file that the next put of it records.
      if (!(await intact(pathOf(sha256), sha256))) await writeDurably(pathOf(sha256), bytes);
      await record({ sha256, size: bytes.byteLength, name, mimeType, storedAt: new Date().toISOString() });
      return { sha256, size: bytes.byteLength };
    },
    get: async (sha256) => {
      const m = SHA256.test(sha256) ? meta.get(sha256) : undefined;
      if (!m) return null;
      const bytes = await readFile(pathOf(sha256)).catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') throw new EvidenceCorrupted(sha256); // recorded, then lost
        throw e;
      });
      if (sha256Of(bytes) !== sha256) throw new EvidenceCorrupted(sha256);
      return { bytes, name: m.name, mimeType: m.mimeType };
    },
    open: async (sha256) => {
      const m = SHA256.test(sha256) ? meta.get(sha256) : undefined;
      if (!m) return null;
      if (!(await exists(pathOf(sha256)))) throw new EvidenceCorrupted(sha256); // recorded, then lost
      return { stream: createReadStream(pathOf(sha256)), name: m.name, mimeType: m.mimeType, size: m.size };
    },
    has: async (sha256) => SHA256.test(sha256) && meta.get(sha256) !== undefined && (await exists(pathOf(sha256))),
  };
}
