/**
 * The raw environment, before config.ts parses it: `.env` applied, and where the store is. Kept free of zod, yaml
 * and the policy so that a command that needs only these (`patchwarden audit verify`, `--help`) starts at once.
 * With config.ts, the only module that reads `process.env`.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULT_DB_PATH = './data/patchwarden.db';

/** Where the store is: MongoDB at `mongodbUri` when set, else the SQLite file at `dbPath`. */
export interface StoreSettings {
  readonly mongodbUri: string | null;
  readonly dbPath: string;
}

/**
 * Only where the store is: what `patchwarden audit verify` needs, so an auditor can check the chain even when
 * some other setting (a source, the policy file) is wrong.
 */
export function storeSettings(env: Env): StoreSettings {
  return { mongodbUri: env.MONGODB_URI?.trim() || null, dbPath: resolve(env.PATCHWARDEN_DB?.trim() || DEFAULT_DB_PATH) };
}

/** Loads `.env` from the working directory when there is one, without overriding the real environment. */
export function loadDotEnv(): void {
  if (!existsSync('.env')) return;
  const before = { ...process.env };
  process.loadEnvFile('.env');
  Object.assign(process.env, before);
}

/** The environment with `.env` applied, for entry points that parse it themselves (the CLI). */
export function environment(): Env {
  loadDotEnv();
  return process.env;
}
