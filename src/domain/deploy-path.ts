/**
 * How a remediation is deployed, read from what it fixes (pure): OS patches by an SSM run on its environment's
 * instances; a package upgrade that Dependabot reported by merging Dependabot's pull request in that repository;
 * one only Snyk reported by a lead marking the outside change deployed.
 */
import type { Remediation } from './remediation.js';

export type DeployPath =
  | { readonly kind: 'ssm'; readonly environment: string; readonly patchIds: readonly string[] }
  | { readonly kind: 'dependabot'; readonly repository: string; readonly package: string; readonly version: string | null }
  | { readonly kind: 'manual' }
  | { readonly kind: 'none'; readonly why: string };

/** `github:acme/api:alert:12` -> `acme/api`. */
export const repositoryOfAlert = (findingId: string): string | null => /^github:([^/:\s]+\/[^/:\s]+):alert:\d+$/.exec(findingId)?.[1] ?? null;

/** Instance ids of a remediation's SSM assets (`ssm:i-0abc` -> `i-0abc`). */
export const instanceIdsOf = (r: Pick<Remediation, 'assetIds'>): string[] => r.assetIds.filter((a) => a.startsWith('ssm:')).map((a) => a.slice(4));

export function deployPath(r: Pick<Remediation, 'remedy' | 'findingIds'>): DeployPath {
  const remedy = r.remedy;
  if (remedy.kind === 'os_patches') return { kind: 'ssm', environment: remedy.environment, patchIds: remedy.patchIds };
  if (remedy.kind === 'manual') return { kind: 'none', why: 'it is a manual remediation, with no automated way to deploy it' };
  const repository = r.findingIds.map(repositoryOfAlert).find((x): x is string => x !== null);
  if (repository) return { kind: 'dependabot', repository, package: remedy.package, version: remedy.fixedIn };
  if (r.findingIds.some((f) => f.startsWith('snyk:'))) return { kind: 'manual' };
  return { kind: 'none', why: 'no source reported it, so nothing can deploy or verify it' };
}
