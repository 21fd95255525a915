/**
 * The monthly digest end to end: the scheduled job (run as its cron tick would) and `/patch digest`, over the real
 * bot, the Slack fake and SQLite. A summary, ONE message per new remediation (with its buttons, updated in place
 * later), the audit head and the complete list as CSV in the summary's thread; at most once per period; one
 * digest when two replicas race.
 */
import { DIGEST_LEASE_MS } from '../../src/jobs/digest-job.js';
import { MAX_REMEDIATION_MESSAGES } from '../../src/slack/posting/post-digest.js';
import { verifyChain } from '../../src/app/audit.js';
import { lastDigest } from '../../src/app/reports/digest.js';
import { OPEN_STATES } from '../../src/domain/remediation-state.js';
import { addDays, instant } from '../../src/domain/time.js';
import { createLogger } from '../../src/logger.js';
import { startPatchwarden } from '../../src/main.js';
import { REMEDIATION_CSV_HEADER } from '../../src/slack/posting/csv.js';
import { ACTION } from '../../src/slack/ids.js';
import { CHANNEL, PEOPLE, startHarness, type Harness } from '../support/bot-harness.js';
import { parseCsv } from '../support/csv-parse.js';
import { blockText, patch } from '../support/patch-command.js';

const NOW = new Date('2026-11-02T09:00:00.000Z');
const day = (n: number): string => instant(addDays(NOW, n));

const topLevel = (h: Harness) => h.fake.messages(CHANNEL);
const csvFiles = (h: Harness) => h.fake.files().filter((f) => f.name.endsWith('.csv') && f.completed);
const csvRows = (h: Harness, index = -1): string[][] => parseCsv(csvFiles(h).at(index)!.bytes!.toString('utf8'));

