/**
 * Where an SSM run left off: per instance, the patch-state snapshot whose patches were last read
 * (`snapshots`: SnapshotId|OperationEndTime; an unchanged one is not read again), and the tags read from hybrid
 * (`mi-`) nodes with when they were read (`tags`; re-read after TAGS_EVERY_MS).
 */
import { z } from 'zod';
import type { SyncCursor } from '../../app/ports.js';
import { readCursor, type ReadCursor } from '../shared/cursor.js';
import { DAY_MS } from '../shared/time.js';

export const TAGS_EVERY_MS = DAY_MS;

/** `all`: every tag read (the Name tag names the instance; owner rules may match any); absent in cursors from before. */
const tagsSchema = z.object({ at: z.string(), owner: z.string().nullable(), environment: z.string().nullable(), all: z.record(z.string(), z.string()).optional() });

export const ssmCursorSchema = z.object({
  v: z.literal(1),
  region: z.string(),
  snapshots: z.record(z.string(), z.string()),
  tags: z.record(z.string(), tagsSchema),
});
export type SsmCursor = z.output<typeof ssmCursorSchema>;
export type TagFacts = z.output<typeof tagsSchema>;

export const emptySsmCursor = (region: string): SsmCursor => ({ v: 1, region, snapshots: {}, tags: {} });

export const readSsmCursor = (raw: SyncCursor | null, region: string): ReadCursor<SsmCursor> =>
  readCursor(ssmCursorSchema, raw, emptySsmCursor(region), (c) => (c.region === region ? null : c.region));
