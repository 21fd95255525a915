import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/** How long a write waits for another connection's transaction before failing with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating if needed, with its parent folder) a SQLite file set up for several connections: WAL so readers
 * never block the writer, a busy timeout so writers queue instead of failing, foreign keys on, and a full sync so
 * a committed audit event survives a power cut.
 */
export function openDatabase(path: string, options: { durable?: boolean } = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('foreign_keys = ON');
  // FULL: a committed audit event survives a power cut. NORMAL (only for idempotency claims): survives a crash.
  db.pragma(`synchronous = ${options.durable === false ? 'NORMAL' : 'FULL'}`);
  // Savepoint journals (a batch's items, the writer thread's grouped writes) in memory, not in temp files: they
  // only ever roll a statement back, and on disk they doubled what a sync writes.
  db.pragma('temp_store = MEMORY');
  if (options.durable !== false) {
    // The records' connections: the indexes a sync touches stay cached between its transactions (32 MiB at most:
    // the indexes of 100,000 findings), and the WAL is copied into the file every ~40 MB rather than every 4 MB
    // (fewer, larger checkpoints; the WAL file is cut back to 64 MiB after one). Durability is the WAL's, fsynced at
    // every commit, either way.
    db.pragma('cache_size = -32768');
    db.pragma('wal_autocheckpoint = 10000');
    db.pragma('journal_size_limit = 67108864');
  }
  return db;
}

/**
 * True when SQLite refused a write because it would break a UNIQUE or PRIMARY KEY constraint. By its code, not
 * `instanceof SqliteError`: the native addon keeps the first SqliteError class it was given, so a module loaded
 * twice (jest's per-file registries) throws errors of a class the second copy does not know.
 */
export const isUniqueViolation = (e: unknown): boolean => {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
};
