/** Snyk projects (GitHub-imported ones named `org/repo:manifest`, plus CLI ones) and their issues. */
import { ECOSYSTEM_FACTS } from './catalogue.js';
import { repoEcosystem } from './github.js';
import { days, isoSeconds, type Rng } from './prng.js';
import type { Advisory, Ecosystem, GhAlert, GhRepo, SnykIssue, SnykProject } from './types.js';

export interface SnykPlan {
  org: string;
  projects: number;
  issues: number;
  cveOverlap: number;
  advisoriesOf: (ecosystem: Ecosystem) => Advisory[];
  blockStart: (repoIndex: number, catalogueSize: number) => number;
  /** How many alerts repository i has (its advisory block's length). */
  alertsOnRepo: (repoIndex: number) => number;
}

/** Project p scans repository p (origin github) while there are repositories, then comes from the CLI. */
export function buildProjects(rng: Rng, plan: SnykPlan, repos: GhRepo[], nowMs: number): SnykProject[] {
  return Array.from({ length: plan.projects }, (_, p) => {
    const repo = p < repos.length ? (repos[p] as GhRepo) : null;
    const eco = repo?.ecosystem ?? repoEcosystem(p);
    const facts = ECOSYSTEM_FACTS[eco];
    return {
      id: rng.uuid(),
      name: repo ? `${repo.fullName}:${facts.targetFile}` : `${plan.org}/legacy-${String(p + 1).padStart(4, '0')}`,
      type: facts.snykType,
      targetFile: facts.targetFile,
      targetReference: 'main',
      origin: repo ? 'github' : 'cli',
      targetId: rng.uuid(),
      repo,
      created: isoSeconds(nowMs - days(400) + p * 60_000),
      status: p % 20 === 19 ? 'inactive' : 'active',
      lastTestedAt: isoSeconds(p % 10 === 3 ? nowMs - days(45) : nowMs - ((p % 5) + 1) * 3_600_000),
    };
  });
}

/**
 * The first `cveOverlap` issues repeat an open Dependabot alert (same CVE, same package, same repository);
 * the rest are spread round-robin over the projects and never share a CVE with their repository's alerts.
 */
export function buildIssues(rng: Rng, plan: SnykPlan, projects: SnykProject[], alerts: GhAlert[], nowMs: number): SnykIssue[] {
  const projectOfRepo = new Map(projects.filter((p) => p.repo && p.status === 'active').map((p) => [p.repo?.id, p]));
  const pairs: { project: SnykProject; advisory: Advisory }[] = [];
  for (const a of alerts) {
    if (pairs.length >= plan.cveOverlap) break;
    const project = projectOfRepo.get(a.repo.id);
    if (a.state === 'open' && a.advisory.cveId && project) pairs.push({ project, advisory: a.advisory });
  }
  if (pairs.length < plan.cveOverlap) throw new Error(`only ${pairs.length} open alerts can overlap with Snyk; asked for ${plan.cveOverlap}`);
  const perProject = new Map<string, number>();
  const rest = Math.max(0, plan.issues - pairs.length);
  for (let q = 0; q < rest; q += 1) {
    const pIndex = q % projects.length;
    const project = projects[pIndex] as SnykProject;
    const c = perProject.get(project.id) ?? 0;
    perProject.set(project.id, c + 1);
    const catalogue = plan.advisoriesOf(project.repo?.ecosystem ?? repoEcosystem(pIndex));
    const repoIndex = project.repo ? project.repo.id - 700_000 : pIndex;
    const skip = project.repo ? plan.alertsOnRepo(repoIndex) : 0;
    if (skip + c >= catalogue.length) throw new Error(`advisory catalogue too small for project ${project.name}`);
    pairs.push({ project, advisory: catalogue[(plan.blockStart(repoIndex, catalogue.length) + skip + c) % catalogue.length] as Advisory });
  }
  const start = nowMs - days(200);
  const step = Math.floor(days(200) / (pairs.length + 1));
  return pairs.map(({ project, advisory }, seq) => {
    const overlap = seq < plan.cveOverlap;
    const resolved = !overlap && seq % 5 === 4;
    const created = start + (seq + 1) * step;
    const resolvedAt = resolved ? Math.min(created + days(rng.between(1, 20)), nowMs - 3_600_000) : null;
    return {
      seq,
      id: rng.uuid(),
      key: advisory.snykId,
      project,
      advisory,
      status: resolved ? 'resolved' : 'open',
      ignored: !overlap && !resolved && seq % 50 === 37,
      createdAt: isoSeconds(created),
      updatedAt: isoSeconds(resolvedAt ?? created),
      resolvedAt: resolvedAt === null ? null : isoSeconds(resolvedAt),
      overlapsDependabot: overlap,
    };
  });
}
