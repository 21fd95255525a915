import type { Db } from './db.js';
import { initialSchema } from './migrations/001-initial-schema.js';
import { reportIndexes } from './migrations/002-report-indexes.js';
import { advisories } from './migrations/003-advisories.js';
import { outboxAndClaims } from './migrations/004-outbox-and-claims.js';
import { leanFindingIndexes } from './migrations/005-lean-finding-indexes.js';
import { remediationHistory } from './migrations/006-remediation-history.js';
import { remediationFactColumns } from './migrations/007-remediation-fact-columns.js';
import { ownerInStateDueIndex } from './migrations/008-owner-in-state-due-index.js';

/** One numbered step of the schema. Never edit a released step: add the next one. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Every step, in order. To add one: a file `migrations/NNN-what.ts` exporting a Migration, listed here. */
export const MIGRATIONS: readonly Migration[] = [initialSchema, reportIndexes, advisories, outboxAndClaims, leanFindingIndexes, remediationHistory, remediationFactColumns, ownerInStateDueIndex];

export class SchemaTooNew extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `the database is at schema version ${found}, but this patchwarden knows versions up to ${known}: ` +
        'it was written by a newer patchwarden; upgrade patchwarden before opening it',
    );
    this.name = 'SchemaTooNew';
  }
}

/**
 * Brings the schema up to date: each missing step in its own immediate transaction, recorded in
 * `schema_migrations`, so a crash leaves the database at a whole step and two processes opening it at once
 * apply each step once. Returns the schema version now in force.
 */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): number {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration "${m.name}" is numbered ${m.version}, expected ${i + 1}`);
  });
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT',
  );
  const current = db.prepare<[], number>('SELECT COALESCE(MAX(version), 0) FROM schema_migrations').pluck();
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const known = migrations.length;
  const found = current.get() ?? 0;
  if (found > known) throw new SchemaTooNew(found, known);
  for (const m of migrations.slice(found)) {
    db.transaction(() => {
      if ((current.get() ?? 0) >= m.version) return; // another process got there first
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
    }).immediate();
  }
  return current.get() ?? 0;
}
