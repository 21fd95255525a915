/**
 * Tampering with the SQLite file behind the bot's back: every edit, deletion, swap or forgery of an audit event is
 * caught by `patchwarden audit verify`, which names the first bad seq.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { hashEvent, type AuditEvent } from '../../src/app/audit.js';
import { runCli } from '../../src/cli/index.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import { aFinding, anAsset, aRemediation, T0 } from '../support/builders.js';
import type { AuditAction } from '../../src/app/audit-actions.js';

let dir: string;
let original: string;
let head: AuditEvent;

const at = (i: number): string => new Date(T0.getTime() + i * 60_000).toISOString();
const ev = (i: number, subject: string, action: AuditAction, data: Record<string, unknown> = {}) => ({ at: at(i), actor: 'U0LEAD', action, subject, data });

/** A log of a few dozen events written through the port, as the bot writes them. */
async function buildLog(path: string): Promise<AuditEvent> {
  const store = await openSqliteStore({ path });
  for (let i = 0; i < 8; i += 1) {
    const r = aRemediation({ id: `PW-${i + 1}` });
    const created = await store.remediations.create(r, [ev(i, r.id, 'remediation.created', { key: r.key })]);
    if (!created.ok) throw new Error(created.error.code);
    await store.remediations.update({ ...r, state: 'assessed', severity: 'critical' }, 1, [ev(i, r.id, 'remediation.assessed', { severity: 'critical', rationale: 'internet-facing' })]);
    await store.audit.append([ev(i, r.id, 'access.denied', { userId: 'U0INTERN', permission: 'approve' })]);
  }
  await store.commit({ assets: [anAsset()], findings: [aFinding(), aFinding()], events: [ev(9, 'sync:1', 'sync.completed', { findings: 2 })] });
  for (let i = 0; i < 12; i += 1) await store.audit.append([ev(10 + i, `PW-${(i % 8) + 1}`, 'reminder.sent', { daysLeft: 3 })]);
  const last = await store.audit.head();
  await store.close();
  return last!;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'patchwarden-tamper-'));
  original = join(dir, 'original', 'patchwarden.db');
  head = await buildLog(original);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function verify(path: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['audit', 'verify', ...args], { stdout: (s) => (out += s), stderr: (s) => (err += s), env: { PATCHWARDEN_DB: path } });
  return { code, out, err };
}

let copies = 0;
/** A copy of the intact file, altered by a separate connection as an attacker with file access would. */
function tampered(sql: (db: Database.Database) => void): string {
  copies += 1;
  const path = join(dir, `copy-${copies}.db`);
  copyFileSync(original, path);
  const db = new Database(path);
  db.exec('DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;');
  sql(db);
  db.close();
  return path;
}

const rowOf = (db: Database.Database, seq: number) =>
  db.prepare('SELECT at, actor, action, subject, data, prev_hash AS prevHash, hash FROM audit_events WHERE seq = ?').get(seq) as Omit<AuditEvent, 'seq' | 'data'> & { data: string };

