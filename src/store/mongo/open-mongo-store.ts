import mongoose from 'mongoose';
import type { Store } from '../../app/ports.js';
import { createAdvisoryRepo } from './advisories.js';
import { createAssetRepo } from './assets.js';
import { createAuditLog } from './audit-log.js';
import { createGridFsEvidenceStore } from './evidence.js';
import { createFindingRepo } from './findings.js';
import { createIdempotencyKeys } from './idempotency.js';
import { applyJournal, writeJournal } from './journal.js';
import { createKeyValue } from './kv.js';
import { leftovers } from './leftovers.js';
import { createJobLeases } from './leases.js';
import { createIndexes, createModels, type Models } from './models.js';
import { createRecovery } from './recovery.js';
import { createRemediationRepo } from './remediations.js';
import { createRemediationWrites } from './remediation-writes.js';

export interface MongoStoreOptions {
  /** `mongodb://...` or `mongodb+srv://...`: standalone, replica set, Atlas or FerretDB alike. */
  readonly uri: string;
  /** Default: the database named in the URI, else `patchwarden`. */
  readonly dbName?: string;
  /**
   * How old a half-done write must be before another connection finishes it (crash recovery). Longer than any
   * write takes; default one minute.
   */
  readonly staleAfterMs?: number;
}

/** The database path of a MongoDB URI (`mongodb://host/<db>?...`), if it names one. */
const dbNameOf = (uri: string): string | undefined => /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(uri)?.[1];

/**
 * The MongoDB store (see README.md for the design): its own mongoose connection, indexes built before the first
 * query, and what a crashed writer left half done finished before it returns.
 */
export async function openMongoStore(opts: MongoStoreOptions): Promise<Store> {
  const dbName = opts.dbName ?? dbNameOf(opts.uri) ?? 'patchwarden';
  const conn = mongoose.createConnection(opts.uri, { dbName, autoIndex: false, autoCreate: false });
  try {
    await conn.asPromise();
    const models = createModels(conn);
    await createIndexes(models);
    const store = assemble(conn, models, opts.staleAfterMs ?? 60_000);
    await store.recover();
    return store.store;
  } catch (e) {
    await conn.close().catch(() => undefined);
    throw e;
  }
}

function assemble(conn: mongoose.Connection, models: Models, staleAfterMs: number): { store: Store; recover: () => Promise<void> } {
  const db = conn.db;
  if (!db) throw new Error('the mongoose connection has no database handle');
  const left = leftovers(models, staleAfterMs);
  const writes = createRemediationWrites(models, left);
  const advisories = createAdvisoryRepo(models);
  const recover = createRecovery(models, writes, left, advisories.finishReview);
  // After open, recovery rides along with reads of the log, at most twice per stale period.
  let lastRecovery = Date.now();
  const recoverNow = async (): Promise<void> => {
    lastRecovery = Date.now();
    await recover();
  };
  const recoverSometimes = async (): Promise<void> => {
    if (Date.now() - lastRecovery >= staleAfterMs / 2) await recoverNow();
  };
  /** Writes the change as one journal entry (the commit point), then applies it. */
  const commitJournal = async (change: Parameters<Store['commit']>[0]) => applyJournal(models, await writeJournal(models, change));

  const store: Store = {
    kind: 'mongo',
    assets: createAssetRepo(models),
    findings: createFindingRepo(models),
    remediations: createRemediationRepo(models, writes),
    advisories: advisories.repo,
    audit: createAuditLog(models, recoverSometimes, async (events) => (events.length === 0 ? [] : commitJournal({ events }))),
    idempotency: createIdempotencyKeys(models),
    leases: createJobLeases(models),
    kv: createKeyValue(models),
    evidence: createGridFsEvidenceStore(db),
    commit: async (change) => {
      const empty = !change.assets?.length && !change.findings?.length && !change.advisories?.length && !change.advisoryLinks?.length;
      if (empty && change.events.length === 0) return;
      await commitJournal(change);
    },
    close: () => conn.close(),
  };
  return { store, recover: recoverNow };
}