describe('the monthly digest', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ now: NOW });
  });
  afterEach(() => h.close());

  it('posts the summary, then one message per new remediation with its buttons, and the audit head and CSV in the thread', async () => {
    const overdue = await h.seed({ severity: 'high', dueAt: day(-2), owner: PEOPLE.engineer.id });
    const thisMonth = await h.seed({ severity: 'critical', dueAt: day(10) });
    const later = await h.seed({ severity: 'low', dueAt: day(60), owner: null });

    await expect(h.running.jobs.runNow('digest')).resolves.toEqual({ status: 'done' });

    const [summary, ...rest] = topLevel(h);
    const text = blockText(summary?.blocks);
    expect(text).toContain('Patch digest · November 2026');
    expect(text).toContain('*Open*\n3');
    expect(text).toContain('*Overdue*\n1');
    expect(text).toContain('*Due this month*\n1');
    expect(text).toContain('*New since patchwarden started*\n3');
    // One message per new remediation, due date first, each with its buttons and remembered on the record.
    expect(rest.map((m) => m.text.split(' ')[0])).toEqual([overdue.id, thisMonth.id, later.id]);
    for (const m of rest) {
      expect(JSON.stringify(m.blocks)).toContain(ACTION.assess);
      const id = m.text.split(' ')[0]!;
      expect((await h.store.remediations.get(id))?.message).toEqual({ channel: CHANNEL, ts: m.ts });
    }
    // The thread: the audit head after the digest, an external anchor for `audit verify --expect-head`.
    const head = (await h.store.audit.head())!;
    expect(head.action).toBe('digest.posted');
    const thread = h.fake.replies(CHANNEL, summary!.ts);
    expect(thread[0]?.text).toContain(`patchwarden audit verify --expect-head ${head.seq}:${head.hash}`);
    await expect(verifyChain(h.store.audit.stream(), { seq: head.seq, hash: head.hash })).resolves.toMatchObject({ ok: true });
    // …and the complete list as CSV, its rows those of the store.
    const csvMessage = thread.find((m) => (m.files ?? []).length > 0);
    expect(csvMessage?.files).toEqual([csvFiles(h)[0]!.id]);
    const [header, ...rows] = csvRows(h);
    expect(header).toEqual([...REMEDIATION_CSV_HEADER]);
    const stored = await h.store.remediations.list({ states: OPEN_STATES });
    expect(rows.map((r) => [r[0], r[2], r[3], r[5], r[6], r[7]])).toEqual(stored.map((r) => [r.id, r.severity, r.state, r.dueAt, r.owner ?? '', 'yes']));
    expect(rows.map((r) => r[4])).toEqual(['overdue', 'on_track', 'on_track']);
    expect(await lastDigest(h.store)).toEqual({ at: NOW.toISOString(), period: '2026-11', subject: expect.stringMatching(/^digest:2026-11#/) });
    await expect(h.store.outbox.list()).resolves.toEqual([]);
    expect(h.fake.warnings()).toEqual([]);
  });

  it('posts nothing on a second run in the same period, and again next month with only what is new', async () => {
    await h.seed({ dueAt: day(20) });
    await h.running.jobs.runNow('digest');
    const posted = topLevel(h).length;
    h.setNow(new Date('2026-11-20T08:00:00.000Z'));
    await expect(h.running.jobs.runNow('digest')).resolves.toEqual({ status: 'done' });
    expect(topLevel(h)).toHaveLength(posted);

    h.setNow(new Date('2026-12-01T08:00:00.000Z')); // 09:00 in Berlin
    const fresh = await h.seed({ createdAt: instant(h.now()), dueAt: day(40) });
    await h.running.jobs.runNow('digest');
    const [summary, message] = topLevel(h).slice(posted);
    expect(blockText(summary?.blocks)).toContain('Patch digest · December 2026');
    expect(blockText(summary?.blocks)).toContain('*New since Mon 2 Nov 2026*\n1');
    expect(message?.text.startsWith(`${fresh.id} `)).toBe(true);
    expect(topLevel(h)).toHaveLength(posted + 2);
  });

  it('a Slack outage does not use up the month: the digest is recorded and goes out once when Slack is back', async () => {
    const r = await h.seed({ dueAt: day(20) });
    h.fake.failHttp('chat.postMessage', 500, 50);
    await expect(h.running.jobs.runNow('digest')).resolves.toEqual({ status: 'done' });
    expect(topLevel(h)).toEqual([]);
    h.fake.failHttp('chat.postMessage', 500, 0);
    await h.running.jobs.runNow('digest'); // a late tick: the month is recorded, nothing more to do
    h.setNow(new Date(NOW.getTime() + 5 * 60_000));
    await expect(h.running.jobs.runNow('outbox')).resolves.toEqual({ status: 'done' });
    expect(topLevel(h).map((m) => m.text.split(' ')[0])).toEqual(['Patch', r.id]);
    expect(csvFiles(h)).toHaveLength(1);
    await h.running.jobs.runNow('outbox');
    await h.running.jobs.runNow('digest');
    expect(topLevel(h)).toHaveLength(2);
    expect((await h.store.audit.bySubject('digest:2026-11')).map((e) => e.action)).toEqual(['digest.posted']);
  });

  it('a run that died after claiming the month does not hold it for good', async () => {
    await h.seed({ dueAt: day(20) });
    // What a replica that crashed right after claiming the period leaves behind.
    await h.store.idempotency.claim('digest:2026-11', NOW, DIGEST_LEASE_MS);
    await h.running.jobs.runNow('digest');
    expect(topLevel(h)).toEqual([]);
    h.setNow(new Date(NOW.getTime() + DIGEST_LEASE_MS));
    await h.running.jobs.runNow('digest');
    expect(topLevel(h)).toHaveLength(2);
  });

  it('`/patch digest` posts one now for a lead, listing as new only what came since the last one', async () => {
    const old = await h.seed({ dueAt: day(20) });
    await h.running.jobs.runNow('digest');
    h.setNow(new Date(NOW.getTime() + 86_400_000));
    const fresh = await h.seed({ createdAt: instant(h.now()), dueAt: day(25) });

    const answer = await patch(h, PEOPLE.lead.id, 'digest', { responses: 2 });
    expect(answer.responses.map((r) => r.text)).toEqual([
      `Posting the digest in <#${CHANNEL}>…`,
      `Digest posted in <#${CHANNEL}>: 2 remediations, 1 new, each new one with its own message.`,
    ]);
    const messages = topLevel(h);
    expect(messages.map((m) => m.text.split(' ')[0])).toEqual(['Patch', old.id, 'Patch', fresh.id]);
    expect(blockText(messages[2]?.blocks)).toContain('*New since Mon 2 Nov 2026*\n1');
    // The older remediation keeps its one message, untouched.
    expect(messages[1]?.versions).toHaveLength(1);
    expect((await h.store.audit.bySubject('digest:2026-11')).map((e) => [e.action, e.actor, e.data.trigger])).toEqual([
      ['digest.posted', 'system:digest', 'scheduled'],
      ['digest.posted', PEOPLE.lead.id, 'on_demand'],
    ]);
  });

  it('only leads may post it', async () => {
    await patch(h, PEOPLE.engineer.id, 'digest', { responses: 0, ephemerals: 1 });
    expect(h.fake.ephemerals({ user: PEOPLE.engineer.id }).at(-1)?.text).toBe(
      'Only a lead can do that. Roles are set in the patchwarden policy file; ask your engineering lead.',
    );
    expect(topLevel(h)).toEqual([]);
  });

  it('two replicas racing for the lease post one digest', async () => {
    for (let i = 0; i < 5; i += 1) await h.seed({ dueAt: day(i + 3) });
    const replica = await startPatchwarden(h.config, createLogger('silent'), { clientOptions: { retryConfig: { retries: 0 } }, now: h.now, scheduleJobs: false });
    try {
      const outcomes = await Promise.all([h.running.jobs.runNow('digest'), replica.jobs.runNow('digest'), h.running.jobs.runNow('digest')]);
      expect(outcomes.every((o) => o.status === 'done' || o.status === 'skipped')).toBe(true);
      expect(topLevel(h).filter((m) => m.text.startsWith('Patch digest'))).toHaveLength(1);
      expect(topLevel(h)).toHaveLength(1 + 5);
      expect(csvFiles(h)).toHaveLength(1);
    } finally {
      await replica.stop();
    }
  });

  it('a replica that does not get the lease skips, and `/patch digest` says one is running', async () => {
    await h.seed({});
    expect(await h.store.leases.acquire('digest', 'other-replica', 60_000, h.now())).toBe(true);
    await expect(h.running.jobs.runNow('digest')).resolves.toEqual({ status: 'skipped', reason: 'lease_held' });
    await patch(h, PEOPLE.lead.id, 'digest', { responses: 1, ephemerals: 1 });
    expect(h.fake.ephemerals({ user: PEOPLE.lead.id }).at(-1)?.text).toBe('A digest is already running; its progress is in the channel.');
    expect(topLevel(h)).toEqual([]);
    // The lease runs out: the next tick posts it.
    h.setNow(new Date(NOW.getTime() + 61_000));
    await expect(h.running.jobs.runNow('digest')).resolves.toEqual({ status: 'done' });
    expect(topLevel(h)).toHaveLength(2);
  });

  it('the CSV keeps quotes, commas and line breaks, and defuses cells a spreadsheet would run as formulas', async () => {
    const title = '=HYPERLINK("http://evil.example","click"), then "quoted"\nsecond line';
    const r = await h.seed({ title, owner: '@here' });
    await h.running.jobs.runNow('digest');
    const [, row] = csvRows(h);
    expect(row?.[0]).toBe(r.id);
    expect(row?.[1]).toBe(`'${title}`);
    expect(row?.[6]).toBe("'@here");
  });

  it.each([1, 60, 500])('with %i open remediations every message it posts is within Slack’s limits, and the CSV holds them all', async (n) => {
    for (let i = 0; i < n; i += 1) {
      await h.seed({ dueAt: day((i % 90) - 30), severity: (['critical', 'high', 'medium', 'low'] as const)[i % 4], title: `Upgrade a-package-with-a-long-name-${i} to 10.${i}.0 in acme/service-${i}`.repeat(2) });
    }
    await expect(h.running.jobs.runNow('digest')).resolves.toEqual({ status: 'done' });
    const [summary, ...messages] = topLevel(h);
    // The most severe first, at most MAX_REMEDIATION_MESSAGES of them; the rest are said to be in the CSV.
    expect(messages).toHaveLength(Math.min(n, MAX_REMEDIATION_MESSAGES));
    expect(messages.every((m) => n < 4 * MAX_REMEDIATION_MESSAGES || JSON.stringify(m.blocks).includes(':red_circle: Critical'))).toBe(true);
    const thread = h.fake.replies(CHANNEL, summary!.ts);
    expect(thread.some((m) => m.text.startsWith(`${(n - MAX_REMEDIATION_MESSAGES).toLocaleString('en-US')} more new remediations are in the CSV`))).toBe(n > MAX_REMEDIATION_MESSAGES);
    // The fake refuses any message over Slack's limits (the job would have failed): count what got through.
    const pages = thread.filter((m) => m.text.includes('complete list, part'));
    expect(pages.length > 0).toBe(n > 10);
    expect(pages.every((p) => (p.blocks ?? []).length <= 50)).toBe(true);
    expect(csvRows(h).length - 1).toBe(n);
    expect(h.fake.calls('chat.postMessage').every((c) => (c.response as { ok: boolean }).ok)).toBe(true);
  }, 60_000);
});
