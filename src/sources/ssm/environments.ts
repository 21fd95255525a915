/**
 * Which environment an instance is in. DescribeInstanceInformation returns no tags, but it filters by them:
 * each environment's ssmTargets from the policy (the same targets a patch run uses) become Filters, and the
 * instances it lists are that environment's. `resource-groups:Name` cannot be a filter there, so an
 * environment targeted that way cannot be resolved (its instances stay unassigned; logged).
 */
import type { InstanceInformationStringFilter } from '@aws-sdk/client-ssm';
import type { Policy } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { SsmApi } from './client.js';

export interface EnvironmentFilters {
  readonly name: string;
  readonly filters: InstanceInformationStringFilter[];
}

export function environmentFilters(environments: Policy['environments'], logger: Logger): EnvironmentFilters[] {
  const out: EnvironmentFilters[] = [];
  for (const [name, env] of Object.entries(environments)) {
    if (env.ssmTargets.length === 0) continue;
    const unsupported = env.ssmTargets.filter((t) => t.key.startsWith('resource-groups:'));
    if (unsupported.length > 0) {
      logger.warn({ environment: name }, 'SSM targets by resource group cannot be resolved from SSM: this environment’s instances stay unassigned');
      continue;
    }
    out.push({ name, filters: env.ssmTargets.map((t) => ({ Key: t.key, Values: [...t.values] })) });
  }
  return out;
}

/**
 * Instance id -> environment, the first environment (in the policy's order) that lists it. The environments are
 * listed at the same time (each one's pages in turn), and merged in the policy's order.
 */
export async function resolveEnvironments(api: SsmApi, envs: readonly EnvironmentFilters[], logger: Logger): Promise<{ byInstance: Map<string, string>; requests: number }> {
  let requests = 0;
  const listed = await Promise.all(
    envs.map(async (env) => {
      const ids: string[] = [];
      let token: string | undefined;
      do {
        const out = await api.describeInstanceInformation({ Filters: env.filters, MaxResults: 50, ...(token ? { NextToken: token } : {}) });
        requests += 1;
        ids.push(...out.InstanceInformationList.map((i) => i.InstanceId));
        token = out.NextToken;
      } while (token);
      return ids;
    }),
  );
  const byInstance = new Map<string, string>();
  envs.forEach((env, k) => {
    for (const id of listed[k] ?? []) {
      const other = byInstance.get(id);
      if (other === undefined) byInstance.set(id, env.name);
      else logger.warn({ instanceId: id, environments: [other, env.name] }, `instance matches the SSM targets of two environments: kept ${other}`);
    }
  });
  return { byInstance, requests };
}
