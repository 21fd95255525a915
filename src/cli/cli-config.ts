/** The configuration a CLI command runs with (env + policy file, as the bot reads them), or the problems, printed. */
import { existsSync } from 'node:fs';
import { parseBaseConfig, type BaseConfig } from '../config.js';
import type { CliIo } from './command.js';

export function cliConfig(io: CliIo, command: string): BaseConfig | null {
  const parsed = parseBaseConfig(io.env);
  if (parsed.ok) return parsed.value;
  io.stderr(`patchwarden ${command}: the configuration has ${parsed.error.length === 1 ? 'a problem' : 'problems'}:\n${parsed.error.map((p) => `  - ${p}\n`).join('')}See README.md, "Configuration".\n`);
  return null;
}

/** True when there is a store to read: MongoDB, or a SQLite file that exists (a read must not create one). */
export function storeExists(config: BaseConfig, io: CliIo, what: string): boolean {
  if (config.store.mongodbUri || existsSync(config.store.dbPath)) return true;
  io.stderr(`no ${what} yet: ${config.store.dbPath} does not exist (run patchwarden sync first, or set PATCHWARDEN_DB, or MONGODB_URI for MongoDB)\n`);
  return false;
}
