/**
 * What people feel when many use the bot at once, measured from outside: the bot started as `npm start` starts it,
 * on a store a full sync filled (bench/sync.ts), ready when /healthz says so; fifty leads, each with a remediation's
 * message to click Assess (then Re-assess) on, and three hundred managers; Slack's requests signed and sent
 * concurrently over HTTP; the answers read from the Slack fake. Per kind — `/patch status` (answer: the response_url
 * post), the Assess button (answer: its modal open) and the assessment modal submitted (answer: the remediation's
 * message updated) — ack p50 / p99 and time-to-answer p50 / p99:
 *   cold: the first burst of 50 of each kind after boot;
 *   warm: the later bursts (each status burst comes after the previous round's submissions changed the store);
 *   alone: the same requests one at a time;
 * and a burst of 300 `/patch status` with, 100 ms into it, `/patch digest`, 10 clicks and 10 submissions: how long
 * the digest takes to post (summary, and done) against the same digest alone, and what the clicks and submissions
 * feel. Goals: ack p99 < 100 ms (50 at once; in the burst of 300, Slack's 3 s), the status answer p99 < 1 s, everything in the burst served within a second of its
 * turn (the digest within a second of its time alone).
 */
import { ACTION } from '../src/slack/ids.js';
import { blockActionPayload, slashCommandFields, viewSubmissionPayload } from '../test/support/slack/payloads.js';
import { stateValuesFor } from '../test/support/slack/state-values.js';
import type { Remediation } from '../src/domain/remediation.js';
import type { Cleanup } from './cleanup.js';
import { CHANNEL, LEADS, MANAGERS, openWorkspace, SIGNING_SECRET, type Workspace } from './load-setup.js';
import { answers, form, interaction, loadGenerator, look, messageUpdated, modalOpened, postedIn, responseUrlAnswer, type AnswerProbe, type LoadGenerator, type Sent, type WireRequest } from './load-traffic.js';
import type { StoreTarget } from './sync.js';

export const LOAD_GOALS = { ackP99Ms: 100, statusAnswerP99Ms: 1000, turnMs: 1000, slackAckMs: 3000 } as const;
export const KINDS = ['status', 'button', 'modal'] as const;
export type Kind = (typeof KINDS)[number];

export interface KindFigures {
  readonly samples: number;
  readonly ackP50: number;
  readonly ackP99: number;
  readonly answerP50: number;
  readonly answerP99: number;
  /** Not acknowledged with a 200, or no answer within the wait (a modal whose trigger expired). */
  readonly failed: number;
  /** The bot's CPU time per request, from the sending to the last answer (null without /proc): steadier than the clock on a shared machine. */
  readonly botCpuMs: number | null;
}

export interface DigestFigures {
  /** From the command's ack to the summary in the channel, and to its "posted" answer (everything done). */
  readonly summaryMs: number | null;
  readonly doneMs: number | null;
}

export interface LoadFigures {
  readonly readyMs: number;
  readonly cold: Record<Kind, KindFigures>;
  readonly warm: Record<Kind, KindFigures>;
  readonly alone: Record<Kind, KindFigures>;
  readonly burst: { readonly size: number; readonly status: KindFigures; readonly button: KindFigures; readonly modal: KindFigures; readonly digest: DigestFigures; readonly digestAlone: DigestFigures };
  /** The bot's CPU time over the whole bench, ms. */
  readonly botCpuMs: number | null;
}

const CONCURRENCY = 50;
const BURST = 300;
const IN_BURST = 10;

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? NaN;

interface Measured {
  readonly sent: readonly Sent[];
  readonly answeredAt: readonly (number | null)[];
  /** The bot's CPU time over it, ms (null without /proc). */
  readonly botCpuMs: number | null;
}

function figures(runs: readonly Measured[]): KindFigures {
  const acks: number[] = [];
  const times: number[] = [];
  let failed = 0;
  let cpu: number | null = 0;
  for (const { sent, answeredAt, botCpuMs } of runs) {
    cpu = cpu === null || botCpuMs === null ? null : cpu + botCpuMs;
    sent.forEach((s, i) => {
      acks.push(s.ackMs);
      const at = answeredAt[i];
      if (s.status !== 200 || at === null || at === undefined) failed += 1;
      else times.push(at - s.sentAt);
    });
  }
  const a = acks.sort((x, y) => x - y);
  const t = times.sort((x, y) => x - y);
  return { samples: a.length, ackP50: percentile(a, 0.5), ackP99: percentile(a, 0.99), answerP50: percentile(t, 0.5), answerP99: percentile(t, 0.99), failed, botCpuMs: cpu === null ? null : cpu / a.length };
}

type Probe = (sent: Sent) => AnswerProbe;

function traffic(ws: Workspace, load: LoadGenerator) {
  const { fake, ctx } = ws;
  const command = (user: string, text: string): [WireRequest, Probe, string] => {
    const url = fake.createResponseUrl();
    return [form(slashCommandFields(ctx, { command: '/patch', text, user_id: user, channel_id: CHANNEL, response_url: url })), () => responseUrlAnswer(url), url];
  };
  const click = (user: string, r: Remediation): [WireRequest, Probe, string] => {
    const payload = blockActionPayload(ctx, { user, message: fake.message(CHANNEL, r.message!.ts)!, action_id: ACTION.assess });
    const trigger = String(payload.trigger_id);
    return [interaction(payload), () => modalOpened(trigger), trigger];
  };
  const submit = (user: string, viewId: string, r: Remediation): [WireRequest, Probe] => {
    const view = fake.view(viewId)!.view;
    const values = stateValuesFor(view, { business_impact: 'high', rationale: 'Internet-facing; exploit published.' });
    return [interaction(viewSubmissionPayload(ctx, user, view, values)), (s) => messageUpdated(r.message!.ts, () => s.sentAt)];
  };
  /** Sends the requests at once and waits for their answers. */
  const run = async (requests: readonly [WireRequest, Probe, ...unknown[]][], waitMs = 30_000): Promise<Measured> => {
    const before = ws.bot.cpuMs();
    const sent = await load.send(requests.map((r) => r[0]));
    const answeredAt = await answers(fake, requests.map((r, i) => r[1](sent[i]!)), waitMs);
    const after = ws.bot.cpuMs();
    return { sent, answeredAt, botCpuMs: before === null || after === null ? null : after - before };
  };
  return { command, click, submit, run };
}

