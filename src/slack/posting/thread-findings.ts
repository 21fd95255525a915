/**
 * The findings behind a remediation, in the thread of its message: what each source reported, on which asset, with
 * its link. A long list is cut with "and N more" and the whole of it follows as a CSV file in the same thread.
 * Posted once per message, as the outbox's `remediation.findings` (recorded with the message's place): a replay
 * looks in the thread for what it already posted.
 */
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { EffectHandler } from '../../app/outbox/drain-outbox.js';
import { createFindingsDetail, type FindingsDetail } from '../../app/reports/findings-detail.js';
import type { Store } from '../../app/ports.js';
import type { MessageRef } from '../../domain/remediation.js';
import { metadataFor, postedBefore } from './posted-before.js';
import { findingsBlocks } from '../views/findings.js';
import { plural } from '../views/format.js';
import { findingsCsv, findingsCsvName } from './findings-csv.js';

/** Lines per list in the thread before the rest goes to the CSV. */
export const THREAD_LINES = 15;

export async function postFindingsInThread(
  client: WebClient,
  detail: FindingsDetail,
  at: MessageRef,
  timeZone: string,
  once?: { readonly effect: { readonly id: string }; readonly replay: boolean },
): Promise<{ csv: boolean }> {
  const r = detail.remediation;
  const blocks = findingsBlocks(detail, { limit: THREAD_LINES, rest: `every one is in the CSV below, and \`/patch show ${r.id} findings\``, timeZone });
  const text = `What is behind ${r.id}: ${plural(detail.findings.length, 'finding')} on ${plural(new Set(detail.findings.map((f) => f.assetId)).size, 'asset')}`;
  const posted = once?.replay ? await postedBefore(client, { channel: at.channel, thread: at.ts }, (p) => p['effect'] === once.effect.id) : [];
  if (posted.length === 0) {
    const metadata = once ? { metadata: metadataFor(once.effect) } : {};
    await client.chat.postMessage({ channel: at.channel, thread_ts: at.ts, text, blocks, unfurl_links: false, unfurl_media: false, ...metadata });
  }
  if (!blocks.some((b) => b.block_id?.endsWith('-more'))) return { csv: false };
  if (!(once?.replay && (await csvInThread(client, at, findingsCsvName(r.id))))) await postFindingsCsv(client, detail, at);
  return { csv: true };
}

const replies = z.object({ messages: z.array(z.object({ files: z.array(z.object({ name: z.string().optional() })).optional() })).default([]) });

/** Whether a file of this name is in the thread already (an upload whose answer was lost). */
async function csvInThread(client: WebClient, at: MessageRef, filename: string): Promise<boolean> {
  const thread = replies.parse(await client.conversations.replies({ channel: at.channel, ts: at.ts, limit: 200 }));
  return thread.messages.some((m) => m.files?.some((f) => f.name === filename));
}

/** `remediation.findings`: what is behind the subject, in the thread of its message. */
export function createThreadFindings(deps: { readonly client: WebClient; readonly store: Store; readonly timeZone: () => string }): EffectHandler {
  const findingsOf = createFindingsDetail({ store: deps.store });
  return {
    run: async (effects, { replay }) => {
      const effect = effects[0]!;
      const r = await deps.store.remediations.get(effect.subject);
      if (!r?.message) return {};
      return postFindingsInThread(deps.client, await findingsOf(r), r.message, deps.timeZone(), { effect, replay });
    },
  };
}

/** Every finding as a CSV file in the remediation's thread. */
export async function postFindingsCsv(client: WebClient, detail: FindingsDetail, at: MessageRef): Promise<void> {
  const r = detail.remediation;
  await client.filesUploadV2({
    channel_id: at.channel,
    thread_ts: at.ts,
    file: Buffer.from(findingsCsv(detail), 'utf8'),
    filename: findingsCsvName(r.id),
    title: `${r.id}: ${plural(detail.findings.length, 'finding')}`,
    initial_comment: `Every finding behind ${r.id} (${plural(detail.findings.length, 'finding')}), with its source, link, asset, versions, severity, EPSS, KEV and state.`,
  });
}
