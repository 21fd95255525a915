/**
 * The digest's own outbox effects, in its summary's thread: `digest.anchor` (the audit log's head right after the
 * digest was recorded, its effect's seq: an outside anchor for `audit verify --expect-head`) and `digest.csv`
 * `{ csv, filename, title, comment }` (the complete list, uploaded once: a replay first looks in the thread for the
 * file). The summary and the other parts are plain `slack.post` effects (slack-messages.ts).
 */
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { EffectHandler } from '../../app/outbox/drain-outbox.js';
import type { Store } from '../../app/ports.js';
import { anchorMessage } from '../views/digest.js';
import { slackCall } from './posted-before.js';
import { dataOf, postOnce, subjectThread } from './slack-messages.js';

const csv = z.object({ csv: z.string(), filename: z.string().min(1), title: z.string(), comment: z.string() });
const replies = z.object({ messages: z.array(z.object({ ts: z.string(), files: z.array(z.object({ name: z.string().optional() })).optional() })).default([]) });

export function createDigestEffects(client: WebClient, store: Pick<Store, 'audit'>): { anchor: EffectHandler; csv: EffectHandler } {
  return {
    anchor: {
      run: async (effects, ctx) => {
        const [recorded] = await store.audit.read(effects[0]!.seq, 1);
        const where = await subjectThread(ctx);
        return { ...(await postOnce(client, effects, { channel: where.channel, thread: where.ts }, anchorMessage(recorded ?? null), ctx.replay)) };
      },
    },
    csv: {
      run: async (effects, ctx) => {
        const file = dataOf(effects[0]!, csv);
        const where = await subjectThread(ctx);
        if (ctx.replay) {
          const thread = replies.parse(await client.conversations.replies({ channel: where.channel, ts: where.ts, limit: 200 }));
          const found = thread.messages.find((m) => m.files?.some((f) => f.name === file.filename));
          if (found) return { channel: where.channel, ts: found.ts };
        }
        await slackCall(() =>
          client.filesUploadV2({
            channel_id: where.channel,
            thread_ts: where.ts,
            file: Buffer.from(file.csv, 'utf8'),
            filename: file.filename,
            title: file.title,
            initial_comment: file.comment,
          }),
        );
        return { channel: where.channel, uploaded: file.filename };
      },
    },
  };
}
