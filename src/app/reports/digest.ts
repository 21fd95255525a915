/**
 * What the monthly digest contains (step 2 of the policy, in the channel): open remediations by severity, the
 * overdue ones, those due this month, those NEW since the last digest, and the coverage gaps. Posting it is the
 * Slack layer's job (src/slack/post-digest.ts); this file selects, and remembers when the last digest went out.
 *
 * "This month" and the period key (`2026-11`) are read in the policy's time zone.
 */
import { zonedTimeToUtc } from '../../domain/cron-expression.js';
import { type Remediation } from '../../domain/remediation.js';
import { OPEN_STATES } from '../../domain/remediation-state.js';
import { SEVERITIES, type Severity } from '../../domain/severity.js';
import { instant, type Instant } from '../../domain/time.js';
import { advisoryStatuses, overdueReviews, type AdvisoryStatus, type OverdueReviews } from '../advisories/advisory-status.js';
import type { InventoryReport, InventoryReporter } from './inventory-report.js';
import type { KeyValueEntry, Store } from '../ports.js';

const KV_NS = 'digest';
const KV_LAST = 'last';

export interface DigestRecord {
  /** When its contents were selected: the next digest's "new since". */
  readonly at: Instant;
  readonly period: string;
  /** The outbox subject of its messages (`digest:<period>#<id>`): where its summary went is in their results. */
  readonly subject: string;
}

export interface DigestContent {
  readonly at: Instant;
  /** `2026-11`: the month the digest is for, in the policy's time zone. */
  readonly period: string;
  /** The last digest's time; null before the first digest (then everything recorded so far is new). */
  readonly since: Instant | null;
  readonly open: { readonly total: number; readonly bySeverity: Readonly<Record<Severity, number>> };
  /** Open and past due, most overdue first. */
  readonly overdue: readonly Remediation[];
  /** Open, due from now to the end of the month. */
  readonly dueThisMonth: readonly Remediation[];
  /** Recorded since the last digest, whatever their state now: each gets its message with the digest. */
  readonly fresh: readonly Remediation[];
  /** Everything the digest covers (open ones and new ones), in due-date order: the CSV's rows. */
  readonly all: readonly Remediation[];
  readonly coverage: InventoryReport;
  /**
   * The Advisories section: those first read since the last digest (each appears in one digest; the baseline among
   * them too), those first read before that still awaiting review, and how reviews stand against the deadline.
   */
  readonly advisories?: { readonly fresh: readonly AdvisoryStatus[]; readonly earlier: readonly AdvisoryStatus[]; readonly reviews: OverdueReviews };
}

const monthFormatters = new Map<string, Intl.DateTimeFormat>();
function yearMonth(at: Date, timeZone: string): { y: number; m: number } {
  let f = monthFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric' });
    monthFormatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, Number(p.value)]));
  return { y: parts.year!, m: parts.month! };
}

/** `2026-11`: the month `at` falls in, in `timeZone`. */
export function digestPeriod(at: Date, timeZone: string): string {
  const { y, m } = yearMonth(at, timeZone);
  return `${y}-${String(m).padStart(2, '0')}`;
}

/** The first instant of the month after the one `at` falls in, in `timeZone`. */
export function endOfMonth(at: Date, timeZone: string): Instant {
  const { y, m } = yearMonth(at, timeZone);
  return instant(m === 12 ? zonedTimeToUtc(timeZone, y + 1, 1, 1, 0, 0) : zonedTimeToUtc(timeZone, y, m + 1, 1, 0, 0));
}

/** Selects a digest's contents from the remediations (pure). */
export function selectDigest(
  input: { open: readonly Remediation[]; fresh: readonly Remediation[]; coverage: InventoryReport; since: Instant | null },
  at: Date,
  timeZone: string,
): DigestContent {
  const now = instant(at);
  const monthEnd = endOfMonth(at, timeZone);
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const r of input.open) bySeverity[r.severity] += 1;
  const openIds = new Set(input.open.map((r) => r.id));
  const all = [...input.open, ...input.fresh.filter((r) => !openIds.has(r.id))].sort(
    (a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id),
  );
  return {
    at: now,
    period: digestPeriod(at, timeZone),
    since: input.since,
    open: { total: input.open.length, bySeverity },
    overdue: input.open.filter((r) => r.dueAt < now),
    dueThisMonth: input.open.filter((r) => r.dueAt >= now && r.dueAt < monthEnd),
    fresh: input.fresh,
    all,
    coverage: input.coverage,
  };
}

