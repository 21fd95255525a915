/**
 * FIRST EPSS scores, looked up for the CVEs asked about, in batches whose `cve` list stays within the API's
 * 2000 characters, and cached per CVE in the store (KeyValue `feeds`/`epss:<CVE>`, unknown CVEs too) for a day.
 * When FIRST cannot be reached the cached scores are used however old; with none at all the call fails.
 */
import { z } from 'zod';
import { ExternalServiceError } from '../../app/errors.js';
import type { KeyValue } from '../../app/ports.js';
import type { Logger } from '../../logger.js';
import type { HttpGet } from '../shared/http-get.js';
import { mapLimit } from '../shared/map-limit.js';
import { parseResponse } from '../shared/parse.js';
import { DAY_MS } from '../shared/time.js';
import { FEEDS_NS } from './kev.js';

/** FIRST documents at most 2000 characters for the `cve` parameter, commas included. */
export const MAX_CVE_PARAM = 2000;

const score = z.union([z.string(), z.number()]).transform(Number).pipe(z.number().min(0).max(1));
const pageSchema = z.object({
  total: z.number().int().min(0).optional(),
  data: z.array(z.object({ cve: z.string(), epss: score })),
});
const cachedSchema = z.object({ epss: z.number().nullable(), at: z.string() });
type Cached = z.output<typeof cachedSchema>;

export interface EpssOptions {
  readonly url: string;
  readonly kv: KeyValue;
  readonly get: HttpGet;
  readonly logger: Logger;
  readonly now: () => Date;
}

const CVE = /^CVE-\d{4}-\d{4,}$/;
const keyOf = (cve: string): string => `epss:${cve}`;

/** Comma lists of at most MAX_CVE_PARAM characters. */
export function cveBatches(cves: readonly string[], max = MAX_CVE_PARAM): string[][] {
  const batches: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const cve of cves) {
    const extra = (current.length > 0 ? 1 : 0) + cve.length;
    if (current.length > 0 && length + extra > max) {
      batches.push(current);
      [current, length] = [[], 0];
    }
    length += (current.length > 0 ? 1 : 0) + cve.length;
    current.push(cve);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

export function createEpss({ url, kv, get, logger, now }: EpssOptions): (cves: readonly string[]) => Promise<ReadonlyMap<string, number>> {
  async function fetchBatch(batch: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (let offset = 0; ; ) {
      const res = await get(url, 'GET EPSS scores', { params: { cve: batch.join(','), limit: batch.length, offset } });
      const doc = parseResponse(pageSchema, res.data, 'epss', 'GET EPSS scores');
      for (const d of doc.data) out.set(d.cve.toUpperCase(), d.epss);
      offset += doc.data.length;
      if (doc.data.length === 0 || doc.total === undefined || offset >= doc.total) return out;
    }
  }

  return async (asked) => {
    const cves = [...new Set(asked.map((c) => c.trim().toUpperCase()).filter((c) => CVE.test(c)))].sort();
    const result = new Map<string, number>();
    if (cves.length === 0) return result;
    const stored = await kv.getMany<unknown>(FEEDS_NS, cves.map(keyOf));
    const cached = new Map<string, Cached>();
    for (const cve of cves) {
      const c = cachedSchema.safeParse(stored.get(keyOf(cve)));
      if (c.success) cached.set(cve, c.data);
    }
    const t = now();
    const due = cves.filter((c) => { const e = cached.get(c); return !e || t.getTime() - Date.parse(e.at) >= DAY_MS; });
    const batches = cveBatches(due);
    const failures: { batch: string[]; error: unknown }[] = [];
    const fetched = await mapLimit(batches, 4, (b) => fetchBatch(b).catch((error: unknown) => (failures.push({ batch: b, error }), null)));
    const writes = new Map<string, Cached>();
    batches.forEach((b, k) => {
      const scores = fetched[k];
      if (scores) for (const cve of b) writes.set(keyOf(cve), { epss: scores.get(cve) ?? null, at: t.toISOString() });
    });
    if (writes.size > 0) await kv.putMany(FEEDS_NS, writes);
    for (const cve of cves) {
      const e = (writes.get(keyOf(cve)) ?? cached.get(cve))?.epss;
      if (typeof e === 'number') result.set(cve, e);
    }
    if (failures.length > 0) {
      const unreachable = failures.flatMap((f) => f.batch);
      const first = failures[0]?.error;
      if (!unreachable.some((c) => cached.has(c))) throw first instanceof ExternalServiceError ? first : new ExternalServiceError('epss', String(first));
      logger.warn({ batches: failures.length, cves: unreachable.length, err: first instanceof Error ? first.message : String(first) }, 'EPSS unreachable: using cached scores');
    }
    return result;
  };
}
