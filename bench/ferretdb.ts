/**
 * FerretDB (MongoDB's wire protocol over SQLite), standing in for MongoDB in the bench: the binary scripts/ferretdb.sh
 * built and cached in .cache/ferretdb, run on a free port with its data in a temporary folder; both go when the
 * bench's cleanup runs. Or the MongoDB at MONGODB_URI, when set (a database of its own, dropped at the end).
 */
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { REPO } from '../test/support/spawn-bot.js';
import type { Cleanup } from './cleanup.js';

export interface MongoServer {
  /** A URI for a database of this name. */
  uri(db: string): string;
  /** What it is, for the tables. */
  readonly label: string;
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });

async function ping(uri: string, alive: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!alive()) throw new Error('FerretDB exited while starting');
    const client = new mongoose.mongo.MongoClient(uri, { serverSelectionTimeoutMS: 500 });
    try {
      await client.db('admin').command({ ping: 1 });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`FerretDB did not answer within ${timeoutMs / 1000} s`);
    } finally {
      await client.close();
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function startMongo(cleanup: Cleanup, existing = process.env.MONGODB_URI): Promise<MongoServer> {
  if (existing) {
    const base = existing.replace(/\/[^/?]*(\?.*)?$/, '/');
    const made: string[] = [];
    cleanup.add(async () => {
      const client = new mongoose.mongo.MongoClient(base);
      try {
        for (const db of made) await client.db(db).dropDatabase();
      } finally {
        await client.close();
      }
    });
    return { label: 'MongoDB (MONGODB_URI)', uri: (db) => (made.push(db), `${base}${db}`) };
  }
  const binary = execFileSync('bash', [join(REPO, 'scripts/ferretdb.sh'), 'build'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  const version = execFileSync(binary, ['--version'], { encoding: 'utf8' }).split('\n')[0]?.split(' ')[1] ?? '';
  const port = await freePort();
  const data = cleanup.dir('patchwarden-bench-ferretdb');
  const child = spawn('bash', [join(REPO, 'scripts/ferretdb.sh'), 'run', String(port), data], {
    env: { ...process.env, DO_NOT_TRACK: '1', FERRETDB_LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  cleanup.child(child, true);
  const base = `mongodb://127.0.0.1:${port}/`;
  await ping(base, () => child.exitCode === null);
  return { label: `MongoDB (FerretDB ${version})`, uri: (db) => `${base}${db}` };
}
