/** The per-instance reads of an SSM run: patch states in batches of 50, missing / failed patches, hybrid node tags. */
import { ExternalServiceError } from '../../app/errors.js';
import type { SsmApi } from './client.js';
import type { TagFacts } from './cursor.js';
import type { Patch, PatchState } from './schemas.js';

/** DescribeInstancePatchStates takes at most 50 instance ids. */
export const PATCH_STATE_BATCH = 50;

const isAws = (e: unknown, name: string): boolean => e instanceof ExternalServiceError && e.message.includes(`failed with ${name}:`);

export async function patchStates(api: SsmApi, instanceIds: readonly string[]): Promise<Map<string, PatchState>> {
  const out = new Map<string, PatchState>();
  for (let i = 0; i < instanceIds.length; i += PATCH_STATE_BATCH) {
    const ids = instanceIds.slice(i, i + PATCH_STATE_BATCH);
    let token: string | undefined;
    do {
      const res = await api.describeInstancePatchStates({ InstanceIds: ids, MaxResults: 50, ...(token ? { NextToken: token } : {}) });
      for (const s of res.InstancePatchStates) out.set(s.InstanceId, s);
      token = res.NextToken;
    } while (token);
  }
  return out;
}

/** Missing and failed patches of one instance; null when the instance is no longer managed (deregistered mid-run). */
export async function missingPatches(api: SsmApi, instanceId: string): Promise<Patch[] | null> {
  const out: Patch[] = [];
  let token: string | undefined;
  try {
    do {
      const res = await api.describeInstancePatches({ InstanceId: instanceId, Filters: [{ Key: 'State', Values: ['Missing', 'Failed'] }], MaxResults: 100, ...(token ? { NextToken: token } : {}) });
      out.push(...res.Patches.filter((p) => p.State === 'MISSING' || p.State === 'FAILED'));
      token = res.NextToken;
    } while (token);
  } catch (e) {
    if (isAws(e, 'InvalidInstanceId')) return null;
    throw e;
  }
  return out;
}

/** Owner, environment and every other tag of a hybrid `mi-` node (ListTagsForResource serves no EC2 `i-` ids). */
export async function hybridTags(api: SsmApi, instanceId: string, ownerTag: string, environmentTag: string, at: string): Promise<TagFacts> {
  try {
    const res = await api.listTags(instanceId);
    const tag = (key: string): string | null => res.TagList.find((t) => t.Key === key)?.Value || null;
    return { at, owner: tag(ownerTag), environment: tag(environmentTag), all: Object.fromEntries(res.TagList.map((t) => [t.Key, t.Value])) };
  } catch (e) {
    if (isAws(e, 'InvalidResourceId')) return { at, owner: null, environment: null, all: {} };
    throw e;
  }
}
