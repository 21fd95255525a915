/**
 * AWS SSM as a VulnerabilitySource: managed instances as assets (environment from the policy's ssmTargets, owner
 * from the owner tag where SSM can read it), their missing and failed patches as findings. Per listing page of 50
 * instances: one DescribeInstancePatchStates, then DescribeInstancePatches only for instances whose patch-state
 * snapshot changed since the cursor; each such instance is `completeFor` (a patch no longer listed was installed).
 */
import type { SourceRun, SyncCursor, VulnerabilitySource } from '../../app/ports.js';
import type { Policy } from '../../config.js';
import type { Finding } from '../../domain/finding.js';
import type { Logger } from '../../logger.js';
import { limiter, mapLimit } from '../shared/map-limit.js';
import { prefetchNextPage, type Produced } from '../shared/prefetch-next-page.js';
import type { SsmApi } from './client.js';
import { readSsmCursor, TAGS_EVERY_MS, type SsmCursor, type TagFacts } from './cursor.js';
import { environmentFilters, resolveEnvironments } from './environments.js';
import { hybridTags, missingPatches, patchStates } from './instance-reads.js';
import { instanceAsset, patchFinding, snapshotKey } from './map.js';

export interface SsmSourceOptions {
  readonly region: string;
  readonly api: SsmApi;
  readonly policy: Pick<Policy, 'environments' | 'inventory'>;
  readonly logger: Logger;
  /** Per-instance calls in flight at once; default 8. */
  readonly concurrency?: number;
}

/** Listing pages fetched ahead of the one being read (50 instances each): enough to outrun the environments' listings. */
const LISTING_AHEAD = 32;
/** Patch-state calls in flight at once (one per listing page), kept low: SSM throttles bursts. */
const STATES_IN_FLIGHT = 4;

/** Keeps up to `ahead` items of `source` requested before the consumer asks (an async generator serves them in order). */
async function* runAhead<T>(source: AsyncGenerator<T, void, undefined>, ahead: number): AsyncGenerator<T, void, undefined> {
  const queued: Promise<IteratorResult<T, void>>[] = [];
  const fill = (): void => {
    while (queued.length < ahead) {
      const item = source.next();
      item.catch(() => undefined); // awaited in order below
      queued.push(item);
    }
  };
  try {
    for (;;) {
      fill();
      const item = await queued.shift()!;
      if (item.done) return;
      yield item.value;
    }
  } finally {
    void source.return(undefined).catch(() => undefined);
  }
}