/** An event that chains correctly after `prev`, as a forger who knows the scheme would compute it. */
function forgedAfter(db: Database.Database, prevSeq: number): Omit<AuditEvent, 'data'> & { data: string } {
  const prev = rowOf(db, prevSeq);
  const body = { seq: prevSeq + 1, at: at(99), actor: 'U0MALLORY', action: 'remediation.approved', subject: 'PW-3', data: { reason: 'looks fine' }, prevHash: prev.hash };
  return { ...body, data: JSON.stringify(body.data), hash: hashEvent(body) };
}
const insert = (db: Database.Database, e: Omit<AuditEvent, 'data'> & { data: string }): void => {
  db.prepare('INSERT INTO audit_events (seq, at, actor, action, subject, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(e.seq, e.at, e.actor, e.action, e.subject, e.data, e.prevHash, e.hash);
};

describe('patchwarden audit verify against a tampered SQLite file', () => {
  it('passes the intact log: exit 0, with its count and head hash', async () => {
    expect(head.seq).toBe(37);
    const result = await verify(original);
    expect(result).toEqual({ code: 0, out: `audit log intact: 37 events, head seq 37 sha256 ${head.hash}\n`, err: '' });
  });

  it('passes the intact log against its recorded head, and fails it against another', async () => {
    await expect(verify(original, '--expect-head', `37:${head.hash}`)).resolves.toMatchObject({ code: 0, out: expect.stringContaining('intact: 37 events') });
    const wrong = await verify(original, `--expect-head=37:${'e'.repeat(64)}`);
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain('audit log BROKEN at seq 37: hash differs from the recorded head (36 events verified before it)');
  });

  const cases: [string, (db: Database.Database) => void, number, string][] = [
    ['one event’s data edited', (db) => db.prepare(`UPDATE audit_events SET data = '{"rationale":"none","severity":"low"}' WHERE seq = 17`).run(), 17, 'hash does not match the event’s content'],
    ['one event’s actor edited', (db) => db.prepare(`UPDATE audit_events SET actor = 'U0MALLORY' WHERE seq = 5`).run(), 5, 'hash does not match the event’s content'],
    ['one event deleted', (db) => db.prepare('DELETE FROM audit_events WHERE seq = 17').run(), 17, 'missing event: expected seq 17, found 18'],
    ['the first event deleted', (db) => db.prepare('DELETE FROM audit_events WHERE seq = 1').run(), 1, 'missing event'],
    ['two events swapped (their contents exchanged between seqs)', (db) => {
      const [a, b] = [rowOf(db, 17), rowOf(db, 18)];
      const put = db.prepare('UPDATE audit_events SET at = ?, actor = ?, action = ?, subject = ?, data = ?, prev_hash = ?, hash = ? WHERE seq = ?');
      put.run(b.at, b.actor, b.action, b.subject, b.data, b.prevHash, b.hash, 17);
      put.run(a.at, a.actor, a.action, a.subject, a.data, a.prevHash, a.hash, 18);
    }, 17, 'prevHash does not match'],
    ['one event replaced by a forgery chained to the one before', (db) => {
      db.prepare('DELETE FROM audit_events WHERE seq = 17').run();
      insert(db, forgedAfter(db, 16));
    }, 18, 'prevHash does not match'],
    ['a forgery inserted and the rest renumbered', (db) => {
      db.exec('UPDATE audit_events SET seq = -seq WHERE seq > 16; UPDATE audit_events SET seq = 1 - seq WHERE seq < 0;');
      insert(db, forgedAfter(db, 16));
    }, 18, 'prevHash does not match'],
    ['one event’s hash replaced', (db) => db.prepare(`UPDATE audit_events SET hash = ? WHERE seq = 30`).run('f'.repeat(64)), 30, 'hash does not match the event’s content'],
    ['a forgery appended with a made-up link', (db) => insert(db, { ...forgedAfter(db, 37), prevHash: 'a'.repeat(64) }), 38, 'prevHash does not match'],
    ['a forgery given seq 0', (db) => insert(db, { ...forgedAfter(db, 1), seq: 0 }), 1, 'out of order'],
  ];

  it.each(cases)('catches %s: exit 1, naming the first bad seq', async (_name, tamper, badSeq, reason) => {
    const result = await verify(tampered(tamper));
    expect(result.code).toBe(1);
    expect(result.out).toMatch(new RegExp(`^audit log BROKEN at seq ${badSeq}: .*\\(${badSeq - 1} events? verified before it\\)\n$`));
    expect(result.out).toContain(reason);
  });

  it('catches a truncated tail against the recorded head (and only then: the chain itself is intact)', async () => {
    const path = tampered((db) => db.prepare('DELETE FROM audit_events WHERE seq > 34').run());
    await expect(verify(path)).resolves.toMatchObject({ code: 0, out: expect.stringContaining('intact: 34 events, head seq 34') });
    const result = await verify(path, '--expect-head', `${head.seq}:${head.hash}`);
    expect(result.code).toBe(1);
    expect(result.out).toBe('audit log BROKEN at seq 35: the chain ends before the recorded head seq 37 (34 events verified before it)\n');
  });

  it('says so and creates nothing when the database file does not exist', async () => {
    const missing = join(dir, 'nowhere', 'patchwarden.db');
    const result = await verify(missing);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`${missing} does not exist`);
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
  });

  it('refuses a malformed --expect-head with exit 2', async () => {
    const result = await verify(original, '--expect-head', '37:not-a-hash');
    expect(result.code).toBe(2);
    expect(result.err).toContain('--expect-head takes <seq>:<sha256>');
  });
});
