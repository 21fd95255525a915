import { dirname, join } from 'node:path';
import type { Change, Store } from '../../app/ports.js';
import { createAdvisories } from './advisories.js';
import { createAssets } from './assets.js';
import { createAuditLog } from './audit-log.js';
import { openDatabase, type Db } from './db.js';
import type { ParseDocs } from './doc-table.js';
import { createFindings } from './findings.js';
import { createFolderEvidenceStore, evidenceRows, type FolderEvidenceOptions, type RecordEvidence } from './folder-evidence-store.js';
import { createIdempotencyKeys } from './idempotency.js';
import { createKeyValue } from './key-value.js';
import { createJobLeases } from './leases.js';
import { migrate } from './migrations.js';
import { createOutbox } from './outbox.js';
import { createRemediationRepo } from './remediations.js';
import { openThreadedStore, type SqliteWriterThread } from './writer-thread.js';

export interface SqliteStoreOptions {
  /** The database file; its folder is created if missing. */
  readonly path: string;
  /** Where evidence files go; default `<folder of path>/evidence`. */
  readonly evidenceDir?: string;
  /** How the evidence folder is made durable (tests watch it). */
  readonly evidence?: Omit<FolderEvidenceOptions, 'record'>;
  /**
   * Where writes run. `thread` (the bot's, through openStore): on a writer thread with a connection of its own, which
   * runs the writes that wait together as one transaction (one fsync) while this thread reads and serves people;
   * `inline` (default): here; or a writer thread shared with other stores (startSqliteWriterThread). An in-memory
   * database is always inline.
   */
  readonly writer?: 'inline' | 'thread' | SqliteWriterThread;
}

/** The embedded store: one SQLite file (plus its evidence folder), brought to the current schema on open. */
export async function openSqliteStore(opts: SqliteStoreOptions): Promise<Store> {
  const { writer = 'inline' } = opts;
  if (writer !== 'inline' && opts.path !== ':memory:') return openThreadedStore(opts, openSqliteParts, writer === 'thread' ? undefined : writer);
  return openSqliteParts(opts).store;
}

/** The store on one connection, with what a writer thread needs of it besides. */
export interface SqliteParts {
  readonly store: Store;
  /** The records' connection. */
  readonly db: Db;
  /** Writes an evidence file's row. */
  readonly recordEvidence: RecordEvidence;
}

/**
 * `recordEvidence`: where evidence rows are written (the writer thread's, when there is one); `parseDocs`: how the
 * records a read returns are parsed (doc-table.ts).
 */
export function openSqliteParts(opts: SqliteStoreOptions, recordEvidence?: RecordEvidence, parseDocs?: ParseDocs): SqliteParts {
  if (opts.path === ':memory:' && opts.evidenceDir === undefined) throw new Error('an in-memory SQLite store needs an evidenceDir');
  const db = openDatabase(opts.path);
  try {
    migrate(db);
  } catch (e) {
    db.close();
    throw e;
  }
  // Idempotency claims are the one write on Slack's ack path: their own connection, without a disk flush per
  // claim. A claim lost to a power cut only lets a retry through again; everything else keeps synchronous = FULL.
  const claims = opts.path === ':memory:' ? db : openDatabase(opts.path, { durable: false });
  const { appendInTx, ...audit } = createAuditLog(db);
  const assets = createAssets(db, parseDocs);
  const findings = createFindings(db, parseDocs);
  const outbox = createOutbox(db);
  const kv = createKeyValue(db);
  const advisories = createAdvisories(db, appendInTx, outbox.addInTx);
  const commit = db.transaction((change: Change) => {
    assets.upsertInTx(change.assets ?? []);
    findings.upsertInTx(change.findings ?? []);
    advisories.upsertInTx(change.advisories ?? []);
    advisories.linkInTx(change.advisoryLinks ?? []);
    kv.putInTx(change.kv ?? []);
    outbox.addInTx(change.effects, appendInTx(change.events));
  });

  const record = recordEvidence ?? evidenceRows(db);
  const store: Store = {
    kind: 'sqlite',
    assets: assets.repo,
    findings: findings.repo,
    remediations: createRemediationRepo(db, appendInTx, outbox.addInTx, parseDocs),
    advisories: advisories.repo,
    audit,
    idempotency: createIdempotencyKeys(claims),
    leases: createJobLeases(db),
    kv: kv.repo,
    evidence: createFolderEvidenceStore(db, opts.evidenceDir ?? join(dirname(opts.path), 'evidence'), { ...opts.evidence, record }),
    outbox: outbox.repo,
    commit: async (change) => commit.immediate(change),
    finishInterrupted: async () => undefined,
    close: async () => {
      if (claims !== db) claims.close();
      db.close();
    },
  };
  return { store, db, recordEvidence: record };
}
