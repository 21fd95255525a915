import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/open-store.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import { migrate, MIGRATIONS, SchemaTooNew, type Migration } from '../../src/store/sqlite/migrations.js';
import { remediationHistory } from '../../src/store/sqlite/migrations/006-remediation-history.js';
import { remediationFactColumns } from '../../src/store/sqlite/migrations/007-remediation-fact-columns.js';
import type { AuditAction } from '../../src/app/audit-actions.js';

const steps: Migration[] = [
  { version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER)' },
  { version: 2, name: 'two', sql: 'ALTER TABLE a ADD COLUMN y TEXT' },
];

describe('SQLite schema migrations', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'patchwarden-migrations-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const applied = (db: Database.Database) => db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();

  it('applies the missing steps in order, each once, and records them', () => {
    const db = new Database(join(dir, 'm.db'));
    expect(migrate(db, steps.slice(0, 1))).toBe(1);
    expect(migrate(db, steps)).toBe(2);
    expect(migrate(db, steps)).toBe(2);
    expect(applied(db)).toEqual([{ version: 1, name: 'one' }, { version: 2, name: 'two' }]);
    expect(db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('a')).toEqual(['x', 'y']);
    db.close();
  });

  it('rolls a failing step back whole and leaves the earlier ones in place', () => {
    const db = new Database(join(dir, 'm.db'));
    const broken: Migration = { version: 2, name: 'broken', sql: 'CREATE TABLE b (x INTEGER); CREATE TABLE a (x INTEGER)' };
    expect(() => migrate(db, [steps[0]!, broken])).toThrow(/already exists/);
    expect(applied(db)).toEqual([{ version: 1, name: 'one' }]);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'b'").pluck().get()).toBe(0);
    db.close();
  });

  it('refuses a database written by a newer patchwarden, with a clear error', () => {
    const db = new Database(join(dir, 'm.db'));
    migrate(db, steps);
    expect(() => migrate(db, steps.slice(0, 1))).toThrow(SchemaTooNew);
    expect(() => migrate(db, steps.slice(0, 1))).toThrow('schema version 2, but this patchwarden knows versions up to 1');
    db.close();
  });

  it('refuses a list of steps that is not numbered 1, 2, 3...', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, [steps[1]!])).toThrow('migration "two" is numbered 2, expected 1');
    db.close();
  });

  it('openSqliteStore creates the folder, migrates to the latest step, and refuses a newer file', async () => {
    const path = join(dir, 'nested', 'deeper', 'patchwarden.db');
    const store = await openSqliteStore({ path });
    await store.close();
    expect(existsSync(path)).toBe(true);
    const db = new Database(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(applied(db)).toHaveLength(MIGRATIONS.length);
    db.prepare("INSERT INTO schema_migrations VALUES (?, 'from the future', '2099-01-01')").run(MIGRATIONS.length + 1);
    db.close();
    await expect(openSqliteStore({ path })).rejects.toThrow(SchemaTooNew);
  });

  it('step 2 backfills remediations.created_at from the doc of a database written at step 1', async () => {
    const path = join(dir, 'patchwarden.db');
    const db = new Database(path);
    migrate(db, MIGRATIONS.slice(0, 1));
    db.prepare("INSERT INTO remediations (id, key, state, severity, due_at, version, doc) VALUES ('PW-1', 'k', 'new', 'high', '2026-12-01', 1, ?)")
      .run(JSON.stringify({ id: 'PW-1', createdAt: '2026-11-01T09:00:00.000Z' }));
    expect(migrate(db)).toBe(MIGRATIONS.length);
    expect(db.prepare('SELECT created_at FROM remediations').pluck().get()).toBe('2026-11-01T09:00:00.000Z');
    db.close();
  });

  it('the remediation history step starts every remediation’s history with the version it is at, append-only', async () => {
    const path = join(dir, 'patchwarden.db');
    const db = new Database(path);
    migrate(db, MIGRATIONS.slice(0, MIGRATIONS.indexOf(remediationHistory)));
    const doc = { id: 'PW-1', state: 'assessed', createdAt: '2026-11-01T09:00:00.000Z', updatedAt: '2026-11-03T09:00:00.000Z', version: 4 };
    db.prepare("INSERT INTO remediations (id, key, state, severity, due_at, version, created_at, doc) VALUES ('PW-1', 'k', 'assessed', 'high', '2026-12-01', 4, '2026-11-01', ?)")
      .run(JSON.stringify(doc));
    expect(migrate(db)).toBe(MIGRATIONS.length);
    expect(db.prepare('SELECT id, version, updated_at AS updatedAt FROM remediation_versions').all()).toEqual([{ id: 'PW-1', version: 4, updatedAt: doc.updatedAt }]);
    expect(() => db.prepare("UPDATE remediation_versions SET doc = '{}'").run()).toThrow('append-only');
    expect(() => db.prepare('DELETE FROM remediation_versions').run()).toThrow('append-only');
    db.close();
    const store = await openSqliteStore({ path });
    await expect(store.remediations.versionsBefore(['PW-1'], '2026-11-04T00:00:00.000Z')).resolves.toEqual([doc]);
    await store.close();
  });

  it('the fact columns step fills sla_start_at and resolution from the docs, which facts() then reads', async () => {
    const path = join(dir, 'patchwarden.db');
    const db = new Database(path);
    migrate(db, MIGRATIONS.slice(0, MIGRATIONS.indexOf(remediationFactColumns)));
    const insert = db.prepare('INSERT INTO remediations (id, key, state, severity, due_at, closed_at, version, created_at, doc) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)');
    const closed = { slaStartAt: '2026-11-02T09:00:00.000Z', resolution: 'risk_accepted' };
    insert.run('PW-1', 'k1', 'closed', 'high', '2026-12-01', '2026-11-20T00:00:00.000Z', '2026-11-01', JSON.stringify({ id: 'PW-1', ...closed }));
    insert.run('PW-2', 'k2', 'detected', 'low', '2026-12-02', null, '2026-11-01', JSON.stringify({ id: 'PW-2', slaStartAt: '2026-11-01T09:00:00.000Z', resolution: null }));
    expect(migrate(db)).toBe(MIGRATIONS.length);
    expect(db.prepare('SELECT id, sla_start_at AS slaStartAt, resolution FROM remediations ORDER BY id').all()).toEqual([
      { id: 'PW-1', ...closed },
      { id: 'PW-2', slaStartAt: '2026-11-01T09:00:00.000Z', resolution: null },
    ]);
    db.close();
    const store = await openSqliteStore({ path });
    await expect(store.remediations.facts({ closedSince: '2026-11-01T00:00:00.000Z' })).resolves.toEqual([
      { id: 'PW-1', state: 'closed', severity: 'high', owner: null, dueAt: '2026-12-01', closedAt: '2026-11-20T00:00:00.000Z', createdAt: '2026-11-01', ...closed },
    ]);
    await store.close();
  });

  it('after step 8 the overdue work per owner is counted from the (state, due_at, id, owner) index alone', () => {
    const db = new Database(join(dir, 'patchwarden.db'));
    migrate(db);
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT owner, COUNT(*) AS count FROM remediations WHERE state IN ('new', 'assessed') AND due_at < ? GROUP BY owner")
      .all('2026-12-01') as { detail: string }[];
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/COVERING INDEX remediations_state_due/);
    db.close();
  });

  it('the audit table refuses UPDATE and DELETE through SQL', async () => {
    const path = join(dir, 'patchwarden.db');
    const store = await openSqliteStore({ path });
    await store.audit.append([{ at: '2026-11-01T00:00:00.000Z', actor: 'U0LEAD', action: 'x' as AuditAction, subject: 'PW-1', data: {} }]);
    await store.close();
    const db = new Database(path);
    expect(() => db.prepare("UPDATE audit_events SET actor = 'U0MALLORY'").run()).toThrow('append-only');
    expect(() => db.prepare('DELETE FROM audit_events').run()).toThrow('append-only');
    db.close();
  });

  it('openStore without a MongoDB URI opens the SQLite file at dbPath', async () => {
    const path = join(dir, 'data', 'patchwarden.db');
    const store = await openStore({ mongodbUri: null, dbPath: path });
    expect(store.kind).toBe('sqlite');
    await store.audit.append([{ at: '2026-11-01T00:00:00.000Z', actor: 'U0LEAD', action: 'x' as AuditAction, subject: 'PW-1', data: {} }]);
    await store.close();
    const db = new Database(path);
    expect(db.prepare('SELECT count(*) FROM audit_events').pluck().get()).toBe(1);
    db.close();
  });
});
