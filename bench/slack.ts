/**
 * How fast the Slack side is, measured against the real bot:
 *   (a) ack latency, p50 / p99, of a slash command (`/patch status`), a button (Assess) and a modal submission
 *       (the assessment) under 50 concurrent requests: the bot's real entry point (startPatchwarden via src/main.ts)
 *       in its own process on SQLite, over real HTTP, talking to the Slack fake in this process.
 *       Goal p99 < 100 ms (Slack's limit is 3,000 ms).
 *   (b) `/patch status` over 10,000 remediations and 100,000 findings in SQLite. Goal < 100 ms.
 *   (c) digest construction (selection, summary, pages, CSV) for 5,000 remediations.
 * Run: npx tsx bench/slack.ts [ack|status|digest]...   (all three by default; `npm run bench` runs every bench)
 */
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { stringify as querystring } from 'node:querystring';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { WebClient } from '@slack/web-api';
import { stringify } from 'yaml';
import { createDigestContent } from '../src/app/reports/digest.js';
import { createInventoryReport } from '../src/app/reports/inventory-report.js';
import type { Store } from '../src/app/ports.js';
import { createStatusReport } from '../src/app/reports/status-report.js';
import { newRemediation } from '../src/domain/new-remediation.js';
import type { Remediation } from '../src/domain/remediation.js';
import { DEFAULT_SLA } from '../src/domain/sla.js';
import { policySchema } from '../src/policy.js';
import { remediationsCsv } from '../src/slack/posting/csv.js';
import { ACTION, VIEW } from '../src/slack/ids.js';
import { digestPages, digestSummary } from '../src/slack/views/digest.js';
import { statusMessage } from '../src/slack/views/status.js';
import { openSqliteStore } from '../src/store/sqlite/open-sqlite-store.js';
import { CHANNEL, DEFAULT_POLICY, PEOPLE } from '../test/support/bot-harness.js';
import { blockActionPayload, slashCommandFields, viewSubmissionPayload, type PayloadContext } from '../test/support/slack/payloads.js';
import { stateValuesFor } from '../test/support/slack/state-values.js';
import { startFakeSlack, type FakeSlack } from '../test/support/slack/fake-slack.js';
import { spawnBot } from '../test/support/spawn-bot.js';
import { postRemediationMessage } from '../test/support/post-message.js';
import { BENCH_NOW, buildLargeStore } from './large-store.js';

export const GOALS = { ackP99Ms: 100, statusMs: 100 } as const;
const CONCURRENCY = 50;
const ROUNDS = 6;

