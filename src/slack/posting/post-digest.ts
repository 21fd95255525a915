/**
 * Posts a digest: the summary in the patch channel, then in its thread the audit anchor, the complete list in pages
 * (when the summary had to cut a list) and as a CSV file (upload v2 flow), then ONE message per new remediation
 * through the publisher, so every later step updates that same message. The digest is remembered (store.kv) right
 * after the summary is posted, and audited as `digest.posted`.
 *
 * At most MAX_REMEDIATION_MESSAGES new remediations get their message with the digest, the most severe and soonest
 * due first: a first digest after a first sync may have thousands, and a channel of thousands of messages helps
 * nobody. The rest are in the CSV and on people's App Home (with the same buttons), and each gets its message
 * here at its first step.
 */
import type { DigestContent } from '../../app/reports/digest.js';
import { createDigestContent, recordDigest } from '../../app/reports/digest.js';
import type { AuditEvent } from '../../app/audit.js';
import { severityRank } from '../../domain/severity.js';
import { instant } from '../../domain/time.js';
import { remediationsCsv } from './csv.js';
import type { SlackDeps } from '../deps.js';
import { anchorMessage, digestPages, digestSummary } from '../views/digest.js';
import type { SlackMessage } from '../views/remediation-message.js';

/** New remediations that get their own message with a digest. */
export const MAX_REMEDIATION_MESSAGES = 30;

export interface PostDigestOptions {
  readonly trigger: 'scheduled' | 'on_demand';
  /** Who asked: a Slack user id, or `system:digest`. */
  readonly by: string;
  /**
   * Called once the contents are selected, right before anything is posted: false skips the digest (the
   * scheduled run claims its period here, so a failure while reading the store does not use up the period).
   */
  readonly claim?: (content: DigestContent) => Promise<boolean>;
}

export interface PostedDigest {
  readonly channel: string;
  readonly ts: string;
  readonly period: string;
  readonly remediations: number;
  readonly fresh: number;
  readonly pages: number;
  readonly csv: boolean;
  readonly head: Pick<AuditEvent, 'seq' | 'hash'> | null;
}

export interface DigestPoster {
  /** Null when `claim` said no. */
  post(options: PostDigestOptions): Promise<PostedDigest | null>;
}

export function createDigestPoster(deps: SlackDeps): DigestPoster {
  const { store, client, channel, policy, logger } = deps;
  const select = createDigestContent({ store, inventory: deps.reports.inventory, timeZone: policy.timezone, now: deps.now });

  async function uploadCsv(content: DigestContent, threadTs: string): Promise<boolean> {
    if (content.all.length === 0) return false;
    const csv = remediationsCsv(content.all, new Set(content.fresh.map((r) => r.id)), policy.sla, new Date(content.at));
    try {
      await client.filesUploadV2({
        channel_id: channel,
        thread_ts: threadTs,
        file: Buffer.from(csv, 'utf8'),
        filename: `patchwarden-digest-${content.period}.csv`,
        title: `Patch digest ${content.period}: ${content.all.length} remediations`,
        initial_comment: `The complete list: ${content.all.length} remediations (open, and new since the last digest).`,
      });
      return true;
    } catch (e) {
      logger.error({ err: e }, 'could not upload the digest CSV');
      return false;
    }
  }

  return {
    async post({ trigger, by, claim }) {
      const content = await select();
      if (claim && !(await claim(content))) return null;
      const ctx = deps.messageContext();
      const summary = digestSummary(content, ctx);
      const res = await client.chat.postMessage({ channel, text: summary.text, blocks: summary.blocks, unfurl_links: false, unfurl_media: false });
      const ts = res.ts ?? '';
      const at = res.channel ?? channel;
      await recordDigest(store, { at: content.at, period: content.period, channel: at, ts });
      await store.audit.append([
        {
          at: instant(deps.now()),
          actor: by,
          action: 'digest.posted',
          subject: `digest:${content.period}`,
          data: { trigger, channel: at, ts, since: content.since, open: content.open.total, overdue: content.overdue.length, dueThisMonth: content.dueThisMonth.length, fresh: content.fresh.length },
        },
      ]);
      const head = await store.audit.head();
      const thread = async (m: SlackMessage) => client.chat.postMessage({ channel: at, thread_ts: ts, text: m.text, blocks: m.blocks, unfurl_links: false });
      await thread(anchorMessage(head));
      const pages = summary.cut ? digestPages(content, ctx) : [];
      for (const page of pages) await thread(page);
      const csv = await uploadCsv(content, ts);
      // The most severe (then soonest due) get a message; they go out in due-date order, one at a time (Slack
      // paces chat.postMessage). Read again just before: a message posted meanwhile by a step is updated instead.
      const bySeverity = [...content.fresh].sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id));
      const chosen = bySeverity.slice(0, MAX_REMEDIATION_MESSAGES).sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id));
      const held = bySeverity.length - chosen.length;
      if (held > 0) {
        const text = `${held.toLocaleString('en-US')} more new remediations are in the CSV above and on your App Home, with the same buttons; each gets its message here when work on it starts.`;
        await client.chat.postMessage({ channel: at, thread_ts: ts, text, unfurl_links: false });
      }
      for (const r of chosen) {
        await deps.publisher.publish((await store.remediations.get(r.id)) ?? r);
      }
      logger.info({ period: content.period, trigger, ts, fresh: content.fresh.length, remediations: content.all.length, pages: pages.length, csv }, 'digest posted');
      return { channel: at, ts, period: content.period, remediations: content.all.length, fresh: content.fresh.length, pages: pages.length, csv, head: head && { seq: head.seq, hash: head.hash } };
    },
  };
}
