/**
 * Runs `/patch …` against the harness bot as a person would, and waits for what the bot answers through the
 * command's response_url (a slash command is acked at once; the answer follows).
 */
import type { Harness } from './bot-harness.js';
import { CHANNEL } from './bot-harness.js';

export interface PatchAnswer {
  readonly status: number;
  readonly responseUrl: string;
  /** What the bot posted to the response_url, in order. */
  readonly responses: Array<{ text?: string; blocks?: unknown[]; response_type?: string; replace_original?: boolean }>;
}

/** Polls `check` until it is true (or fails after `timeoutMs`): for work a listener does after its ack. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** `/patch <text>` from `user` in `channel`; resolves once `responses` answers (default 1) reached the response_url. */
export async function patch(h: Harness, user: string, text: string, opts: { responses?: number; channel?: string; ephemerals?: number } = {}): Promise<PatchAnswer> {
  const before = h.fake.ephemerals({ user }).length;
  const res = await h.driver.slashCommand({ command: '/patch', text, user_id: user, channel_id: opts.channel ?? CHANNEL });
  const responseUrl = String(res.sent.payload.response_url);
  const want = opts.responses ?? 1;
  const got = () => h.fake.responses(responseUrl);
  if (opts.ephemerals !== undefined) {
    await eventually(() => h.fake.ephemerals({ user }).length >= before + (opts.ephemerals ?? 0), 10_000, `${opts.ephemerals} ephemeral message(s) for /patch ${text}`);
  }
  if (want > 0) await eventually(() => got().length >= want, 10_000, `${want} response(s) to /patch ${text}`);
  return { status: res.status, responseUrl, responses: got().map((r) => r.body as PatchAnswer['responses'][number]) };
}

/** Every piece of text in a message's blocks, joined: for asserting what a person reads. */
export function blockText(blocks: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'text' && typeof x === 'string') out.push(x);
        else walk(x);
      }
    }
  };
  walk(blocks);
  return out.join('\n');
}