export interface Timing {
  readonly name: string;
  readonly samples: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface AckTiming extends Timing {
  /** Requests in flight at once (50 unless said). */
  readonly concurrency?: number;
  /** The bot process's CPU time per request: the ack and the work it started (null without /proc). */
  readonly botCpuMsPerRequest: number | null;
}

export interface SlackBench {
  readonly ack?: readonly AckTiming[];
  readonly status?: Timing & { readonly cpuMsPerRun: number; readonly remediations: number; readonly findings: number; readonly buildSeconds: number };
  readonly digest?: Timing & { readonly cpuMsPerRun: number; readonly remediations: number; readonly csvBytes: number; readonly pages: number };
}

/** Nearest-rank percentile. */
const percentile = (sorted: readonly number[], p: number): number => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? NaN;

export function timing(name: string, samples: readonly number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  return { name, samples: sorted.length, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? NaN };
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const value = await fn();
  return [performance.now() - t, value];
}

/** This process's CPU time in ms: on a shared machine, steadier than the wall clock. */
const cpuNow = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const leads = Array.from({ length: CONCURRENCY }, (_, i) => `U0BENCH${String(i).padStart(2, '0')}`);
const SIGNING_SECRET = 'bench-signing-secret';

interface BotUnderTest {
  /** CPU time the bot's process has used so far, in ms (null where /proc is not available). */
  cpuMs(): number | null;
  readonly fake: FakeSlack;
  /** The bot's `/slack/events`. */
  readonly url: string;
  /** A second connection to the bot's SQLite file, for seeding. */
  readonly store: Store;
  /** Posts a seeded remediation's message, as the digest would. */
  post(r: Remediation): Promise<Remediation>;
  stop(): Promise<void>;
}

/**
 * The bot as production runs it: src/main.ts in its own process (`npm start` under tsx), its Web API client
 * pointed at the Slack fake, which lives here beside the load generator, as Slack is outside the bot's process.
 */
async function startBotProcess(): Promise<BotUnderTest> {
  const fake = await startFakeSlack();
  for (const p of [...Object.values(PEOPLE), ...leads.map((id) => ({ id, name: id.toLowerCase() }))]) fake.addUser({ id: p.id, name: p.name, tz: 'Europe/Berlin' });
  fake.addUsergroup({ id: 'S0ENGINEERS', handle: 'engineers', users: [PEOPLE.engineer.id, PEOPLE.engineer2.id] });
  fake.addChannel({ id: CHANNEL, name: 'patches' });
  const dir = mkdtempSync(join(tmpdir(), 'patchwarden-bench-bot-'));
  const policy = { ...DEFAULT_POLICY, roles: { ...DEFAULT_POLICY.roles, lead: [...DEFAULT_POLICY.roles.lead, ...leads] } };
  writeFileSync(join(dir, 'patchwarden.config.yaml'), stringify(policy));
  const bot = spawnBot(
    {
      SLACK_BOT_TOKEN: fake.botToken, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.url, PATCH_CHANNEL: CHANNEL, PORT: '0',
      PATCHWARDEN_DB: join(dir, 'patchwarden.db'), PATCHWARDEN_CONFIG: join(dir, 'patchwarden.config.yaml'), KEV_URL: '', EPSS_URL: '', LOG_LEVEL: 'info',
    },
    dir,
  );
  let port: number;
  try {
    port = await bot.waitForPort(60_000);
  } catch (e) {
    await bot.stop();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const store = await openSqliteStore({ path: join(dir, 'patchwarden.db') });
  const parsed = policySchema.parse(policy);
  const client = new WebClient(fake.botToken, { slackApiUrl: fake.url, retryConfig: { retries: 0 } });
  const post = (r: Remediation) => postRemediationMessage({ client, channel: CHANNEL, store, context: () => ({ now: new Date(), timeZone: parsed.timezone, sla: parsed.sla }) }, r);
  return {
    cpuMs: () => processCpuMs(bot.child.pid),
    fake,
    url: `http://127.0.0.1:${port}/slack/events`,
    store,
    post,
    async stop() {
      await bot.stop();
      await store.close();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** utime + stime of a process and its children that are still running (the node process under tsx), from /proc. */
function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const own = (p: number): number => {
      const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
    };
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    return own(pid) + children.reduce((sum, c) => sum + (processCpuMs(c) ?? 0), 0);
  } catch {
    return null;
  }
}

let seq = 0;
async function seed(store: Store, overrides: Partial<Remediation> = {}): Promise<Remediation> {
  const n = (seq += 1);
  const id = await store.remediations.nextId();
  const r = newRemediation(
    {
      id, key: `github:acme/api|npm:bench-${n}`, title: `Upgrade bench-${n} to 1.2.3 in acme/api`,
      remedy: { kind: 'package_upgrade', ecosystem: 'npm', package: `bench-${n}`, fixedIn: '1.2.3' },
      assetIds: ['github:acme/api'], findingIds: [`github:acme/api:alert:${n}`], cves: [`CVE-2026-${30000 + n}`],
      severity: 'high', detectedAt: new Date().toISOString(), kevDueAt: null, owner: PEOPLE.engineer.id,
    },
    DEFAULT_SLA,
    new Date(),
  );
  const created = await store.remediations.create({ ...r, ...overrides }, [{ at: new Date().toISOString(), actor: 'system:bench', action: 'remediation.created', subject: id, data: {} }]);
  if (!created.ok) throw new Error(`bench seed: ${created.error.code}`);
  return created.value;
}

/** Waits until the bot has made no Slack call for a moment: the work each ack started is done. */
async function quiet(fake: FakeSlack): Promise<void> {
  for (let seen = -1; fake.calls().length !== seen; ) {
    seen = fake.calls().length;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The load generator: a worker thread of its own that only signs and POSTs, as Slack's edge would, so its timings
 * are not held up by the fake's work on this thread. It sends a batch all at once and times each request from
 * the POST to the end of the bot's HTTP answer (the ack).
 */
const LOAD_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHmac } = require('node:crypto');
const { performance } = require('node:perf_hooks');
parentPort.on('message', async (batch) => {
  const results = await Promise.all(batch.map(async (req) => {
    const ts = Math.floor(Date.now() / 1000);
    const sig = 'v0=' + createHmac('sha256', workerData.secret).update('v0:' + ts + ':' + req.body).digest('hex');
    const t = performance.now();
    const res = await fetch(workerData.url, { method: 'POST', body: req.body, headers: { 'content-type': req.contentType, 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sig } });
    await res.text();
    return { ms: performance.now() - t, status: res.status };
  }));
  parentPort.postMessage(results);
});`;

interface LoadGenerator {
  send(batch: readonly { body: string; contentType: string }[]): Promise<{ ms: number; status: number }[]>;
  close(): Promise<void>;
}

function loadGenerator(url: string): LoadGenerator {
  const worker = new Worker(LOAD_WORKER, { eval: true, workerData: { url, secret: SIGNING_SECRET } });
  let failed: unknown = null;
  worker.on('error', (e) => (failed = e));
  return {
    send: (batch) =>
      new Promise((resolve, reject) => {
        if (failed) return reject(failed);
        worker.once('message', resolve);
        worker.postMessage(batch);
      }),
    close: async () => void (await worker.terminate()),
  };
}

const FORM = 'application/x-www-form-urlencoded';
const form = (fields: Record<string, string>) => ({ body: querystring(fields), contentType: FORM });
const interaction = (payload: Record<string, unknown>) => form({ payload: JSON.stringify(payload) });

/** (a) 50 concurrent slash commands, 50 concurrent Assess clicks by 50 leads, then their 50 submissions; repeated. */
export async function ackLatency(log: (line: string) => void): Promise<AckTiming[]> {
  const bot = await startBotProcess();
  const { fake, store } = bot;
  const load = loadGenerator(bot.url);
  const ctx: PayloadContext = { fake, team: { id: fake.team.id, domain: fake.team.domain }, apiAppId: fake.bot.appId, verificationToken: 'bench', botUserId: fake.bot.userId, now: Date.now };
  try {
    for (let i = 0; i < 200; i += 1) await seed(store, { dueAt: new Date(Date.now() + (i - 50) * 86_400_000).toISOString() });
    const samples = { command: [] as number[], button: [] as number[], modal: [] as number[] };
    const cpu = { command: 0, button: 0, modal: 0 };
    let cpuKnown = true;
    /** Sends a batch at once; its timings, and the bot's CPU time for the batch and the work it started. */
    const acked = async (batch: { body: string; contentType: string }[]): Promise<{ ms: number[]; cpuMs: number }> => {
      const before = bot.cpuMs();
      const results = await load.send(batch);
      const bad = results.filter((r) => r.status !== 200);
      if (bad.length > 0) throw new Error(`bench: ${bad.length} requests were answered ${bad[0]!.status}, not acknowledged`);
      await quiet(fake);
      const after = bot.cpuMs();
      if (before === null || after === null) cpuKnown = false;
      return { ms: results.map((r) => r.ms), cpuMs: (after ?? 0) - (before ?? 0) };
    };
    // Round 0 warms up (JIT, prepared statements, connections) and is not counted.
    for (let round = 0; round <= ROUNDS; round += 1) {
      const commands = await acked(leads.map((user) => form(slashCommandFields(ctx, { command: '/patch', text: 'status', user_id: user, channel_id: CHANNEL }))));

      const batch = await Promise.all(leads.map(async () => bot.post(await seed(store))));
      const opened = fake.views({ callbackId: VIEW.assess }).length;
      const clicks = await acked(
        batch.map((r, i) => {
          seq += 1;
          const message = fake.message(CHANNEL, r.message!.ts)!;
          return interaction(blockActionPayload(ctx, { user: leads[i]!, message, action_id: ACTION.assess, action: { action_ts: `${Math.floor(Date.now() / 1000)}.${String(seq).padStart(6, '0')}` } }));
        }),
      );
      await until(() => fake.views({ callbackId: VIEW.assess }).length >= opened + CONCURRENCY, 'the assess modals');
      const modals = fake.views({ callbackId: VIEW.assess }).slice(opened);
      const submissions = await acked(
        modals.map((m) => interaction(viewSubmissionPayload(ctx, m.user, m.view, stateValuesFor(m.view, { business_impact: 'high', rationale: 'Internet-facing; exploit published.' })))),
      );
      if (round === 0) continue;
      samples.command.push(...commands.ms);
      samples.button.push(...clicks.ms);
      samples.modal.push(...submissions.ms);
      cpu.command += commands.cpuMs;
      cpu.button += clicks.cpuMs;
      cpu.modal += submissions.cpuMs;
    }
    // The same slash command one at a time: what an ack costs when it does not queue behind 49 others.
    const alone: number[] = [];
    for (const user of leads) {
      const [result] = await load.send([form(slashCommandFields(ctx, { command: '/patch', text: 'status', user_id: user, channel_id: CHANNEL }))]);
      alone.push(result!.ms);
      await quiet(fake);
    }
    const assessed = await store.remediations.count({ states: ['assessed'] });
    if (assessed !== CONCURRENCY * (ROUNDS + 1)) throw new Error(`bench: expected every submission to record an assessment, got ${assessed}`);
    const perRequest = (total: number, n: number): number | null => (cpuKnown ? total / n : null);
    const out: AckTiming[] = [
      { ...timing('slash command /patch status', samples.command), botCpuMsPerRequest: perRequest(cpu.command, samples.command.length) },
      { ...timing('slash command /patch status, one at a time', alone), concurrency: 1, botCpuMsPerRequest: null },
      { ...timing('button (Assess: opens a modal)', samples.button), botCpuMsPerRequest: perRequest(cpu.button, samples.button.length) },
      { ...timing('modal submission (assessment)', samples.modal), botCpuMsPerRequest: perRequest(cpu.modal, samples.modal.length) },
    ];
    for (const t of out) {
      const cpuNote = t.botCpuMsPerRequest === null ? '' : `; the bot spent ${t.botCpuMsPerRequest.toFixed(1)} ms CPU per request, ack and the work after it`;
      log(`ack ${t.name}: p50 ${t.p50.toFixed(1)} ms, p99 ${t.p99.toFixed(1)} ms, max ${t.max.toFixed(1)} ms over ${t.samples} requests, ${t.concurrency ?? CONCURRENCY} at a time${cpuNote}`);
    }
    log(`(load average while measuring: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} CPUs)`);
    return out;
  } finally {
    await load.close();
    await bot.stop();
  }
}

/** (b) The status report and its message, over a store of 10,000 remediations and 100,000 findings. */
export async function statusOverLargeStore(log: (line: string) => void, runs = 30): Promise<NonNullable<SlackBench['status']>> {
  const large = await buildLargeStore({ remediations: 10_000, findingsPerRemediation: 10, assets: 3_000 });
  try {
    const policy = policySchema.parse({ timezone: 'Europe/Berlin', maintenanceWindows: DEFAULT_POLICY.maintenanceWindows });
    const now = () => BENCH_NOW;
    const report = createStatusReport({
      store: large.store,
      inventory: createInventoryReport({ store: large.store, staleScanDays: policy.inventory.staleScanDays, now }),
      windows: policy.maintenanceWindows,
      timeZone: policy.timezone,
      now,
    });
    const ctx = { now: BENCH_NOW, timeZone: policy.timezone, sla: DEFAULT_SLA };
    const samples: number[] = [];
    let last = '';
    let cpu = 0;
    for (let i = 0; i <= runs; i += 1) {
      const c = cpuNow();
      const [ms, message] = await timed(async () => statusMessage(await report(), ctx));
      if (i > 0) {
        samples.push(ms);
        cpu += cpuNow() - c;
      }
      last = message.text;
    }
    const t = { ...timing('/patch status (report + message)', samples), cpuMsPerRun: cpu / runs, remediations: large.remediations, findings: large.findings, buildSeconds: large.buildSeconds };
    log(`status over ${large.remediations.toLocaleString('en-US')} remediations / ${large.findings.toLocaleString('en-US')} findings / ${large.assets.toLocaleString('en-US')} assets: p50 ${t.p50.toFixed(1)} ms, p99 ${t.p99.toFixed(1)} ms, ${t.cpuMsPerRun.toFixed(1)} ms CPU per run, over ${t.samples} runs (store built in ${t.buildSeconds.toFixed(1)} s) — "${last}"`);
    return t;
  } finally {
    await large.dispose();
  }
}

/** (c) Building a digest for 5,000 remediations: selection from the store, summary, thread pages, CSV. */
export async function digestConstruction(log: (line: string) => void, runs = 10): Promise<NonNullable<SlackBench['digest']>> {
  const large = await buildLargeStore({ remediations: 5_000, findingsPerRemediation: 10, assets: 1_500 });
  try {
    const now = () => BENCH_NOW;
    const timeZone = 'Europe/Berlin';
    const select = createDigestContent({ store: large.store, inventory: createInventoryReport({ store: large.store, staleScanDays: 30, now }), timeZone, now });
    const ctx = { now: BENCH_NOW, timeZone, sla: DEFAULT_SLA };
    const samples: number[] = [];
    let shape = { rows: 0, csvBytes: 0, pages: 0 };
    let cpu = 0;
    for (let i = 0; i <= runs; i += 1) {
      const c = cpuNow();
      const [ms, built] = await timed(async () => {
        const content = await select();
        const summary = digestSummary(content, ctx);
        const pages = summary.cut ? digestPages(content, ctx) : [];
        const csv = remediationsCsv(content.all, new Set(content.fresh.map((r) => r.id)), DEFAULT_SLA, BENCH_NOW);
        return { rows: content.all.length, csvBytes: Buffer.byteLength(csv), pages: pages.length };
      });
      if (i > 0) {
        samples.push(ms);
        cpu += cpuNow() - c;
      }
      shape = built;
    }
    const t = { ...timing('digest construction', samples), cpuMsPerRun: cpu / runs, remediations: shape.rows, csvBytes: shape.csvBytes, pages: shape.pages };
    log(`digest for ${large.remediations.toLocaleString('en-US')} remediations (${shape.rows.toLocaleString('en-US')} rows: open + new): p50 ${t.p50.toFixed(1)} ms, p99 ${t.p99.toFixed(1)} ms, ${t.cpuMsPerRun.toFixed(1)} ms CPU per run, over ${t.samples} runs; ${shape.pages} thread pages, CSV ${(shape.csvBytes / 1024).toFixed(0)} KiB`);
    return t;
  } finally {
    await large.dispose();
  }
}

export async function main(parts: readonly string[] = ['ack', 'status', 'digest'], log: (line: string) => void = console.log): Promise<SlackBench> {
  return {
    ...(parts.includes('ack') ? { ack: await ackLatency(log) } : {}),
    ...(parts.includes('status') ? { status: await statusOverLargeStore(log) } : {}),
    ...(parts.includes('digest') ? { digest: await digestConstruction(log) } : {}),
  };
}

const script = process.argv[1];
if (script && import.meta.url === pathToFileURL(realpathSync(script)).href) {
  await main(process.argv.length > 2 ? process.argv.slice(2) : undefined);
}
