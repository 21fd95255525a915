/**
 * The next times a cron expression fires in a time zone: when maintenance windows open. Five fields
 * (minute hour day-of-month month day-of-week) or six with leading seconds; `*`, lists, ranges, steps, month and
 * day names, 7 for Sunday. Day-of-month and day-of-week both restricted means either may match (classic cron).
 * Pure: the time zone arithmetic uses Intl only.
 */

interface CronFields {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly days: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly weekdays: ReadonlySet<number>;
  readonly daysRestricted: boolean;
  readonly weekdaysRestricted: boolean;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function parseField(field: string, min: number, max: number, names: string[] = [], nameBase = 0): number[] {
  const value = (s: string): number => {
    const i = names.indexOf(s.toLowerCase());
    const n = i >= 0 ? i + nameBase : Number(s);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`cron: "${s}" is out of range ${min}-${max}`);
    return n;
  };
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const [range = '*', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`cron: bad step in "${part}"`);
    const [lo, hi] = range === '*' ? [min, max] : range.includes('-') ? range.split('-').map(value) : [value(range), stepText ? max : value(range)];
    for (let n = lo!; n <= hi!; n += step) out.add(n);
  }
  return [...out].sort((a, b) => a - b);
}

export function parseCron(expr: string): CronFields {
  const parts = expr.trim().split(/\s+/);
  if (parts.length === 6) parts.shift(); // seconds: windows open on the minute
  if (parts.length !== 5) throw new Error(`cron: expected 5 fields, got ${parts.length} in "${expr}"`);
  const [mi, h, dom, mon, dow] = parts as [string, string, string, string, string];
  return {
    minutes: parseField(mi, 0, 59),
    hours: parseField(h, 0, 23),
    days: new Set(parseField(dom, 1, 31)),
    months: new Set(parseField(mon, 1, 12, MONTHS, 1)),
    weekdays: new Set(parseField(dow, 0, 7, WEEKDAYS).map((d) => d % 7)),
    daysRestricted: dom !== '*',
    weekdaysRestricted: dow !== '*',
  };
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function wallClock(tz: string, t: number): { y: number; m: number; d: number; hh: number; mm: number } {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formatters.set(tz, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(t)).map((x) => [x.type, Number(x.value)]));
  return { y: p.year!, m: p.month!, d: p.day!, hh: p.hour!, mm: p.minute! };
}

const offsetAt = (tz: string, t: number): number => {
  const w = wallClock(tz, t);
  return Date.UTC(w.y, w.m - 1, w.d, w.hh, w.mm) - Math.floor(t / 60_000) * 60_000;
};

/** The UTC instant of a wall-clock time in `tz` (a time skipped by a DST jump moves forward by the jump). */
export function zonedTimeToUtc(tz: string, y: number, m: number, d: number, hh: number, mm: number): Date {
  const target = Date.UTC(y, m - 1, d, hh, mm);
  const first = target - offsetAt(tz, target);
  const t = target - offsetAt(tz, first);
  if (target - offsetAt(tz, t) === t) return new Date(t);
  // In a spring-forward gap: read the wall time with the offset in force just before the jump.
  return new Date(target - offsetAt(tz, target - 86_400_000));
}

/** The next `count` instants strictly after `after` at which `expr` fires in `tz` (searching up to ~5 years). */
export function nextFirings(expr: string, tz: string, after: Date, count: number): Date[] {
  const c = parseCron(expr);
  const out: Date[] = [];
  const start = wallClock(tz, after.getTime());
  const day = new Date(Date.UTC(start.y, start.m - 1, start.d));
  for (let i = 0; i < 5 * 366 && out.length < count; i += 1, day.setUTCDate(day.getUTCDate() + 1)) {
    const [y, m, d, wd] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), day.getUTCDay()];
    if (!c.months.has(m)) continue;
    const domOk = c.days.has(d);
    const dowOk = c.weekdays.has(wd);
    const dayOk = c.daysRestricted && c.weekdaysRestricted ? domOk || dowOk : domOk && dowOk;
    if (!dayOk) continue;
    for (const hh of c.hours) {
      for (const mm of c.minutes) {
        const t = zonedTimeToUtc(tz, y, m, d, hh, mm);
        if (t > after && out.length < count && !out.some((o) => o.getTime() === t.getTime())) out.push(t);
      }
    }
  }
  return out;
}
