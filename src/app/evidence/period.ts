/**
 * The period an evidence pack covers: a month (`2026-11`) or a range of days (`2026-10-01` to `2026-12-31`, both
 * included), in the policy's time zone, as the half-open interval of instants [from, to).
 */
import { err, ok, type Result } from '../../domain/result.js';
import { instant, type Instant } from '../../domain/time.js';
import { startOfDay } from '../workflow/accept-risk.js';

export interface Period {
  /** `2026-11`, or `2026-10-01_2026-12-31`: in file names and headings. */
  readonly label: string;
  /** First instant of the period. */
  readonly from: Instant;
  /** First instant after it. */
  readonly to: Instant;
  readonly timeZone: string;
}

export type PeriodInput = { readonly month: string } | { readonly from: string; readonly to: string };

export interface PeriodProblem {
  readonly code: 'pack.period_invalid';
  readonly text: string;
  readonly reason: string;
}

const problem = (text: string, reason: string): Result<Period, PeriodProblem> => err({ code: 'pack.period_invalid', text, reason });

/** The day after `YYYY-MM-DD`, as `YYYY-MM-DD`. */
function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** A period that starts after `now` has nothing in it yet: refused. One still running is fine (shown as of now). */
export function parsePeriod(input: PeriodInput, timeZone: string, now: Date): Result<Period, PeriodProblem> {
  if ('month' in input) {
    const m = /^(\d{4})-(\d{2})$/.exec(input.month.trim());
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return problem(input.month, 'a month is written YYYY-MM, such as 2026-11');
    const label = `${m[1]}-${m[2]}`;
    const first = `${label}-01`;
    const after = Number(m[2]) === 12 ? `${Number(m[1]) + 1}-01-01` : `${m[1]}-${String(Number(m[2]) + 1).padStart(2, '0')}-01`;
    const from = startOfDay(first, timeZone);
    const to = startOfDay(after, timeZone);
    return from && to ? checked({ label, from, to, timeZone }, input.month, now) : problem(input.month, 'not a calendar month');
  }
  const first = input.from.trim();
  const last = input.to.trim();
  const from = startOfDay(first, timeZone);
  const to = /^\d{4}-\d{2}-\d{2}$/.test(last) ? startOfDay(nextDay(last), timeZone) : null;
  const text = `${first} to ${last}`;
  if (!from) return problem(text, `“${first}” is not a day written YYYY-MM-DD`);
  if (!to || !startOfDay(last, timeZone)) return problem(text, `“${last}” is not a day written YYYY-MM-DD`);
  if (to <= from) return problem(text, 'the last day comes before the first');
  return checked({ label: `${first}_${last}`, from, to, timeZone }, text, now);
}

/** The period as people read it: `2026-11`, or `2026-10-01 to 2026-12-31`. */
export const periodName = (p: Pick<Period, 'label'>): string => p.label.replace('_', ' to ');

/** `patchwarden evidence`'s arguments for the same period. */
export function periodArgs(p: Pick<Period, 'label'>): string {
  const [first, last] = p.label.split('_');
  return last ? `--from ${first} --to ${last}` : `--period ${first}`;
}

function checked(p: Period, text: string, now: Date): Result<Period, PeriodProblem> {
  return p.from > instant(now) ? problem(text, 'it has not started yet') : ok(p);
}

/** The instant the pack shows records as of: the period's end, or now while it is still running. */
export const cutOff = (p: Period, now: Date): Instant => (p.to < instant(now) ? p.to : instant(now));
