import type { Store } from '../app/ports.js';
import { openSqliteStore } from './sqlite/open-sqlite-store.js';

export interface StoreOptions {
  /** Set: MongoDB. Null: the embedded SQLite file at `dbPath`. */
  readonly mongodbUri: string | null;
  readonly dbPath: string;
  /**
   * SQLite only: where writes run. `thread` (default) for the bot and long runs (a sync); `inline` for a short command
   * that mostly reads (the CLI's inventory, audit verify, evidence pack), which would spend longer starting the thread
   * than writing.
   */
  readonly writer?: 'thread' | 'inline';
}

/**
 * MongoDB when a URI is configured, else SQLite with its writes on a writer thread (src/store/sqlite/writer-thread.ts:
 * the bot's thread stays free for people while a sync writes). The MongoDB adapter is loaded only when used: SQLite
 * never loads mongoose.
 */
export async function openStore(opts: StoreOptions): Promise<Store> {
  if (opts.mongodbUri) return (await import('./mongo/open-mongo-store.js')).openMongoStore({ uri: opts.mongodbUri });
  return openSqliteStore({ path: opts.dbPath, writer: opts.writer ?? 'thread' });
}
