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

/** Instance id -> environment, the first environment (in the policy's order) that lists it. */
export async function resolveEnvironments(api: SsmApi, envs: readonly EnvironmentFilters[], logger: Logger): Promise<{ byInstance: Map<string, string>; requests: number }> {
  const byInstance = new Map<string, string>();
  let requests = 0;
  for (const env of envs) {
    let token: string | undefined;
    do {
      const out = await api.describeInstanceInformation({ Filters: env.filters, MaxResults: 50, ...(token ? { NextToken: token } : {}) });
      requests += 1;
      for (const i of out.InstanceInformationList) {
        const other = byInstance.get(i.InstanceId);
        if (other === undefined) byInstance.set(i.InstanceId, env.name);
        else logger.warn({ instanceId: i.InstanceId, environments: [other, env.name] }, `instance matches the SSM targets of two environments: kept ${other}`);
      }
      token = out.NextToken;
    } while (token);
  }
  return { byInstance, requests };
}
