/**
 * Which instances a run patches, and the blast radius people see before it. Production: the environment's
 * `ssmTargets` intersected with the remediation's own instances. Staging: the non-production environment's targets
 * (its own instances when the remediation is itself on a non-production environment), on the same platforms as the
 * remediation's instances. `resolveTargets` asks SSM (right before a run: what is managed now); `plannedTargets`
 * reads the store (what the last sync saw: quick enough for a modal).
 */
import type { Asset } from '../../domain/asset.js';
import { deployPath, instanceIdsOf } from '../../domain/deploy-path.js';
import type { Remediation } from '../../domain/remediation.js';
import { err, ok, type Result } from '../../domain/result.js';
import type { SsmRun } from '../../domain/run-records.js';
import type { Policy } from '../../policy.js';
import type { AppError } from '../errors.js';
import type { Store } from '../ports.js';
import type { DeployConnectors, ManagedInstance, SsmTarget } from './deploy-ports.js';

export type Stage = 'production' | 'staging';

export interface Targets {
  readonly environment: string;
  readonly instances: readonly ManagedInstance[];
}

type Environments = Policy['environments'];

/** Where a remediation's staging run goes: its own environment when that is non-production, else the first one with targets. */
export function stagingEnvironment(environments: Environments, r: Pick<Remediation, 'remedy'>): string | null {
  const own = r.remedy.kind === 'os_patches' ? r.remedy.environment : null;
  if (own && environments[own] && !environments[own].production) return own;
  const names = Object.keys(environments).filter((n) => !environments[n]!.production && environments[n]!.ssmTargets.length > 0);
  return names.sort((a, b) => Number(b === 'staging') - Number(a === 'staging') || a.localeCompare(b))[0] ?? null;
}

function environmentOf(environments: Environments, r: Remediation, stage: Stage): Result<{ environment: string; targets: SsmTarget[]; own: boolean }, AppError> {
  const path = deployPath(r);
  if (path.kind !== 'ssm') return err({ code: 'deploy.not_applicable', action: stage === 'staging' ? 'run it in staging' : 'run SSM on it', why: 'it is not an OS-patch remediation' });
  const environment = stage === 'production' ? path.environment : stagingEnvironment(environments, r);
  if (!environment) return err({ code: 'deploy.no_targets', environment: 'staging', why: 'no_environment' });
  const env = environments[environment];
  if (!env) return err({ code: 'deploy.no_targets', environment, why: 'no_environment' });
  if (env.ssmTargets.length === 0) return err({ code: 'deploy.no_targets', environment, why: 'no_ssm_targets' });
  if (env.ssmTargets.some((t) => t.key.startsWith('resource-groups:'))) return err({ code: 'deploy.no_targets', environment, why: 'resource_groups' });
  return ok({ environment, targets: env.ssmTargets, own: environment === path.environment });
}

const platformsOf = (assets: readonly Asset[]): string[] =>
  [...new Set(assets.map((a) => a.attributes.platform).filter((p): p is string => typeof p === 'string' && p !== ''))].sort();

const found = (environment: string, instances: readonly ManagedInstance[]): Result<Targets, AppError> =>
  instances.length > 0 ? ok({ environment, instances: [...instances].sort((a, b) => a.instanceId.localeCompare(b.instanceId)) }) : err({ code: 'deploy.no_targets', environment, why: 'none_matched' });

/** The instances as SSM manages them now: what a run is sent to. */
export async function resolveTargets(deps: { store: Pick<Store, 'assets'>; connectors: DeployConnectors; environments: Environments }, r: Remediation, stage: Stage): Promise<Result<Targets, AppError>> {
  const ssm = deps.connectors.ssm;
  if (!ssm) return err({ code: 'deploy.not_configured', service: 'AWS Systems Manager' });
  const env = environmentOf(deps.environments, r, stage);
  if (!env.ok) return env;
  const { environment, targets, own } = env.value;
  if (own) return found(environment, await ssm.instances(targets, { instanceIds: instanceIdsOf(r) }));
  const platforms = platformsOf(await deps.store.assets.getMany(r.assetIds));
  return found(environment, await ssm.instances(targets, { platforms }));
}

/** The instances as the store last saw them: the blast radius shown on a modal, without asking SSM. */
export async function plannedTargets(deps: { store: Pick<Store, 'assets'>; environments: Environments }, r: Remediation, stage: Stage): Promise<Result<Targets, AppError>> {
  const env = environmentOf(deps.environments, r, stage);
  if (!env.ok) return env;
  const { environment, own } = env.value;
  const mine = await deps.store.assets.getMany(r.assetIds);
  const pool = own ? mine : (await deps.store.assets.list({ source: 'ssm' })).filter((a) => platformsOf(mine).length === 0 || platformsOf([a]).some((p) => platformsOf(mine).includes(p)));
  const inEnv = pool.filter((a) => a.kind === 'instance' && a.environment === environment && a.id.startsWith('ssm:'));
  return found(environment, inEnv.map((a) => ({ instanceId: a.id.slice(4), name: a.name === a.id.slice(4) ? null : a.name, platform: platformsOf([a])[0] ?? null })));
}

/** A run as the policy shapes it, before anything is sent: every instance pending, no command ids. */
export function plannedRun(deploy: Policy['deploy'], operation: 'Install' | 'Scan', targets: Targets): SsmRun {
  return {
    kind: 'ssm_run',
    operation,
    environment: targets.environment,
    document: deploy.document,
    rebootOption: deploy.rebootOption,
    maxConcurrency: deploy.maxConcurrency,
    maxErrors: deploy.maxErrors,
    commandIds: [],
    instances: targets.instances.map((i) => ({ instanceId: i.instanceId, name: i.name, status: 'Pending', statusDetails: 'Pending', responseCode: null, output: '', startedAt: null, finishedAt: null })),
  };
}
