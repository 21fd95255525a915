/**
 * Instants are stored as ISO 8601 UTC strings (`2026-11-28T09:00:00.000Z`): they sort as text, survive JSON
 * unchanged and hash the same everywhere. Domain functions take `now: Date` and return strings.
 */
export type Instant = string;

const DAY_MS = 86_400_000;

export const instant = (d: Date): Instant => d.toISOString();
export const addDays = (d: Date, days: number): Date => new Date(d.getTime() + days * DAY_MS);
export const daysBetween = (from: Date, to: Date): number => (to.getTime() - from.getTime()) / DAY_MS;
export const earliest = (a: Instant, b: Instant | null | undefined): Instant => (b && b < a ? b : a);
