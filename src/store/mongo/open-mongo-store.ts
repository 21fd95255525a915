import { performance } from 'node:perf_hooks';
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
import { createOutbox } from './outbox.js';
import { createRecovery, type Recovery } from './recovery.js';
import { createRemediationRepo } from './remediations.js';
import { createRemediationWrites } from './remediation-writes.js';
import { versionSteps } from './version-docs.js';

export interface MongoStoreOptions {
  /** `mongodb://...` or `mongodb+srv://...`: standalone, replica set, Atlas or FerretDB alike. */
  readonly uri: string;
  /** Default: the database named in the URI, else `patchwarden`. */
  readonly dbName?: string;
  /**
   * How long this process must have seen a half-done write before it finishes it as a crashed writer's (crash
   * recovery). Longer than any write takes; default one minute.
   */
  readonly staleAfterMs?: number;
}

/** The database path of a MongoDB URI (`mongodb://host/<db>?...`), if it names one. */
const dbNameOf = (uri: string): string | undefined => /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(uri)?.[1];

/**
 * The MongoDB store (see README.md for the design): its own mongoose connection, indexes built before the first
 * query, and what a crashed writer left half done finished (once stale) before it returns.
 */
export async function openMongoStore(opts: MongoStoreOptions): Promise<Store> {
  const dbName = opts.dbName ?? dbNameOf(opts.uri) ?? 'patchwarden';
  const conn = mongoose.createConnection(opts.uri, { dbName, autoIndex: false, autoCreate: false });
  try {
    await conn.asPromise();
    const models = createModels(conn);
    await createIndexes(models);
    const { store, recovery } = assemble(conn, models, opts.staleAfterMs ?? 60_000);
    await recovery.stale();
    return store;
  } catch (e) {
    await conn.close().catch(() => undefined);
    throw e;
  }
}

function assemble(conn: mongoose.Connection, models: Models, staleAfterMs: number): { store: Store; recovery: Recovery } {
  const db = conn.db;
  if (!db) throw new Error('the mongoose connection has no database handle');
  const left = leftovers(models, staleAfterMs);
  const steps = versionSteps(models, left);
  const advisories = createAdvisoryRepo(models);
  const recovery = createRecovery(models, steps, left, advisories.finishReview);
  // Every read of the log or the outbox first records what is visible; stale leftovers are finished along with
  // it at most twice per stale period.
  let lastStale = performance.now();
  const beforeRead = async (): Promise<void> => {
    if (performance.now() - lastStale < staleAfterMs / 2) return recovery.visible();
    lastStale = performance.now();
    return recovery.stale();
  };
  /** Writes the change as one journal entry (the commit point), then applies it. */
  const commitJournal = async (change: Parameters<Store['commit']>[0]) => applyJournal(models, await writeJournal(models, change));

  const store: Store = {
    kind: 'mongo',
    assets: createAssetRepo(models),
    findings: createFindingRepo(models),
    remediations: createRemediationRepo(models, createRemediationWrites(models, steps)),
    advisories: advisories.repo,
    audit: createAuditLog(models, beforeRead, async (events) => (events.length === 0 ? [] : commitJournal({ events }))),
    idempotency: createIdempotencyKeys(models),
    leases: createJobLeases(models),
    kv: createKeyValue(models),
    evidence: createGridFsEvidenceStore(db),
    outbox: createOutbox(models, beforeRead),
    commit: async (change) => {
      const records = change.assets?.length || change.findings?.length || change.advisories?.length || change.advisoryLinks?.length;
      const empty = !records && !change.kv?.length && !change.effects?.length && change.events.length === 0;
      if (!empty) await commitJournal(change);
    },
    finishInterrupted: () => recovery.all(),
    close: () => conn.close(),
  };
  return { store, recovery };
}
