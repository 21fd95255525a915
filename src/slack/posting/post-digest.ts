/**
 * Posts a digest: the summary in the patch channel, then in its thread the audit anchor, the complete list in pages
 * (when the summary had to cut a list) and as a CSV file (upload v2 flow), then ONE message per new remediation
 * (`remediation.message`, so every later step updates that same message), and the messages still owed to advisories
 * awaiting review (`advisory.message`, src/app/advisories/advisory-messages.ts). All of it is recorded as outbox effects
 * in ONE write with the `digest.posted` event and the digest's record (store.kv): a digest that is recorded is
 * posted, whatever Slack does meanwhile, and a scheduled one at most once per period.
 *
 * At most MAX_REMEDIATION_MESSAGES new remediations get their message with the digest, the most severe and soonest
 * due first: a first digest after a first sync may have thousands, and a channel of thousands of messages helps
 * nobody. The rest are in the CSV and on people's App Home (with the same buttons), and each gets its message
 * at its first step.
 */
import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { AuditEvent } from '../../app/audit.js';
import { LeaseLost } from '../../app/errors.js';
import { owedAdvisoryMessages } from '../../app/advisories/advisory-messages.js';
import type { EffectInput } from '../../app/outbox/effects.js';
import { claimDigestPeriod, createDigestContent, digestEntries, settleDigestPeriod, type DigestContent } from '../../app/reports/digest.js';
import { severityRank } from '../../domain/severity.js';
import { instant } from '../../domain/time.js';
import { assetsOf } from '../../app/reports/assets-of.js';
import type { Asset } from '../../domain/asset.js';
import { assetName } from '../views/asset-names.js';
import type { SlackDeps } from '../deps.js';
import { digestPages, digestSummary } from '../views/digest.js';
import type { SlackMessage } from '../views/remediation-message.js';
import { advisoriesCsv } from './advisories-csv.js';
import { remediationsCsv } from './csv.js';

/** New remediations that get their own message with a digest. */
export const MAX_REMEDIATION_MESSAGES = 30;

export interface PostDigestOptions {
  readonly trigger: 'scheduled' | 'on_demand';
  /** Who asked: a Slack user id, or `system:digest`. */
  readonly by: string;
  /** The scheduled digest: at most one per period; the period is held this long while it is recorded. */
  readonly period?: { readonly holdMs: number };
  /** False once the job's lease is lost: nothing is recorded then (LeaseLost). */
  readonly holds?: () => boolean;
}

export interface PostedDigest {
  readonly channel: string;
  /** The summary's ts; null while Slack has not taken it yet (the outbox keeps trying). */
  readonly ts: string | null;
  readonly period: string;
  readonly remediations: number;
  readonly fresh: number;
  readonly pages: number;
  readonly csv: boolean;
  readonly head: Pick<AuditEvent, 'seq' | 'hash'> | null;
}

export interface DigestPoster {
  /** Null when the period's scheduled digest was recorded already. */
  post(options: PostDigestOptions): Promise<PostedDigest | null>;
}

