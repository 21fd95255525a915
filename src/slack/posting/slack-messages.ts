/**
 * The outbox's plain Slack messages: `slack.dm` `{ user, text, blocks? }` and `slack.post` `{ channel?, text,
 * blocks?, thread? }` (`thread: 'subject'`: in the thread of the first message the subject posted, a digest's
 * summary). Each posts once: a replay looks for the message its effect already posted.
 */
import type { WebClient } from '@slack/web-api';
import type { KnownBlock } from '@slack/types';
import { z } from 'zod';
import { EffectRefused, type EffectContext, type EffectHandler } from '../../app/outbox/drain-outbox.js';
import type { Effect } from '../../app/outbox/effects.js';
import { metadataFor, postedBefore, slackCall, type Posted } from './posted-before.js';

export interface MessageContent {
  readonly text: string;
  readonly blocks?: readonly unknown[];
}

const content = z.object({ text: z.string(), blocks: z.array(z.unknown()).optional() });
const dm = content.extend({ user: z.string().min(1) });
const post = content.extend({ channel: z.string().optional(), thread: z.literal('subject').optional() });

/** The effect's data as its handler expects it; anything else can never be posted. */
export function dataOf<T>(effect: Effect, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(effect.data);
  if (!parsed.success) throw new EffectRefused(`${effect.kind} ${effect.id}: malformed data`);
  return parsed.data;
}

/** Where the subject's first message went (a digest's summary), from what its effects reported. */
export async function subjectThread(ctx: EffectContext): Promise<Posted> {
  const first = (await ctx.earlier()).find((e) => typeof e.result?.['ts'] === 'string');
  const ts = first?.result?.['ts'];
  const channel = first?.result?.['channel'];
  if (typeof ts !== 'string' || typeof channel !== 'string') throw new Error('the message to reply to is not posted yet');
  return { channel, ts };
}

/**
 * Posts `message` for `effects` (the first names it) in a channel or thread, unless a replay finds one of them
 * posted already. What was posted (or found) is the result.
 */
export async function postOnce(client: WebClient, effects: readonly Effect[], where: { channel: string; thread?: string }, message: MessageContent, replay: boolean): Promise<Posted> {
  const ids = new Set(effects.map((e) => e.id));
  const [already] = replay ? await postedBefore(client, where, (p) => ids.has(String(p['effect']))) : [];
  if (already) return already;
  const res = await slackCall(() =>
    client.chat.postMessage({
      channel: where.channel,
      ...(where.thread ? { thread_ts: where.thread } : {}),
      text: message.text,
      ...(message.blocks ? { blocks: message.blocks as KnownBlock[] } : {}),
      metadata: metadataFor(effects[0]!),
      unfurl_links: false,
      unfurl_media: false,
    }),
  );
  return { channel: res.channel ?? where.channel, ts: res.ts ?? '' };
}

export function createSlackMessages(client: WebClient, defaultChannel: string): { dm: EffectHandler; post: EffectHandler } {
  return {
    dm: {
      run: async (effects, { replay }) => {
        const { user, ...message } = dataOf(effects[0]!, dm);
        // A DM's channel id is what a replay reads; the post itself goes to the user id, as Slack allows.
        const channel = replay ? (await slackCall(() => client.conversations.open({ users: user }))).channel?.id : undefined;
        if (channel) {
          const [already] = await postedBefore(client, { channel }, (p) => p['effect'] === effects[0]!.id);
          if (already) return { ...already };
        }
        return { ...(await postOnce(client, effects, { channel: user }, message, false)) };
      },
    },
    post: {
      run: async (effects, ctx) => {
        const { channel, thread, ...message } = dataOf(effects[0]!, post);
        const where = thread === 'subject' ? await subjectThread(ctx) : null;
        return { ...(await postOnce(client, effects, { channel: where?.channel ?? channel ?? defaultChannel, thread: where?.ts }, message, ctx.replay)) };
      },
    },
  };
}
