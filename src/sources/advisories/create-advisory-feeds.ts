/** The policy's advisory feeds, each an AdvisoryFeed on one axios instance that reads text (never JSON). */
import axios from 'axios';
import type { AdvisoryFeed } from '../../app/ports.js';
import type { Logger } from '../../logger.js';
import type { AdvisoryFeedPolicy } from '../../policy.js';
import { createHttpGet } from '../shared/http-get.js';
import type { RetryPolicy, Sleep } from '../shared/retry.js';
import { createAdvisoryFeed } from './advisory-feed.js';

/** A feed document larger than this is refused (10,000 AWS-sized items are about 7 MB). */
export const MAX_FEED_BYTES = 16 * 1024 * 1024;
export const FEED_TIMEOUT_MS = 30_000;

export interface AdvisoryFeedsOptions {
  readonly feeds: readonly AdvisoryFeedPolicy[];
  readonly logger: Logger;
  readonly now: () => Date;
  readonly sleep: Sleep;
  readonly policy: RetryPolicy;
  readonly timeoutMs?: number;
}

export function createAdvisoryFeeds(opts: AdvisoryFeedsOptions): AdvisoryFeed[] {
  if (opts.feeds.length === 0) return [];
  const http = axios.create({
    timeout: opts.timeoutMs ?? FEED_TIMEOUT_MS,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    maxContentLength: MAX_FEED_BYTES,
    maxRedirects: 5,
    headers: { Accept: 'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1' },
  });
  return opts.feeds.map(({ name, url }) => {
    const logger = opts.logger.child({ feed: name });
    const get = createHttpGet({ http, service: `feed “${name}”`, policy: opts.policy, sleep: opts.sleep, now: opts.now, logger });
    return createAdvisoryFeed({ name, url, get });
  });
}
