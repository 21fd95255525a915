/**
 * What the bot is doing when it is killed (SIGKILL), one entry each: a sync, a workflow step, the digest, the
 * reminders. crash-restart.faults.ts runs each on SQLite and MongoDB: it starts the bot, begins the work, kills the
 * bot at a kill point (the k-th call on the case's wire: the bot about to talk to Slack or a source), starts it
 * again on the same store, lets it finish, and checks the invariants (support/invariants.ts) and the case's own.
 *
 * Deployment tracking is in crash-deploy.ts, an evidence upload in crash-evidence.ts, an evidence export in
 * crash-export.ts. To add a case: one more entry (support/crash-scene.ts says its shape).
 * Give it the outside fakes it needs behind a tripwire (startTripwire) and their env, what to seed, how to begin,
 * when it is done, and what must hold on top of the invariants.
 */
import { canonicalJson } from '../../src/app/audit.js';
import { SYNC_RUNS, type SyncReport } from '../../src/app/sync/report.js';
import type { Remediation } from '../../src/domain/remediation.js';
import { ACTION, VIEW } from '../../src/slack/ids.js';
import { CHANNEL, PEOPLE } from '../support/bot-harness.js';
import { aRemediation } from '../support/builders.js';
import { startFakeEpss } from '../support/feeds/fake-epss.js';
import { startFakeKev } from '../support/feeds/fake-kev.js';
import { startFakeGithub } from '../support/github/fake-github.js';
import { buildPopulation } from '../support/population/build-population.js';
import { SMALL_OPTIONS } from '../support/population/presets.js';
import { actualOf, expectedOf, type ExpectedGroup } from '../integration/sync-oracle.js';
import { GITHUB_TOKEN } from '../integration/sync-support.js';
import { until } from '../integration/workflow-support.js';
import { between, DAY, EVERY_SECOND, NEVER, threadTexts, withMessage, type CrashCase } from './support/crash-scene.js';
import { startTripwire } from './support/tripwire.js';
import { DEPLOYMENT } from './crash-deploy.js';
import { EVIDENCE_UPLOAD } from './crash-evidence.js';
import { EVIDENCE_EXPORT } from './crash-export.js';

