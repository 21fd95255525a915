/** The enrichment feeds behind the EnrichmentFeeds port; a feed whose URL is null is off (empty answers). */
import axios from 'axios';
import type { EnrichmentFeeds, KeyValue } from '../../app/ports.js';
import type { Logger } from '../../logger.js';
import { createHttpGet } from '../shared/http-get.js';
import type { RetryPolicy, Sleep } from '../shared/retry.js';
import { createEpss } from './epss.js';
import { createKev } from './kev.js';

export interface FeedsOptions {
  readonly kevUrl: string | null;
  readonly epssUrl: string | null;
  readonly kv: KeyValue;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly sleep: Sleep;
  readonly policy: RetryPolicy;
  readonly timeoutMs?: number;
}

export function createFeeds(opts: FeedsOptions): EnrichmentFeeds {
  const http = axios.create({ timeout: opts.timeoutMs ?? 60_000, headers: { Accept: 'application/json' } });
  const getter = (service: string, logger: Logger) => createHttpGet({ http, service, policy: opts.policy, sleep: opts.sleep, now: opts.now, logger });
  const kevLog = opts.logger.child({ feed: 'kev' });
  const epssLog = opts.logger.child({ feed: 'epss' });
  const kev = opts.kevUrl ? createKev({ url: opts.kevUrl, kv: opts.kv, get: getter('kev', kevLog), logger: kevLog, now: opts.now }) : null;
  const epss = opts.epssUrl ? createEpss({ url: opts.epssUrl, kv: opts.kv, get: getter('epss', epssLog), logger: epssLog, now: opts.now }) : null;
  return {
    kevDueDates: () => (kev ? kev() : Promise.resolve(new Map())),
    epssScores: (cves) => (epss ? epss(cves) : Promise.resolve(new Map())),
  };
}
