/**
 * Where a Snyk run left off: the newest issue `updated_at` read by the last complete run (`highWater`) and the
 * ids of the issues updated at exactly that instant (`atHighWater`). The next run asks for issues updated after
 * highWater minus 1 ms and skips those ids unless they changed again: nothing is missed whether Snyk's
 * `updated_after` is inclusive or not, and an unchanged re-run yields nothing.
 */
import { z } from 'zod';
import type { SyncCursor } from '../../app/ports.js';
import { readCursor, type ReadCursor } from '../shared/cursor.js';

export const snykCursorSchema = z.object({
  v: z.literal(1),
  orgId: z.string(),
  highWater: z.string().nullable(),
  atHighWater: z.array(z.string()),
});
export type SnykCursor = z.output<typeof snykCursorSchema>;

export const emptySnykCursor = (orgId: string): SnykCursor => ({ v: 1, orgId, highWater: null, atHighWater: [] });

export const readSnykCursor = (raw: SyncCursor | null, orgId: string): ReadCursor<SnykCursor> =>
  readCursor(snykCursorSchema, raw, emptySnykCursor(orgId), (c) => (c.orgId === orgId ? null : `organisation ${c.orgId}`));

/** The `updated_after` to ask for, or null for a full read. */
export const updatedAfter = (c: SnykCursor): string | null => (c.highWater === null ? null : new Date(Date.parse(c.highWater) - 1).toISOString());