export const CRASH_CASES: readonly CrashCase[] = [
  {
    name: 'a sync',
    points: between(1, 6),
    async setUp() {
      // 420 alerts: the org's alert list in five pages, each committed on its own.
      const population = buildPopulation({ ...SMALL_OPTIONS, repos: 8, alertsPerRepo: 60 });
      const [github, kev, epss] = await Promise.all([startFakeGithub(population, { token: GITHUB_TOKEN }), startFakeKev(population), startFakeEpss(population)]);
      const wire = await startTripwire(github.url);
      return {
        policy: { schedules: { sync: NEVER, digest: NEVER, reminders: NEVER } },
        env: { GITHUB_TOKEN, GITHUB_ORG: population.github.org, GITHUB_API_URL: wire.url, KEV_URL: kev.feedUrl, EPSS_URL: epss.apiUrl },
        wire: () => wire,
        begin: async (bot, _world, _store, arm) => {
          arm();
          await bot.driver.slashCommand({ command: '/patch', text: 'sync github', user_id: PEOPLE.lead.id, channel_id: CHANNEL });
        },
        done: async (store) => (await store.kv.get<SyncReport>(SYNC_RUNS, 'latest'))?.status === 'ok',
        resume: async (bot) => void (await bot.driver.slashCommand({ command: '/patch', text: 'sync github', user_id: PEOPLE.lead.id, channel_id: CHANNEL })),
        verify: async (store) => {
          const want = expectedOf(population, ['github']);
          const have = await actualOf(store);
          const problems: string[] = [];
          const missingFindings = [...want.findings.keys()].filter((id) => have.findings.get(id) !== want.findings.get(id));
          const missingAssets = want.assets.filter((a) => !have.assets.includes(a));
          if (missingFindings.length) problems.push(`findings missing or in the wrong state: ${missingFindings.slice(0, 5).join(', ')}`);
          if (missingAssets.length) problems.push(`assets missing: ${missingAssets.slice(0, 5).join(', ')}`);
          const same = (g: ExpectedGroup) => (x: ExpectedGroup) => canonicalJson(x) === canonicalJson(g);
          const extra = have.groups.filter((g) => !want.groups.some(same(g)));
          const absent = want.groups.filter((g) => !have.groups.some(same(g)));
          if (extra.length || absent.length) problems.push(`remediations are not the groups the alerts make: missing [${absent.map(canonicalJson).join('; ')}], extra [${extra.map(canonicalJson).join('; ')}]`);
          return { problems, lost: missingFindings.length + missingAssets.length };
        },
        close: async () => {
          await wire.close();
          await Promise.all([github.close(), kev.close(), epss.close()]);
        },
      };
    },
  },
  {
    name: 'a workflow step (an assessment)',
    points: between(1, 2),
    async setUp() {
      let r: Remediation | null = null;
      return {
        policy: { schedules: { sync: NEVER, digest: NEVER, reminders: NEVER } },
        seed: async (store) => {
          r = await withMessage(store, { state: 'new' });
        },
        begin: async (bot, world, store, arm) => {
          const posted = await until(async () => (await store.remediations.get(r!.id))?.message, 'its message', 30_000);
          const message = await until(() => world.slack.message(posted.channel, posted.ts), 'the message in the channel');
          await bot.driver.blockAction({ user: PEOPLE.lead.id, message, action_id: ACTION.assess });
          const modal = await until(() => world.slack.views({ user: PEOPLE.lead.id, callbackId: VIEW.assess }).at(-1), 'the assess modal', 30_000);
          arm();
          await bot.driver.viewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: { severity: 'high', known_exploit: 'no', business_impact: 'low', rationale: 'Internal only.' } });
        },
        done: async (store) => (await store.remediations.get(r!.id))?.state === 'assessed' && (await store.outbox.list()).length === 0,
        // Killed before the step was written (the modal had closed): the lead submits it again.
        resume: async (bot, world, store) => {
          if ((await store.remediations.get(r!.id))?.state === 'assessed') return;
          const stored = (await store.remediations.get(r!.id))!;
          const message = world.slack.message(stored.message!.channel, stored.message!.ts)!;
          const before = world.slack.views({ user: PEOPLE.lead.id, callbackId: VIEW.assess }).length;
          await bot.driver.blockAction({ user: PEOPLE.lead.id, message, action_id: ACTION.assess });
          const modal = await until(() => world.slack.views({ user: PEOPLE.lead.id, callbackId: VIEW.assess })[before], 'the assess modal again', 30_000);
          await bot.driver.viewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: { severity: 'high', known_exploit: 'no', business_impact: 'low', rationale: 'Internal only.' } });
        },
        verify: async (store, world) => {
          const events = (await store.audit.bySubject(r!.id)).filter((e) => e.action === 'remediation.assessed');
          const notes = threadTexts(world, await store.remediations.get(r!.id)).filter((t) => t.includes('assessed'));
          const problems = [
            ...(events.length !== 1 ? [`${events.length} assessment events`] : []),
            ...(notes.length !== 1 ? [`${notes.length} assessment notes in the thread`] : []),
          ];
          return { problems, lost: events.length === 0 ? 1 : 0 };
        },
        close: async () => undefined,
      };
    },
  },
  {
    name: 'the digest',
    points: between(1, 8),
    async setUp() {
      const ids: string[] = [];
      return {
        policy: { schedules: { sync: NEVER, digest: EVERY_SECOND, reminders: NEVER } },
        seed: async (store) => {
          for (let i = 0; i < 3; i += 1) {
            const id = await store.remediations.nextId();
            const created = await store.remediations.create(aRemediation({ id, createdAt: new Date().toISOString() }), [{ at: new Date().toISOString(), actor: 'system:test', action: 'remediation.created', subject: id, data: {} }]);
            if (created.ok) ids.push(id);
          }
        },
        begin: async (_bot, _world, _store, arm) => arm(),
        done: async (store, world) => {
          const summaries = world.slack.messages(CHANNEL).filter((m) => (m.text ?? '').startsWith('Patch digest'));
          const all = await Promise.all(ids.map((id) => store.remediations.get(id)));
          return summaries.length > 0 && all.every((r) => r?.message);
        },
        verify: async (store, world) => {
          const summaries = world.slack.messages(CHANNEL).filter((m) => (m.text ?? '').startsWith('Patch digest'));
          const posted = (await store.audit.read(1, 100_000)).filter((e) => e.action === 'digest.posted');
          const problems = [
            ...(summaries.length !== 1 ? [`${summaries.length} digest summaries in the channel`] : []),
            ...(posted.length !== 1 ? [`${posted.length} digest.posted events`] : []),
          ];
          return { problems, lost: summaries.length === 0 ? 1 : 0 };
        },
        close: async () => undefined,
      };
    },
  },
  {
    name: 'the reminders',
    // The reminders make 7 to 11 calls (drains and look-ups run as the job's ticks and the outbox interleave): kill
    // points stay within the fewest.
    points: between(1, 6),
    async setUp() {
      const seeded: Remediation[] = [];
      return {
        policy: { schedules: { sync: NEVER, digest: NEVER, reminders: EVERY_SECOND } },
        seed: async (store) => {
          const now = Date.now();
          // Due in two days (the owner's DM), a day overdue (the breach note), and due soon with no owner (the thread).
          seeded.push(await withMessage(store, { owner: PEOPLE.engineer.id, dueAt: new Date(now + 2 * DAY).toISOString(), slaStartAt: new Date(now - 20 * DAY).toISOString() }));
          seeded.push(await withMessage(store, { owner: PEOPLE.engineer2.id, dueAt: new Date(now - DAY).toISOString(), slaStartAt: new Date(now - 31 * DAY).toISOString() }));
          seeded.push(await withMessage(store, { owner: null, dueAt: new Date(now + DAY).toISOString(), slaStartAt: new Date(now - 29 * DAY).toISOString() }));
        },
        begin: async (_bot, _world, _store, arm) => arm(),
        done: async (store) => (await Promise.all(seeded.map((r) => store.remediations.get(r.id)))).every((r) => (r?.remindersSent.length ?? 0) === 1) && (await store.outbox.list()).length === 0,
        verify: async (store, world) => {
          const problems: string[] = [];
          let lost = 0;
          for (const s of seeded) {
            const r = (await store.remediations.get(s.id))!;
            const sent = (await store.audit.bySubject(r.id)).filter((e) => e.action === 'reminder.sent');
            const delivered = r.owner && r.dueAt > new Date().toISOString()
              ? world.slack.messages(world.slack.dmChannel(r.owner)).filter((m) => JSON.stringify(m.blocks ?? m.text).includes(r.id)).length
              : threadTexts(world, r).filter((t) => t.includes(':alarm_clock:') || t.includes(':rotating_light:')).length;
            if (sent.length !== 1) problems.push(`${r.id}: ${sent.length} reminder.sent events`);
            if (delivered !== 1) problems.push(`${r.id}: its reminder reached Slack ${delivered} times`);
            if (delivered === 0) lost += 1;
          }
          return { problems, lost };
        },
        close: async () => undefined,
      };
    },
  },
  DEPLOYMENT,
  EVIDENCE_UPLOAD,
  EVIDENCE_EXPORT,
];