/** A round of each kind: `users` ask for status, then click Assess on fresh remediations, then submit the modals. */
async function round(ws: Workspace, t: ReturnType<typeof traffic>, users: readonly string[], leads: readonly string[], oneAtATime = false): Promise<Record<Kind, Measured[]>> {
  const go = async (reqs: [WireRequest, Probe, ...unknown[]][]): Promise<Measured[]> => {
    if (!oneAtATime) return [await t.run(reqs)];
    const out: Measured[] = [];
    for (const r of reqs) out.push(await t.run([r]));
    return out;
  };
  const status = await go(users.map((u) => t.command(u, 'status')));
  const rs = ws.clickable.slice(0, leads.length);
  const clicks = leads.map((u, i) => t.click(u, rs[i]!));
  const button = await go(clicks);
  const opened = look(ws.fake).opened;
  const submissions = clicks.flatMap(([, , trigger], i) => {
    const viewId = opened.get(trigger)?.viewId;
    return viewId ? [t.submit(leads[i]!, viewId, rs[i]!)] : [];
  });
  const modal = await go(submissions);
  return { status, button, modal };
}

async function digest(ws: Workspace, t: ReturnType<typeof traffic>, alongside: () => Promise<unknown> = async () => undefined): Promise<DigestFigures> {
  const [request, , url] = t.command(LEADS[0]!, 'digest');
  const [sent] = await Promise.all([t.run([[request, (s) => postedIn(CHANNEL, () => s.sentAt)]], 60_000), alongside()]);
  const [done] = await answers(ws.fake, [responseUrlAnswer(url, 2)], 60_000);
  const at = sent.sent[0]!.sentAt;
  return { summaryMs: sent.answeredAt[0] === null ? null : sent.answeredAt[0]! - at, doneMs: done === null || done === undefined ? null : done - at };
}

export async function loadBench(log: (line: string) => void, { target, cleanup, quick = false }: { target: StoreTarget; cleanup: Cleanup; quick?: boolean }): Promise<LoadFigures> {
  const warmRounds = quick ? 2 : 3;
  const aloneCount = 10;
  const ws = await openWorkspace(target, CONCURRENCY, cleanup);
  log(`bot ready (/healthz 200, reports warm) ${(ws.bot.readyMs / 1000).toFixed(1)} s after start`);
  const load = loadGenerator(`${ws.bot.origin}/slack/events`, SIGNING_SECRET);
  cleanup.add(() => load.close());
  const t = traffic(ws, load);
  const managers = MANAGERS.slice(0, CONCURRENCY);

  const cold = await round(ws, t, managers, LEADS);
  const warmRuns: Record<Kind, Measured[]> = { status: [], button: [], modal: [] };
  for (let i = 0; i < warmRounds; i += 1) {
    const r = await round(ws, t, managers, LEADS);
    for (const k of KINDS) warmRuns[k].push(...r[k]);
  }
  const aloneRuns = await round(ws, t, managers.slice(0, aloneCount), LEADS.slice(0, aloneCount), true);
  const digestAlone = await digest(ws, t);

  // The burst: 300 status requests, and 100 ms into it the digest, 10 clicks and 10 submissions (modals opened first).
  const pre = ws.clickable.slice(0, IN_BURST);
  const preClicks = LEADS.slice(0, IN_BURST).map((u, i) => t.click(u, pre[i]!));
  await t.run(preClicks);
  const opened = look(ws.fake).opened;
  const clickers = LEADS.slice(IN_BURST, 2 * IN_BURST);
  const fresh = ws.clickable.slice(IN_BURST, 2 * IN_BURST);
  const statusBurst = t.run(MANAGERS.slice(0, BURST).map((u) => t.command(u, 'status')), 60_000);
  await new Promise((r) => setTimeout(r, 100));
  let button!: Measured;
  let modal!: Measured;
  const inBurst = await digest(ws, t, async () => {
    [button, modal] = await Promise.all([
      t.run(clickers.map((u, i) => t.click(u, fresh[i]!))),
      t.run(preClicks.flatMap(([, , trigger], i) => {
        const viewId = opened.get(trigger)?.viewId;
        return viewId ? [t.submit(LEADS[i]!, viewId, pre[i]!)] : [];
      })),
    ]);
  });
  const statuses = await statusBurst;

  const out: LoadFigures = {
    readyMs: ws.bot.readyMs,
    cold: { status: figures(cold.status), button: figures(cold.button), modal: figures(cold.modal) },
    warm: { status: figures(warmRuns.status), button: figures(warmRuns.button), modal: figures(warmRuns.modal) },
    alone: { status: figures(aloneRuns.status), button: figures(aloneRuns.button), modal: figures(aloneRuns.modal) },
    burst: { size: BURST, status: figures([statuses]), button: figures([button]), modal: figures([modal]), digest: inBurst, digestAlone },
    botCpuMs: ws.bot.cpuMs(),
  };
  await ws.bot.stop();
  return out;
}
