/**
 * What only the MongoDB adapter has to prove, beyond the shared contract suite: a crash between its single-document
 * commit point and the rest of the write loses nothing and duplicates nothing; GridFS evidence that no longer
 * hashes is refused; field names MongoDB-compatible servers refuse survive. Runs when MONGODB_URI is set
 * (`npm run test:mongo` starts FerretDB for it).
 */
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { verifyChain, type AuditEvent } from '../../src/app/audit.js';
import { EvidenceCorrupted, type Store } from '../../src/app/ports.js';
import { openMongoStore } from '../../src/store/mongo/open-mongo-store.js';
import { aFinding, anAdvisory, anAsset, aRemediation, T0 } from '../support/builders.js';
import { estate, F, ssmPages } from '../unit/app/sync/sync-fixtures.js';
import { withDatabase } from '../contract/adapters.js';
import type { AuditAction } from '../../src/app/audit-actions.js';

const uri = process.env['MONGODB_URI'];
const describeMongo = uri ? describe : describe.skip;

const event = (subject: string, action: string) => ({ at: T0.toISOString(), actor: 'U0LEAD', action: action as AuditAction, subject, data: { n: 1 } });
const LONG_AGO = '2000-01-01T00:00:00.000Z';

describeMongo('mongo store', () => {
  let dbUri = '';
  let raw: mongoose.Connection;
  const stores: Store[] = [];
  /** A store on this test's database; `staleAfterMs: 0` so it finishes every leftover when it opens. */
  const open = async (staleAfterMs = 0): Promise<Store> => {
    const s = await openMongoStore({ uri: dbUri, staleAfterMs });
    stores.push(s);
    return s;
  };
  const all = async (s: Store): Promise<AuditEvent[]> => {
    const out: AuditEvent[] = [];
    for await (const e of s.audit.stream()) out.push(e);
    return out;
  };

  beforeEach(async () => {
    dbUri = withDatabase(uri!, `pw_mongo_${process.pid}_${randomUUID().slice(0, 8)}`);
    raw = await mongoose.createConnection(dbUri).asPromise();
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await raw.dropDatabase();
    await raw.close();
  });

  describe('crash recovery', () => {
    it('finishes a remediation write that crashed after its commit point: state and events, once', async () => {
      const s = await open(60_000);
      const r = aRemediation();
      const created = await s.remediations.create(r, [event(r.id, 'remediation.created')]);
      if (!created.ok) throw new Error(created.error.code);
      // What a writer leaves when it dies right after inserting version 2.
      const next = { ...created.value, state: 'assessed' as const, version: 2 };
      await raw.collection('remediation_versions').insertOne({
        _id: `${r.id}@2` as never, remediationId: r.id, version: 2, write: randomUUID(), at: LONG_AGO, pending: true, doc: next,
        events: [{ id: `${r.id}@2:${randomUUID()}`, ...event(r.id, 'remediation.assessed') }],
      });
      // Meanwhile nobody else can write version 2.
      const racer = await s.remediations.update({ ...created.value, state: 'testing' }, 1, [event(r.id, 'lost.race')]);
      expect(racer).toEqual({ ok: false, error: { code: 'store.conflict', id: r.id, expectedVersion: 1 } });

      const again = await open();
      await expect(again.remediations.get(r.id)).resolves.toEqual(next);
      await expect(again.audit.bySubject(r.id)).resolves.toMatchObject([{ action: 'remediation.created' }, { action: 'remediation.assessed' }]);
      await open(); // a second recovery finds nothing left to do
      const events = await all(again);
      expect(events.map((e) => e.action)).toEqual(['remediation.created', 'remediation.assessed']);
      await expect(verifyChain(events)).resolves.toMatchObject({ ok: true, count: 2 });
    });

    it('the next writer refused by a crashed write finishes it once this process has seen it for the stale period', async () => {
      const s = await open(300);
      const r = aRemediation();
      const created = await s.remediations.create(r, []);
      if (!created.ok) throw new Error(created.error.code);
      const crashed = { ...created.value, owner: 'U0CRASHED', version: 2 };
      // Its writer's clock ran far behind: the write looks ancient, yet nobody has seen it stuck yet.
      await raw.collection('remediation_versions').insertOne({
        _id: `${r.id}@2` as never, remediationId: r.id, version: 2, write: randomUUID(), at: LONG_AGO, pending: true, doc: crashed,
        events: [{ id: `${r.id}@2:${randomUUID()}`, ...event(r.id, 'remediation.reassigned') }],
      });
      const conflict = { ok: false, error: { code: 'store.conflict', id: r.id, expectedVersion: 1 } };
      await expect(s.remediations.update({ ...created.value, state: 'assessed' }, 1, [event(r.id, 'remediation.assessed')])).resolves.toEqual(conflict);
      await expect(s.remediations.get(r.id)).resolves.toEqual(created.value); // left to its writer
      await new Promise((done) => setTimeout(done, 350));
      await expect(s.remediations.update({ ...created.value, state: 'assessed' }, 1, [event(r.id, 'remediation.assessed')])).resolves.toEqual(conflict);
      await expect(s.remediations.get(r.id)).resolves.toEqual(crashed);
      const retried = await s.remediations.update({ ...crashed, state: 'assessed' }, 2, [event(r.id, 'remediation.assessed')]);
      expect(retried).toMatchObject({ ok: true, value: { state: 'assessed', owner: 'U0CRASHED', version: 3 } });
      expect((await s.audit.bySubject(r.id)).map((e) => e.action)).toEqual(['remediation.reassigned', 'remediation.assessed']);
    });

    it('a state written without its events (a crash between the two): readers see both at once, the next step after it', async () => {
      const s = await open(60_000);
      const r = aRemediation();
      const created = await s.remediations.create(r, [event(r.id, 'remediation.created')]);
      if (!created.ok) throw new Error(created.error.code);
      // The writer of version 2 died after moving the remediation, before appending its event.
      const assessed = { ...created.value, state: 'assessed' as const, version: 2 };
      const write2 = randomUUID();
      await raw.collection('remediation_versions').insertOne({
        _id: `${r.id}@2` as never, remediationId: r.id, version: 2, write: write2, at: new Date().toISOString(), pending: true, doc: assessed,
        events: [{ id: `${r.id}@2:${randomUUID()}`, ...event(r.id, 'remediation.assessed') }],
        effects: [{ kind: 'remediation.note', subject: r.id, data: { text: 'assessed' } }],
      });
      // Moved as its writer moves it: the remediation names the write that moved it.
      await raw.collection('remediations').updateOne({ _id: r.id as never }, { $set: { ...assessed, _commit: write2 } });
      await expect(s.remediations.get(r.id)).resolves.toEqual(assessed);
      await expect(s.audit.bySubject(r.id)).resolves.toMatchObject([{ action: 'remediation.created' }, { action: 'remediation.assessed' }]);
      await expect(s.outbox.list({ subject: r.id })).resolves.toMatchObject([{ kind: 'remediation.note', seq: 2 }]);

      // Once more, and this time the next writer is first: its event still comes after the one it builds on.
      const again = await open(60_000);
      const tested = { ...assessed, state: 'testing' as const, version: 3 };
      const write3 = randomUUID();
      await raw.collection('remediation_versions').insertOne({
        _id: `${r.id}@3` as never, remediationId: r.id, version: 3, write: write3, at: new Date().toISOString(), pending: true, doc: tested,
        events: [{ id: `${r.id}@3:${randomUUID()}`, ...event(r.id, 'remediation.test_recorded') }],
      });
      await raw.collection('remediations').updateOne({ _id: r.id as never }, { $set: { ...tested, _commit: write3 } });
      expect(await again.remediations.update({ ...tested, state: 'tested' }, 3, [event(r.id, 'remediation.approved')])).toMatchObject({ ok: true });
      const events = await all(again);
      expect(events.map((e) => e.action)).toEqual(['remediation.created', 'remediation.assessed', 'remediation.test_recorded', 'remediation.approved']);
      await expect(verifyChain(events)).resolves.toMatchObject({ ok: true, count: 4 });
      await expect(raw.collection('remediation_versions').countDocuments()).resolves.toBe(0);
    });

    it('a review whose writer died after its commit point: its link, events and Slack effects follow, once each', async () => {
      const s = await open(60_000);
      const a = anAdvisory();
      await s.commit({ advisories: [a], events: [] });
      const review = { advisoryId: a.id, decision: 'covered', by: 'U0LEAD', at: T0.toISOString(), reason: null, remediationId: 'PW-9' };
      const subject = `advisory:${a.id}`;
      await raw.collection('advisory_reviews').insertOne({
        _id: a.id as never, ...review, pending: true, writtenAt: new Date().toISOString(),
        events: [{ id: `review:${a.id}:${randomUUID()}`, ...event(a.id, 'advisory.reviewed') }],
        effects: [{ kind: 'advisory.message', subject }, { kind: 'advisory.note', subject, data: { text: 'Covered by PW-9' } }],
      });
      // The outbox's reader finishes it first: a message is never drained before the review it shows is recorded.
      await expect(s.outbox.list({ subject })).resolves.toMatchObject([{ kind: 'advisory.message', seq: 1, n: 0 }, { kind: 'advisory.note', seq: 1, n: 1 }]);
      await expect(s.advisories.reviews([a.id])).resolves.toEqual([review]);
      await expect(s.advisories.links({ remediationId: 'PW-9' })).resolves.toMatchObject([{ advisoryId: a.id, via: 'review' }]);
      // Finished again by another replica: nothing twice.
      await raw.collection('advisory_reviews').updateOne({ _id: a.id as never }, { $set: { pending: true } });
      const again = await open(60_000);
      await expect(again.outbox.list({ subject })).resolves.toHaveLength(2);
      await expect(again.audit.bySubject(a.id)).resolves.toHaveLength(1);
    });

    it('leaves a write still in flight to its writer', async () => {
      const s = await open(60_000);
      const r = aRemediation();
      await raw.collection('remediation_versions').insertOne({
        _id: `${r.id}@1` as never, remediationId: r.id, version: 1, write: randomUUID(), at: new Date().toISOString(), pending: true, doc: { ...r, version: 1 }, events: [],
      });
      await open(60_000);
      await expect(s.remediations.get(r.id)).resolves.toBeNull();
    });

    it('a writer that read the remediation before another write finished, and commits the same version after it: refused, its events never logged', async () => {
      const s = await open(60_000);
      const r = aRemediation();
      const created = await s.remediations.create(r, [event(r.id, 'remediation.created')]);
      if (!created.ok) throw new Error(created.error.code);
      const won = await s.remediations.update({ ...created.value, state: 'assessed' }, 1, [event(r.id, 'remediation.assessed')]);
      expect(won).toMatchObject({ ok: true, value: { version: 2 } });
      // The winner's version document is gone (its write is done), so the slower writer's insert of version 2 succeeds:
      // what it leaves between that insert and finding out it lost.
      const lost = { ...created.value, state: 'risk_accepted' as const, owner: 'U0SLOW', version: 2 };
      await raw.collection('remediation_versions').insertOne({
        _id: `${r.id}@2` as never, remediationId: r.id, version: 2, write: randomUUID(), at: new Date().toISOString(), pending: true, doc: lost,
        events: [{ id: `${r.id}@2:${randomUUID()}`, ...event(r.id, 'remediation.risk_accepted') }],
      });
      // A reader finishing visible writes, and the next writer (who records the version it read first), leave it be.
      await expect(s.audit.bySubject(r.id)).resolves.toMatchObject([{ action: 'remediation.created' }, { action: 'remediation.assessed' }]);
      const next = await s.remediations.update({ ...(won.ok ? won.value : created.value), state: 'testing' }, 2, [event(r.id, 'remediation.test_recorded')]);
      expect(next).toMatchObject({ ok: true, value: { state: 'testing', version: 3 } });
      // Once stale, a recovery drops it: never applied, never logged.
      await open(0);
      await expect(raw.collection('remediation_versions').countDocuments()).resolves.toBe(0);
      await expect(s.remediations.get(r.id)).resolves.toMatchObject({ state: 'testing', owner: created.value.owner, version: 3 });
      const events = await all(s);
      expect(events.map((e) => e.action)).toEqual(['remediation.created', 'remediation.assessed', 'remediation.test_recorded']);
      await expect(verifyChain(events)).resolves.toMatchObject({ ok: true, count: 3 });
    });

    it('drops a crashed write that can no longer apply (its key was taken), with its events', async () => {
      const s = await open(60_000);
      const a = aRemediation();
      await s.remediations.create(a, []);
      const b = aRemediation({ key: a.key });
      await raw.collection('remediation_versions').insertOne({
        _id: `${b.id}@1` as never, remediationId: b.id, version: 1, write: randomUUID(), at: LONG_AGO, pending: true, doc: { ...b, version: 1 },
        events: [{ id: `${b.id}@1:${randomUUID()}`, ...event(b.id, 'remediation.created') }],
      });
      const again = await open();
      await expect(again.remediations.get(b.id)).resolves.toBeNull();
      await expect(again.audit.bySubject(b.id)).resolves.toEqual([]);
      await expect(raw.collection('remediation_versions').countDocuments({ _id: `${b.id}@1` as never })).resolves.toBe(0);
    });

    it('replays a journal entry left by a crash: records and events, once', async () => {
      const asset = anAsset();
      const finding = aFinding({ assetId: asset.id });
      const id = `${LONG_AGO}~${randomUUID()}`;
      await raw.collection('journal').insertOne({
        _id: id as never, at: LONG_AGO, assets: [asset], findings: [finding], events: [{ id: `${id}:${randomUUID()}`, ...event('sync:1', 'sync.completed') }],
      });
      const s = await open();
      await expect(s.assets.get(asset.id)).resolves.toEqual(asset);
      await expect(s.findings.get(finding.id)).resolves.toEqual(finding);
      await open();
      await expect(all(s)).resolves.toMatchObject([{ seq: 1, action: 'sync.completed' }]);
      await expect(raw.collection('journal').countDocuments()).resolves.toBe(0);
    });

    it('a late replay of an old journal entry does not undo a newer change', async () => {
      const s = await open(60_000);
      const finding = aFinding({ state: 'open' });
      const old = `${LONG_AGO}~${randomUUID()}`;
      await raw.collection('journal').insertOne({ _id: old as never, at: LONG_AGO, assets: [], findings: [finding], events: [] });
      await s.commit({ findings: [{ ...finding, state: 'fixed' }], events: [event(finding.id, 'finding.fixed')] });
      await open();
      await expect(s.findings.get(finding.id)).resolves.toMatchObject({ state: 'fixed' });
    });

    it('orders journal entries by the order they were taken, not by their writers’ clocks', async () => {
      const s = await open(60_000);
      const finding = aFinding({ state: 'open' });
      // Written by a replica whose clock ran a century ahead, as it leaves the record.
      await raw.collection('findings').insertOne({ _id: finding.id as never, ...finding, _commit: `2126-01-01T00:00:00.000Z~${randomUUID()}` });
      await s.commit({ findings: [{ ...finding, state: 'fixed' }], events: [event(finding.id, 'finding.fixed')] });
      await expect(s.findings.get(finding.id)).resolves.toMatchObject({ state: 'fixed' });
    });

    it('a sync after a crashed one finishes its journal before reading: no finding event twice, no stale value', async () => {
      const s = await open(60_000);
      const e = estate(s);
      await e.sync()();
      const fixed = { ...F.kb2, state: 'fixed' as const, fixedAt: '2026-11-02T09:00:00.000Z', remediationId: (await s.findings.get(F.kb2.id))!.remediationId };
      // The next run wrote the fix as one journal entry and died before applying it (a moment ago, by any clock).
      const at = new Date().toISOString();
      const id = 'j999999999999999';
      await raw.collection('journal').insertOne({
        _id: id as never, at, assets: [], findings: [fixed],
        events: [{ id: `${id}:${randomUUID()}`, at, actor: 'system:sync', action: 'finding.fixed', subject: F.kb2.id, data: { remediationId: fixed.remediationId } }],
      });
      e.ssm.setPages(ssmPages([F.kb1a, F.kb1b]));
      e.clock.now = new Date('2026-11-02T10:00:00.000Z');
      await e.sync()();
      await open(0); // and any recovery later finds nothing more to do
      const events = (await all(s)).filter((ev) => ev.subject === F.kb2.id);
      expect(events.map((ev) => ev.action)).toEqual(['finding.detected', 'finding.fixed']);
      await expect(s.findings.get(F.kb2.id)).resolves.toMatchObject({ state: 'fixed' });
      await expect(verifyChain(await all(s))).resolves.toMatchObject({ ok: true });
    });
  });

  describe('GridFS evidence', () => {
    it('refuses bytes that no longer match their SHA-256, and a file whose chunks are gone', async () => {
      const s = await open();
      const { sha256 } = await s.evidence.put(Buffer.from('42 passed'), 'smoke.log', 'text/plain');
      const chunks = raw.collection('evidence.chunks');
      await chunks.updateMany({}, { $set: { data: new mongoose.mongo.Binary(Buffer.from('41 passed')) } });
      await expect(s.evidence.get(sha256)).rejects.toThrow(EvidenceCorrupted);
      await chunks.deleteMany({});
      await expect(s.evidence.get(sha256)).rejects.toThrow(EvidenceCorrupted);
      await expect(s.evidence.has(sha256)).resolves.toBe(true);
    });

    it('putting the same bytes again repairs a damaged copy, or one whose chunks are gone', async () => {
      const s = await open();
      const bytes = Buffer.from('42 passed');
      const { sha256 } = await s.evidence.put(bytes, 'smoke.log', 'text/plain');
      const chunks = raw.collection('evidence.chunks');
      await chunks.updateMany({}, { $set: { data: new mongoose.mongo.Binary(Buffer.from('41 passed')) } });
      await s.evidence.put(bytes, 'again.log', 'text/plain');
      await expect(s.evidence.get(sha256)).resolves.toMatchObject({ bytes, name: 'smoke.log' });
      await chunks.deleteMany({});
      await s.evidence.put(bytes, 'third.log', 'text/plain');
      await expect(s.evidence.get(sha256)).resolves.toMatchObject({ bytes, name: 'smoke.log' });
      await expect(raw.collection('evidence.files').countDocuments()).resolves.toBe(1);
    });

    it('stores a file bigger than one chunk', async () => {
      const s = await open();
      const bytes = Buffer.alloc(600_000, 7);
      const { sha256 } = await s.evidence.put(bytes, 'big.bin', 'application/octet-stream');
      await expect(s.evidence.get(sha256)).resolves.toMatchObject({ bytes, name: 'big.bin' });
    });
  });

  it('keeps field names with dots and dollars, which the server refuses as they are', async () => {
    const s = await open();
    const asset = anAsset({ attributes: { 'ssm.platform': 'Linux', $weird: 1, '50%': true } });
    await s.commit({ assets: [asset], events: [{ ...event('sync:1', 'sync.completed'), data: { 'web.example.com': { $ok: 'i-0abc' } } }] });
    await expect(s.assets.get(asset.id)).resolves.toEqual(asset);
    await s.kv.put('github', 'etags', { 'https://api.github.com/orgs/acme': 'W/"1"' });
    await expect(s.kv.get('github', 'etags')).resolves.toEqual({ 'https://api.github.com/orgs/acme': 'W/"1"' });
    const [e] = await all(s);
    expect(e?.data).toEqual({ 'web.example.com': { $ok: 'i-0abc' } });
    await expect(verifyChain(await all(s))).resolves.toMatchObject({ ok: true, count: 1 });
  });

  it('commits of big batches side by side in one process each land whole and once, in one unbroken chain', async () => {
    // A sync's three sources commit side by side. Their appends now go one at a time; racing each other for the
    // same seqs, a source lost 1,000 rounds on FerretDB (whose batch inserts interleave) and the sync failed.
    const s = await open();
    const batch = (n: number) => Array.from({ length: 300 }, (_, i) => event(`c${n}-${i}`, 'finding.detected'));
    await Promise.all([0, 1, 2, 3, 4, 5].map((n) => s.commit({ events: batch(n) })));
    const events = await all(s);
    expect(new Set(events.map((e) => e.subject)).size).toBe(1800);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 1800 }, (_, i) => i + 1));
    await expect(verifyChain(events)).resolves.toMatchObject({ ok: true, count: 1800 });
  });

  it('two stores in one process are two connections: closing one leaves the other working', async () => {
    const [a, b] = [await open(), await open()];
    await a.close();
    stores.splice(stores.indexOf(a), 1);
    await expect(b.idempotency.claim('still-open', T0)).resolves.toBe(true);
  });
});
