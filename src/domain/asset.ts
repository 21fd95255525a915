import type { Instant } from './time.js';

export const ASSET_KINDS = ['repository', 'instance', 'application', 'other'] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];

export const SOURCES = ['github', 'snyk', 'ssm', 'manual'] as const;
export type Source = (typeof SOURCES)[number];

/** Something we patch: a repository, a managed instance, an application. Keyed by the source's own id. */
export interface Asset {
  /** e.g. `github:acme/api`, `snyk:project:<uuid>`, `ssm:i-0abc`, `manual:payroll`. */
  readonly id: string;
  readonly kind: AssetKind;
  /** What people call it: `acme/web`, `acme/web:package.json`, an instance's Name tag or ComputerName. */
  readonly name: string;
  readonly source: Source;
  /** `production`, `staging`, ... or null when unknown (a coverage gap). */
  readonly environment: string | null;
  /** Slack user id of the owner, or null (a coverage gap when it has findings). */
  readonly owner: string | null;
  /** Which `owners:` rule gave the owner (`owners[2] repository acme/pay*`), or null; absent on records from before. */
  readonly ownerRule?: string | null;
  readonly inScope: boolean;
  readonly lastSeenAt: Instant | null;
  readonly lastScannedAt: Instant | null;
  /** Source-specific facts worth keeping: SSM ping status, Dependabot enabled, Snyk project type... */
  readonly attributes: Readonly<Record<string, string | number | boolean | null>>;
}