export interface DigestDeps {
  readonly store: Pick<Store, 'remediations' | 'kv'> & Partial<Pick<Store, 'advisories'>>;
  /** The policy's advisories.reviewWithinDays; with the store's advisories, the digest gets its Advisories section. */
  readonly reviewWithinDays?: number;
  readonly inventory: InventoryReporter;
  readonly timeZone: string;
  readonly now: () => Date;
}

export type SelectDigest = () => Promise<DigestContent>;

/** Advisories first read since the last digest (all, before the first), with their reviews and links; older ones still awaiting review. */
async function advisorySection(store: Pick<Store, 'advisories'>, since: Instant | null, reviewWithinDays: number, at: Date): Promise<DigestContent['advisories']> {
  const fresh = await store.advisories.list(since === null ? {} : { seenSince: since });
  const earlier = since === null ? [] : await store.advisories.list({ seenBefore: since, reviewed: false, baseline: false });
  return {
    fresh: await advisoryStatuses(store, fresh),
    earlier: (await advisoryStatuses(store, earlier)).filter((s) => s.links.length === 0),
    reviews: await overdueReviews(store, reviewWithinDays, at),
  };
}

export function createDigestContent({ store, inventory, reviewWithinDays, timeZone, now }: DigestDeps): SelectDigest {
  return async () => {
    const at = now();
    const last = await lastDigest(store);
    const since = last?.at ?? null;
    const [open, fresh, coverage] = await Promise.all([
      store.remediations.list({ states: OPEN_STATES }),
      store.remediations.list(since === null ? {} : { createdSince: since }),
      inventory(),
    ]);
    const content = selectDigest({ open, fresh, coverage, since }, at, timeZone);
    if (!store.advisories || reviewWithinDays === undefined) return content;
    return { ...content, advisories: await advisorySection({ advisories: store.advisories }, since, reviewWithinDays, at) };
  };
}

export const lastDigest = (store: Pick<Store, 'kv'>): Promise<DigestRecord | null> => store.kv.get<DigestRecord>(KV_NS, KV_LAST);

const scheduledKey = (period: string): string => `scheduled:${period}`;
const periodKey = (period: string): string => `digest:${period}`;

/**
 * The key-value entries a digest writes with its event and its messages, in one unit: the last digest (the next
 * one's "new since") and, for the scheduled one, the mark that its period is done.
 */
export const digestEntries = (record: DigestRecord, scheduled: boolean): KeyValueEntry[] => [
  { ns: KV_NS, key: KV_LAST, value: record },
  ...(scheduled ? [{ ns: KV_NS, key: scheduledKey(record.period), value: record }] : []),
];

/**
 * True for the one caller that may record a period's scheduled digest: two replicas, a late tick or a restart after
 * the digest was recorded never post it twice. The period's key is held while the digest is recorded (`holdMs`):
 * a crash before that lets the next run have it. Once the digest is recorded with its messages, a Slack error no
 * longer matters (the outbox posts them when Slack takes them). (A lead can always post one with `/patch digest`.)
 */
export async function claimDigestPeriod(store: Pick<Store, 'idempotency' | 'kv'>, period: string, at: Date, holdMs: number): Promise<boolean> {
  if (!(await store.idempotency.claim(periodKey(period), at, holdMs))) return false;
  if ((await store.kv.get(KV_NS, scheduledKey(period))) === null) return true;
  await store.idempotency.complete(periodKey(period));
  return false;
}

/** The period's scheduled digest is recorded (`done`), or was not and may be tried again. */
export const settleDigestPeriod = (store: Pick<Store, 'idempotency'>, period: string, done: boolean): Promise<void> =>
  done ? store.idempotency.complete(periodKey(period)) : store.idempotency.release(periodKey(period));
