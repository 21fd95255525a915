/**
 * Where a GitHub run left off. Stored by the sync between runs; anything unreadable means a full sync.
 *
 * - `highWater`: the newest alert `updated_at` read by the last complete listing; the next run reads the listing
 *   newest-first and stops at it. `atHighWater`: the alerts (`org/repo#n`) updated at exactly that instant, not
 *   yielded again unless they changed (an alert updated in the same second after the read still is).
 * - `etag`: the ETag of that listing's first page; sent as If-None-Match, a 304 means nothing changed at all.
 * - `fullAt`: when the last full listing ran; after `FULL_SYNC_EVERY_MS` the next run is full again (a safety net
 *   for anything an incremental run cannot see, e.g. a repository whose alerts were switched off).
 * - `withAlerts`: repositories seen with at least one alert (their alerts are enabled: never probed).
 * - `probes`: per repository without alerts, when it was last probed, what it said and the probe's ETag.
 */
import { z } from 'zod';
import type { SyncCursor } from '../../app/ports.js';
import { readCursor, type ReadCursor } from '../shared/cursor.js';
import { DAY_MS } from '../shared/time.js';

export const FULL_SYNC_EVERY_MS = 7 * DAY_MS;
export const PROBE_EVERY_MS = DAY_MS;

const probeSchema = z.object({ at: z.string(), disabled: z.boolean(), etag: z.string().nullable() });

export const githubCursorSchema = z.object({
  v: z.literal(1),
  org: z.string(),
  highWater: z.string().nullable(),
  atHighWater: z.array(z.string()),
  etag: z.string().nullable(),
  fullAt: z.string().nullable(),
  withAlerts: z.array(z.string()),
  probes: z.record(z.string(), probeSchema),
});

export type GithubCursor = z.output<typeof githubCursorSchema>;
export type Probe = z.output<typeof probeSchema>;

export const emptyGithubCursor = (org: string): GithubCursor => ({ v: 1, org, highWater: null, atHighWater: [], etag: null, fullAt: null, withAlerts: [], probes: {} });

export const readGithubCursor = (raw: SyncCursor | null, org: string): ReadCursor<GithubCursor> =>
  readCursor(githubCursorSchema, raw, emptyGithubCursor(org), (c) => (c.org === org ? null : c.org));
