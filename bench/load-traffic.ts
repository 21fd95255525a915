/**
 * Slack's side of the load bench: a load generator on a worker thread of its own that only signs and POSTs (as
 * Slack's edge would, so its timings are not held up by the fake's work on the main thread), and the answers each
 * request gets, read from the Slack fake: the response_url post a command's answer is, the views.open a button's
 * trigger_id opens, the message update a modal submission makes. Times are wall-clock milliseconds on both sides.
 */
import { stringify as querystring } from 'node:querystring';
import { Worker } from 'node:worker_threads';
import type { FakeSlack } from '../test/support/slack/fake-slack.js';

export interface Sent {
  /** Date.now() when the POST went out. */
  readonly sentAt: number;
  /** From the POST to the end of the bot's HTTP answer: the ack. */
  readonly ackMs: number;
  readonly status: number;
}

export interface WireRequest {
  readonly body: string;
  readonly contentType: string;
}

// node:http with a keep-alive agent rather than fetch: the same requests on the wire (fetch keeps connections alive
// too), at a fraction of the client's CPU, which on a small machine is CPU the bot would otherwise not get.
const LOAD_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHmac } = require('node:crypto');
const { performance } = require('node:perf_hooks');
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const url = new URL(workerData.url);
const post = (req) => new Promise((resolve) => {
  const ts = Math.floor(Date.now() / 1000);
  const sig = 'v0=' + createHmac('sha256', workerData.secret).update('v0:' + ts + ':' + req.body).digest('hex');
  const sentAt = Date.now();
  const t = performance.now();
  const done = (status) => resolve({ sentAt, ackMs: performance.now() - t, status });
  const r = http.request({ agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': req.contentType, 'content-length': Buffer.byteLength(req.body), 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sig } }, (res) => {
    res.on('data', () => undefined);
    res.on('end', () => done(res.statusCode));
    res.on('error', () => done(0));
  });
  r.on('error', () => done(0));
  r.end(req.body);
});
parentPort.on('message', async ({ id, batch }) => {
  parentPort.postMessage({ id, results: await Promise.all(batch.map(post)) });
});`;

export interface LoadGenerator {
  /** Sends the whole batch at once; resolves when every request is acknowledged. */
  send(batch: readonly WireRequest[]): Promise<Sent[]>;
  close(): Promise<void>;
}

export function loadGenerator(url: string, secret: string): LoadGenerator {
  const worker = new Worker(LOAD_WORKER, { eval: true, workerData: { url, secret } });
  const waiting = new Map<number, (r: Sent[]) => void>();
  let failed: unknown = null;
  let next = 0;
  worker.on('error', (e) => (failed = e));
  worker.on('message', ({ id, results }: { id: number; results: Sent[] }) => {
    waiting.get(id)?.(results);
    waiting.delete(id);
  });
  return {
    send: (batch) =>
      new Promise((resolve, reject) => {
        if (failed) return reject(failed as Error);
        const id = (next += 1);
        waiting.set(id, resolve);
        worker.postMessage({ id, batch });
      }),
    close: async () => void (await worker.terminate()),
  };
}

const FORM = 'application/x-www-form-urlencoded';
export const form = (fields: Record<string, string>): WireRequest => ({ body: querystring(fields), contentType: FORM });
export const interaction = (payload: Record<string, unknown>): WireRequest => form({ payload: JSON.stringify(payload) });

/** What the Slack fake has seen, indexed once per look (the probes below read it). */
export interface Seen {
  readonly responses: ReadonlyMap<string, readonly number[]>;
  /** trigger_id -> when its modal opened, and the view's id. */
  readonly opened: ReadonlyMap<string, { readonly at: number; readonly viewId: string }>;
  readonly updates: ReadonlyMap<string, readonly number[]>;
  readonly posts: readonly { readonly channel: string; readonly at: number }[];
}

const ok = (response: unknown): boolean => (response as { ok?: boolean } | null)?.ok === true;

export function look(fake: FakeSlack): Seen {
  const responses = new Map<string, number[]>();
  for (const r of fake.responses()) responses.set(r.url, [...(responses.get(r.url) ?? []), r.at]);
  const opened = new Map<string, { at: number; viewId: string }>();
  const updates = new Map<string, number[]>();
  const posts: { channel: string; at: number }[] = [];
  for (const c of fake.calls()) {
    if (!ok(c.response)) continue;
    if (c.method === 'views.open') opened.set(String(c.args.trigger_id), { at: c.at, viewId: String((c.response as { view?: { id?: string } }).view?.id) });
    else if (c.method === 'chat.update') updates.set(String(c.args.ts), [...(updates.get(String(c.args.ts)) ?? []), c.at]);
    else if (c.method === 'chat.postMessage' && c.args.thread_ts === undefined) posts.push({ channel: String(c.args.channel), at: c.at });
  }
  return { responses, opened, updates, posts };
}

/** When (Date.now) the answer a person sees arrived, or null while it has not. */
export type AnswerProbe = (seen: Seen) => number | null;

/** A command's answer: the nth post to its response_url. */
export const responseUrlAnswer = (url: string, nth = 1): AnswerProbe => (seen) => seen.responses.get(url)?.[nth - 1] ?? null;

/** A button's answer: the views.open with its trigger_id, if Slack accepted it (a late one finds the trigger expired). */
export const modalOpened = (triggerId: string): AnswerProbe => (seen) => seen.opened.get(triggerId)?.at ?? null;

/** A modal submission's answer: the first update of the remediation's message after it was sent. */
export const messageUpdated = (ts: string, after: () => number): AnswerProbe => (seen) => seen.updates.get(ts)?.find((at) => at >= after()) ?? null;

/** A top-level message in a channel after a moment (the digest's summary). */
export const postedIn = (channel: string, after: () => number): AnswerProbe => (seen) => seen.posts.find((p) => p.channel === channel && p.at >= after())?.at ?? null;

/** Waits until every probe has an answer or `timeoutMs` passes; the answer times, null for those that never came. */
export async function answers(fake: FakeSlack, probes: readonly AnswerProbe[], timeoutMs = 30_000): Promise<(number | null)[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = look(fake);
    const times = probes.map((p) => p(seen));
    if (times.every((s) => s !== null) || Date.now() > deadline) return times;
    await new Promise((r) => setTimeout(r, 50));
  }
}