export function createSsmSource({ region, api, policy, logger, concurrency = 8 }: SsmSourceOptions): VulnerabilitySource {
  const log = logger.child({ source: 'ssm', region });
  const envFilters = environmentFilters(policy.environments, log);
  const { ownerTag, environmentTag } = policy.inventory;

  function run(raw: SyncCursor | null, now: Date): SourceRun {
    const { cursor: prev, problem } = readSsmCursor(raw, region);
    if (problem) log.warn(problem);
    let next: SsmCursor = prev;
    const at = now.toISOString();
    const before = { ...api.stats, byOperation: { ...api.stats.byOperation } };

    type Listed = Awaited<ReturnType<SsmApi['describeInstanceInformation']>>;
    const oneOfFew = limiter(STATES_IN_FLIGHT);
    /** Each listing page with its patch states already asked for (a failure surfaces when they are awaited). */
    async function* listing(): AsyncGenerator<{ listed: Listed; states: ReturnType<typeof patchStates> }, void, undefined> {
      let token: string | undefined;
      do {
        const listed = await api.describeInstanceInformation({ MaxResults: 50, ...(token ? { NextToken: token } : {}) });
        token = listed.NextToken;
        const states = oneOfFew(() => patchStates(api, listed.InstanceInformationList.map((i) => i.InstanceId)));
        states.catch(() => undefined);
        yield { listed, states };
      } while (token);
    }

    async function* produce(): AsyncGenerator<Produced, void, undefined> {
      // The environments' filtered listings and the instance listing walk their NextToken chains on their own, as fast
      // as SSM answers, while the pages already listed are read for patch states: one round trip per page overall.
      const environments = resolveEnvironments(api, envFilters, log);
      environments.catch(() => undefined);
      const pages = runAhead(listing(), LISTING_AHEAD);
      const snapshots: Record<string, string> = {};
      const tags: Record<string, TagFacts> = {};
      let token: string | undefined;
      let done = 0;
      let read = 0;
      for await (const { listed, states: pageStates } of pages) {
        token = listed.NextToken;
        const batch = listed.InstanceInformationList;
        const dueTags = batch.filter((i) => i.InstanceId.startsWith('mi-')).filter((i) => {
          const t = prev.tags[i.InstanceId];
          return t === undefined || t.all === undefined || now.getTime() - Date.parse(t.at) >= TAGS_EVERY_MS;
        });
        const readTags = await mapLimit(dueTags, concurrency, (i) => hybridTags(api, i.InstanceId, ownerTag, environmentTag, at));
        const batchTags = new Map(dueTags.map((i, k) => [i.InstanceId, readTags[k] as TagFacts]));
        const states = await pageStates;
        const changed = batch.filter((i) => {
          const s = states.get(i.InstanceId);
          return s !== undefined && snapshotKey(s) !== prev.snapshots[i.InstanceId];
        });
        const patches = await mapLimit(changed, concurrency, async (i) => {
          const s = states.get(i.InstanceId);
          return s && (s.MissingCount ?? 0) + (s.FailedCount ?? 0) === 0 ? [] : missingPatches(api, i.InstanceId);
        });
        const findings: Finding[] = [];
        const completeFor: string[] = [];
        changed.forEach((i, k) => {
          const list = patches[k];
          const state = states.get(i.InstanceId);
          if (!list || !state) return;
          completeFor.push(`ssm:${i.InstanceId}`);
          findings.push(...list.map((p) => patchFinding(i.InstanceId, p, state.OperationEndTime.toISOString())));
          snapshots[i.InstanceId] = snapshotKey(state);
        });
        for (const i of batch) {
          const kept = prev.snapshots[i.InstanceId];
          if (snapshots[i.InstanceId] === undefined && kept !== undefined && !changed.includes(i)) snapshots[i.InstanceId] = kept;
          const t = batchTags.get(i.InstanceId) ?? prev.tags[i.InstanceId];
          if (t && i.InstanceId.startsWith('mi-')) tags[i.InstanceId] = t;
        }
        const envs = await environments;
        const assets = batch.map((i) => {
          const t = tags[i.InstanceId];
          const fromTag = t?.environment && t.environment in policy.environments ? t.environment : null;
          return instanceAsset(i, states.get(i.InstanceId), { environment: envs.byInstance.get(i.InstanceId) ?? fromTag, owner: t?.owner ?? null, tags: t?.all ?? {} }, at);
        });
        done += batch.length;
        read += completeFor.length;
        const last = token === undefined;
        const batchSnapshots = { ...snapshots };
        const batchTagsSoFar = { ...tags };
        yield {
          page: { assets, findings, completeFor, progress: { done, total: last ? done : null, unit: 'instances' } },
          commit: () => (next = last ? { v: 1, region, snapshots: batchSnapshots, tags: batchTagsSoFar } : { ...next, snapshots: { ...next.snapshots, ...batchSnapshots }, tags: { ...next.tags, ...batchTagsSoFar } }),
        };
      }
      const ops = Object.fromEntries(Object.entries(api.stats.byOperation).map(([k, v]) => [k, v - (before.byOperation[k] ?? 0)]));
      log.info({ instances: done, patchesRead: read, requests: api.stats.requests - before.requests, retries: api.stats.retries - before.retries, byOperation: ops }, 'SSM read');
    }

    return { pages: prefetchNextPage(produce()), cursor: () => next };
  }

  return { name: 'ssm', run };
}
