import type { Store } from '../app/ports.js';
import { openSqliteStore } from './sqlite/open-sqlite-store.js';

export interface StoreOptions {
  /** Set: MongoDB. Null: the embedded SQLite file at `dbPath`. */
  readonly mongodbUri: string | null;
  readonly dbPath: string;
}

type OpenMongoStore = (opts: { uri: string }) => Promise<Store>;

/** The MongoDB adapter is loaded only when asked for, so a SQLite install never loads mongoose. */
async function loadMongo(): Promise<OpenMongoStore> {
  const specifier = './mongo/open-mongo-store.js';
  const mod = (await import(specifier)) as { openMongoStore: OpenMongoStore };
  return mod.openMongoStore;
}

/** MongoDB when a URI is configured, else SQLite. */
export async function openStore(opts: StoreOptions): Promise<Store> {
  if (opts.mongodbUri) return (await loadMongo())({ uri: opts.mongodbUri });
  return openSqliteStore({ path: opts.dbPath });
}
