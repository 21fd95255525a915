/** Small pure helpers for Block Kit text: escaping, truncating, dates in the team's time zone, labels. */
import type { Resolution } from '../../domain/remediation.js';
import type { RemediationState } from '../../domain/remediation-state.js';
import type { Severity } from '../../domain/severity.js';

/** Slack mrkdwn needs only &, < and > escaped. */
export const escapeText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Cuts to `max` characters (Slack counts characters), ending with an ellipsis when cut. */
export function truncate(s: string, max: number): string {
  // UTF-16 length >= code points: short enough either way (the common case, without splitting the string).
  if (s.length <= max) return s;
  const chars = Array.from(s);
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}

export const mention = (userId: string | null | undefined): string => (userId ? (userId.startsWith('system:') ? 'patchwarden' : `<@${userId}>`) : '_no owner_');

export const SEVERITY_LABEL: Record<Severity, string> = {
  critical: ':red_circle: Critical',
  high: ':large_orange_circle: High',
  medium: ':large_yellow_circle: Medium',
  low: ':white_circle: Low',
};

export const STATE_LABEL: Record<RemediationState, string> = {
  new: 'New',
  assessed: 'Assessed',
  testing: 'In testing',
  tested: 'Tested',
  approved: 'Approved',
  scheduled: 'Scheduled',
  deploying: 'Deploying',
  deployed: 'Deployed',
  failed: 'Deployment failed',
  verified: 'Verified',
  reopened: 'Reopened',
  dismissal_review: 'Dismissed at the source: a lead decides',
  risk_accepted: 'Risk accepted',
};

export const RESOLUTION_LABEL: Record<Resolution, string> = {
  deployed: 'fixed by our deployment',
  fixed_upstream: 'fixed upstream',
  dismissed_upstream: 'dismissed at the source',
  risk_accepted: 'risk accepted',
};

const dateFormatters = new Map<string, Intl.DateTimeFormat>();

/** `Mon 30 Nov 2026` in the given time zone. */
export function formatDate(iso: string, timeZone: string): string {
  let f = dateFormatters.get(`d:${timeZone}`);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
    dateFormatters.set(`d:${timeZone}`, f);
  }
  return f.format(new Date(iso)).replace(',', '');
}

/** `Sat 28 Nov 22:00` in the given time zone. */
export function formatDateTime(iso: string, timeZone: string): string {
  let f = dateFormatters.get(`dt:${timeZone}`);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    dateFormatters.set(`dt:${timeZone}`, f);
  }
  return f.format(new Date(iso)).replace(',', '');
}

/** `in 3 days`, `today`, `2 days ago`: whole days between now and the instant. */
export function relativeDays(iso: string, now: Date): string {
  const days = Math.floor((new Date(iso).getTime() - now.getTime()) / 86_400_000);
  if (days === 0) return new Date(iso) >= now ? 'today' : 'today (passed)';
  if (days > 0) return days === 1 ? 'tomorrow' : `in ${days} days`;
  const ago = -days;
  return ago === 1 ? 'yesterday' : `${ago} days ago`;
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