export function createDigestPoster(deps: SlackDeps): DigestPoster {
  const { store, channel, policy, logger } = deps;
  const select = createDigestContent({ store, inventory: deps.reports.inventory, reviewWithinDays: policy.advisories.reviewWithinDays, timeZone: policy.timezone, now: deps.now });

  /** The digest's messages, in the order they go out. */
  async function effects(content: DigestContent, subject: string): Promise<{ effects: EffectInput[]; chosen: string[]; pages: number; csv: boolean }> {
    const ctx = deps.messageContext();
    // Each asset by the name people know it by: the lists name instances and Snyk projects, the CSV every asset.
    const assets = await assetsOf(store, content.all.flatMap((r) => r.assetIds));
    const summary = digestSummary(content, ctx, assets);
    const inThread = (m: SlackMessage): EffectInput => ({ kind: 'slack.post', subject, data: { text: m.text, ...(m.blocks.length > 0 ? { blocks: m.blocks } : {}), thread: 'subject' } });
    // The pages and the CSV of 9,000 remediations take 40-50 ms each: each in its own turn of the event loop, so the
    // acks and people's work waiting meanwhile go between them.
    await nextTurn();
    const pages = summary.cut ? digestPages(content, ctx, assets) : [];
    await nextTurn();
    const csv = content.all.length > 0 ? csvEffect(content, subject, assets) : null;
    // The most severe (then soonest due) get a message, in due-date order.
    const bySeverity = [...content.fresh].sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id));
    const chosen = bySeverity.slice(0, MAX_REMEDIATION_MESSAGES).sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id));
    const held = bySeverity.length - chosen.length;
    const list: EffectInput[] = [
      { kind: 'slack.post', subject, data: { channel, text: summary.text, blocks: summary.blocks } },
      { kind: 'digest.anchor', subject },
      ...pages.map(inThread),
      ...(csv ? [csv] : []),
      ...advisoriesCsvEffect(content, subject),
      ...(held > 0 ? [inThread({ text: `${held.toLocaleString('en-US')} more new remediations are in the CSV above and on your App Home, with the same buttons; each gets its message here when work on it starts.`, blocks: [] })] : []),
      ...chosen.map((r): EffectInput => ({ kind: 'remediation.message', subject: r.id })),
    ];
    return { effects: list, chosen: chosen.map((r) => r.id), pages: pages.length, csv: csv !== null };
  }

  function csvEffect(content: DigestContent, subject: string, assets: ReadonlyMap<string, Asset>): EffectInput {
    const names = new Map([...assets.values()].map((a) => [a.id, assetName(a, a.id)]));
    const text = remediationsCsv(content.all, new Set(content.fresh.map((r) => r.id)), policy.sla, new Date(content.at), names);
    return {
      kind: 'digest.csv',
      subject,
      data: {
        csv: text,
        filename: `patchwarden-digest-${content.period}.csv`,
        title: `Patch digest ${content.period}: ${content.all.length} remediations`,
        comment: `The complete list: ${content.all.length} remediations (open, and new since the last digest).`,
      },
    };
  }

  /** Every advisory of the section (the baseline too, and older ones still awaiting review) as a CSV file. */
  function advisoriesCsvEffect(content: DigestContent, subject: string): EffectInput[] {
    const listed = content.advisories ? [...content.advisories.fresh, ...content.advisories.earlier] : [];
    if (listed.length === 0) return [];
    const text = advisoriesCsv(listed, policy.advisories.reviewWithinDays, new Date(content.at));
    const data = {
      csv: text,
      filename: `patchwarden-advisories-${content.period}.csv`,
      title: `Advisories ${content.period}: ${listed.length}`,
      comment: `Every advisory of this digest (${listed.length}): those first read since the last digest, the feeds' baseline among them, and those still awaiting review, with each review.`,
    };
    return [{ kind: 'digest.csv', subject, data }];
  }

  async function record(content: DigestContent, trigger: PostDigestOptions['trigger'], by: string, subject: string) {
    const planned = await effects(content, subject);
    // Advisories awaiting review with no message yet (more than a sync gives one) get theirs with the digest.
    const advisories = await owedAdvisoryMessages(store, deps.now());
    const data = { trigger, channel, since: content.since, open: content.open.total, overdue: content.overdue.length, dueThisMonth: content.dueThisMonth.length, fresh: content.fresh.length };
    await store.commit({
      events: [{ at: instant(deps.now()), actor: by, action: 'digest.posted', subject: `digest:${content.period}`, data }],
      effects: [...planned.effects, ...advisories.effects],
      kv: [...digestEntries({ at: content.at, period: content.period, subject }, trigger === 'scheduled'), ...advisories.kv],
    });
    return { ...planned, owed: advisories.effects.map((e) => e.subject) };
  }

  return {
    async post({ trigger, by, period, holds = () => true }) {
      const content = await select();
      if (period && !(await claimDigestPeriod(store, content.period, new Date(content.at), period.holdMs))) return null;
      const subject = `digest:${content.period}#${randomUUID().slice(0, 8)}`;
      let planned: Awaited<ReturnType<typeof record>>;
      try {
        if (!holds()) throw new LeaseLost('digest');
        planned = await record(content, trigger, by, subject);
      } catch (e) {
        if (period) await settleDigestPeriod(store, content.period, false);
        throw e;
      }
      if (period) await settleDigestPeriod(store, content.period, true);
      const head = await store.audit.head();
      await deps.outbox.drain([subject, ...planned.chosen, ...planned.owed]);
      const [summary] = await store.outbox.list({ subject, states: ['done'], limit: 1 });
      const ts = typeof summary?.result?.['ts'] === 'string' ? summary.result['ts'] : null;
      logger.info({ period: content.period, trigger, ts, fresh: content.fresh.length, remediations: content.all.length, pages: planned.pages, csv: planned.csv }, 'digest recorded');
      return { channel, ts, period: content.period, remediations: content.all.length, fresh: content.fresh.length, pages: planned.pages, csv: planned.csv, head: head && { seq: head.seq, hash: head.hash } };
    },
  };
}
