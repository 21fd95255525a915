/**
 * Who owns an asset or a remediation, from the policy's `owners:` rules: neither SSM nor the alert APIs say who owns
 * an EC2 instance or a repository. Rules are tried in the order written; the first that matches gives the owner and
 * is named beside it (`owners[2] repository acme/pay*`), so the inventory can say why. An owner the source itself
 * gives (an SSM owner tag holding a Slack id, where SSM can read tags) comes after the rules; the `default` entry
 * comes last, wherever it is written.
 */
import type { Asset } from './asset.js';
import type { Remedy } from './remediation.js';

export type OwnerMatch =
  | { readonly repository: string }
  | { readonly snykProject: string }
  | { readonly environment: string }
  | { readonly patchGroup: string }
  | { readonly tag: { readonly key: string; readonly value: string } }
  | { readonly default: true };

/** One `owners:` entry: what it matches and the Slack user (U…, W…) or user group (S…) it gives. */
export type OwnerRule = OwnerMatch & { readonly owner: string };

export interface OwnerChoice {
  readonly owner: string;
  /** Which rule gave it, as a person reads it: `owners[2] repository acme/pay*`, `default`, `SSM tag Owner`. */
  readonly rule: string;
}

/** What a rule is matched against: an asset, or a remediation's group (its environment and patch group). */
export interface OwnerSubject {
  readonly repository: string | null;
  readonly snykProject: string | null;
  readonly environment: string | null;
  readonly patchGroup: string | null;
  readonly tags: Readonly<Record<string, string>>;
}

export const SLACK_PRINCIPAL = /^[UWS][A-Z0-9]{2,}$/;

/** `*` any run of characters, `?` one; everything else literal. Case-insensitive: GitHub names are. */
export function globMatches(pattern: string, value: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i').test(value);
}

/** The tag attributes an asset carries (`tag:<Key>`), as a map. */
export function tagsOf(asset: Pick<Asset, 'attributes'>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(asset.attributes)) if (k.startsWith('tag:') && typeof v === 'string') out[k.slice(4)] = v;
  return out;
}

export function subjectOf(asset: Asset): OwnerSubject {
  const repo = asset.attributes.repository;
  const patchGroup = asset.attributes.patchGroup;
  return {
    repository: asset.kind === 'repository' ? asset.name : typeof repo === 'string' && repo !== '' ? repo : null,
    snykProject: asset.source === 'snyk' ? asset.name : null,
    environment: asset.environment,
    patchGroup: typeof patchGroup === 'string' && patchGroup !== '' ? patchGroup : null,
    tags: tagsOf(asset),
  };
}

const quoteIfSpaced = (s: string): string => (/\s/.test(s) ? `"${s}"` : s);

/** `owners[2] repository acme/pay*`: the rule as the policy file has it, by its position. */
export function ruleLabel(rule: OwnerRule, index: number): string {
  if ('default' in rule) return 'owners default';
  const [what, value] =
    'repository' in rule ? ['repository', rule.repository]
      : 'snykProject' in rule ? ['snykProject', rule.snykProject]
        : 'environment' in rule ? ['environment', rule.environment]
          : 'patchGroup' in rule ? ['patchGroup', rule.patchGroup]
            : ['tag', `${rule.tag.key}=${rule.tag.value}`];
  return `owners[${index}] ${what} ${quoteIfSpaced(value)}`;
}

function matches(rule: OwnerRule, s: OwnerSubject): boolean {
  if ('repository' in rule) return s.repository !== null && globMatches(rule.repository, s.repository);
  if ('snykProject' in rule) return s.snykProject !== null && globMatches(rule.snykProject, s.snykProject);
  if ('environment' in rule) return s.environment !== null && s.environment === rule.environment;
  if ('patchGroup' in rule) return s.patchGroup !== null && s.patchGroup === rule.patchGroup;
  if ('tag' in rule) {
    const v = s.tags[rule.tag.key];
    return v !== undefined && globMatches(rule.tag.value, v);
  }
  return false;
}

/** The first rule that matches (the default aside), or null. */
export function ruleFor(subject: OwnerSubject, rules: readonly OwnerRule[]): OwnerChoice | null {
  const i = rules.findIndex((r) => matches(r, subject));
  return i >= 0 ? { owner: rules[i]!.owner, rule: ruleLabel(rules[i]!, i) } : null;
}

export function defaultOwner(rules: readonly OwnerRule[]): OwnerChoice | null {
  const i = rules.findIndex((r) => 'default' in r);
  return i >= 0 ? { owner: rules[i]!.owner, rule: ruleLabel(rules[i]!, i) } : null;
}

/**
 * The asset with its owner: a rule, else the owner the source reported when it is a Slack id (`source` names where
 * it came from), else the default, else none. The source's own value stays in the asset's attributes.
 */
export function withOwner(asset: Asset, rules: readonly OwnerRule[]): Asset {
  const fromSource = asset.owner !== null && SLACK_PRINCIPAL.test(asset.owner) ? { owner: asset.owner, rule: `${asset.source} owner tag` } : null;
  const choice = ruleFor(subjectOf(asset), rules) ?? fromSource ?? defaultOwner(rules);
  return { ...asset, owner: choice?.owner ?? null, ownerRule: choice?.rule ?? null };
}

/**
 * A new remediation's owner. A package upgrade: its assets' owner when they agree (the repository's), else a rule for
 * its repository. A patch run spans instances that come and go: a rule for its environment or patch group, not any
 * one instance's owner. Else the default; else none. A lead's assessment may name another.
 */
export function remediationOwner(assets: readonly Asset[], remedy: Remedy, rules: readonly OwnerRule[]): OwnerChoice | null {
  const owned = assets.filter((a) => a.owner !== null);
  const owners = new Set(owned.map((a) => a.owner));
  if (remedy.kind !== 'os_patches' && owned.length > 0 && owners.size === 1) return { owner: owned[0]!.owner!, rule: owned[0]!.ownerRule ?? 'the owner of its assets' };
  const subjects = assets.map(subjectOf);
  const one = <T>(xs: (T | null)[]): T | null => (new Set(xs).size === 1 ? xs[0] ?? null : null);
  const group: OwnerSubject = {
    repository: remedy.kind === 'package_upgrade' ? one(subjects.map((s) => s.repository)) : null,
    snykProject: null,
    environment: remedy.kind === 'os_patches' ? remedy.environment : one(subjects.map((s) => s.environment)),
    patchGroup: remedy.kind === 'os_patches' ? remedy.patchGroup ?? null : null,
    tags: {},
  };
  return ruleFor(group, rules) ?? defaultOwner(rules);
}
