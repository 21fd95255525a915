/**
 * The findings behind a remediation, in the thread of its message: what each source reported, on which asset, with
 * its link. A long list is cut with "and N more" and the whole of it follows as a CSV file in the same thread.
 */
import type { WebClient } from '@slack/web-api';
import type { FindingsDetail } from '../../app/reports/findings-detail.js';
import type { MessageRef } from '../../domain/remediation.js';
import { findingsBlocks } from '../views/findings.js';
import { plural } from '../views/format.js';
import { findingsCsv, findingsCsvName } from './findings-csv.js';

/** Lines per list in the thread before the rest goes to the CSV. */
export const THREAD_LINES = 15;

export async function postFindingsInThread(client: WebClient, detail: FindingsDetail, at: MessageRef, timeZone: string): Promise<{ csv: boolean }> {
  const r = detail.remediation;
  const blocks = findingsBlocks(detail, { limit: THREAD_LINES, rest: `every one is in the CSV below, and \`/patch show ${r.id} findings\``, timeZone });
  const text = `What is behind ${r.id}: ${plural(detail.findings.length, 'finding')} on ${plural(new Set(detail.findings.map((f) => f.assetId)).size, 'asset')}`;
  await client.chat.postMessage({ channel: at.channel, thread_ts: at.ts, text, blocks, unfurl_links: false, unfurl_media: false });
  if (!blocks.some((b) => b.block_id?.endsWith('-more'))) return { csv: false };
  await postFindingsCsv(client, detail, at);
  return { csv: true };
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
