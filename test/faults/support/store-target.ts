/**
 * Which store a fault case runs on: SQLite, or MongoDB when MONGODB_URI is set (`npm run test:faults` runs the
 * store-bound cases once on each). Each case gets a store of its own: a fresh SQLite file, or a fresh database
 * name on the server (dropped afterwards).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../../../src/app/ports.js';
import { openStore } from '../../../src/store/open-store.js';
import { withDatabase } from '../../contract/adapters.js';

export interface StoreTarget {
  readonly kind: 'sqlite' | 'mongo';
  /** What the bot's environment needs to use it. */
  readonly env: Record<string, string>;
  /** Opens it from the test (beside the bot), for seeding and for checking. */
  open(): Promise<Store>;
  /** The folder evidence files go to on SQLite (null on MongoDB: GridFS). */
  readonly evidenceDir: string | null;
  dispose(): Promise<void>;
}

let counter = 0;

export function storeKind(): 'sqlite' | 'mongo' {
  return process.env['MONGODB_URI'] ? 'mongo' : 'sqlite';
}

export function newStoreTarget(label: string): StoreTarget {
  const uri = process.env['MONGODB_URI'];
  counter += 1;
  if (uri) {
    const dbUri = withDatabase(uri, `pw_faults_${label.replace(/\W/g, '_').slice(0, 20)}_${process.pid}_${counter}_${Date.now().toString(36)}`);
    return {
      kind: 'mongo',
      env: { MONGODB_URI: dbUri },
      open: () => openStore({ mongodbUri: dbUri, dbPath: '' }),
      evidenceDir: null,
      dispose: async () => {
        const { default: mongoose } = await import('mongoose');
        const conn = await mongoose.createConnection(dbUri).asPromise();
        await conn.dropDatabase();
        await conn.close();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), `pw-faults-${label.replace(/\W/g, '-').slice(0, 20)}-`));
  const path = join(dir, 'patchwarden.db');
  return {
    kind: 'sqlite',
    env: { PATCHWARDEN_DB: path },
    open: () => openStore({ mongodbUri: null, dbPath: path }),
    evidenceDir: join(dir, 'evidence'),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
