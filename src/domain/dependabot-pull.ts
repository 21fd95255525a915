/**
 * Which of Dependabot's open pull requests fixes a package (pure): its title (`Bump lodash from 4.17.15 to 4.17.21`)
 * or its head branch (`dependabot/npm_and_yarn/lodash-4.17.21`) names the package and a version at least the fixing
 * one. Of several, the highest version, then the newest pull request.
 */
import { compareVersions } from './grouping.js';

export interface PullCandidate {
  readonly number: number;
  readonly title: string;
  readonly headRef: string;
}

const TITLE = /\bbump\s+(\S+)\s+from\s+\S+\s+to\s+(\S+)/i;

/** The version a pull request bumps `pkg` to, or null when it is not about `pkg`. */
export function bumpedVersion(p: PullCandidate, pkg: string): string | null {
  const want = pkg.toLowerCase();
  const t = TITLE.exec(p.title);
  if (t && t[1]!.toLowerCase() === want) return t[2]!.replace(/[.,;:]+$/, '');
  const branch = p.headRef.toLowerCase();
  const bare = want.replace(/^@/, '');
  const m = /-(v?\d[\w.+-]*)$/.exec(branch);
  if (!m || !branch.startsWith('dependabot/')) return null;
  const name = branch.slice(0, m.index);
  return name.endsWith(`/${bare}`) || name.endsWith(`/${bare.replace(/[/:]/g, '-')}`) ? m[1]! : null;
}

export function fixingPull<P extends PullCandidate>(pulls: readonly P[], pkg: string, fixedIn: string | null): P | null {
  const fitting = pulls
    .map((p) => ({ p, v: bumpedVersion(p, pkg) }))
    .filter((x): x is { p: P; v: string } => x.v !== null && (fixedIn === null || compareVersions(x.v, fixedIn) >= 0));
  fitting.sort((a, b) => compareVersions(b.v, a.v) || b.p.number - a.p.number);
  return fitting[0]?.p ?? null;
}
