/** The parts of Snyk's JSON:API documents (REST 2024-10-15: projects, issues) we rely on. */
import { z } from 'zod';
import { isoInstant } from '../shared/time.js';

const links = z.object({ next: z.string().nullish() }).nullish();

export const projectSchema = z.object({
  id: z.string().min(1),
  attributes: z.object({
    name: z.string().min(1),
    type: z.string(),
    target_file: z.string().nullish(),
    origin: z.string(),
    status: z.string().nullish(),
  }),
  meta: z.object({ latest_issue_counts: z.object({ updated_at: isoInstant.nullish() }).nullish() }).nullish(),
});
export type SnykProjectJson = z.output<typeof projectSchema>;
export const projectListSchema = z.object({ data: z.array(projectSchema), links });

const dependency = z.object({ package_name: z.string().min(1), package_version: z.string().nullish() });

export const issueSchema = z.object({
  id: z.string().min(1),
  attributes: z.object({
    key: z.string().nullish(),
    title: z.string(),
    type: z.string(),
    status: z.enum(['open', 'resolved']),
    effective_severity_level: z.string(),
    ignored: z.boolean().nullish(),
    created_at: isoInstant,
    updated_at: isoInstant,
    problems: z.array(z.object({ id: z.string(), source: z.string().nullish(), url: z.string().nullish() })).nullish(),
    coordinates: z.array(z.object({
      remedies: z.array(z.object({ type: z.string().nullish(), details: z.object({ upgrade_package: z.string().nullish() }).nullish() })).nullish(),
      representations: z.array(z.object({ dependency: dependency.nullish() })).nullish(),
    })).nullish(),
    severities: z.array(z.object({ source: z.string().nullish(), score: z.number().nullish(), type: z.string().nullish() })).nullish(),
    resolution: z.object({ resolved_at: isoInstant.nullish() }).nullish(),
  }),
  relationships: z.object({ scan_item: z.object({ data: z.object({ id: z.string().min(1), type: z.string() }) }) }),
});
export type SnykIssueJson = z.output<typeof issueSchema>;
export const issueListSchema = z.object({ data: z.array(issueSchema), links });
export type ProjectListJson = z.output<typeof projectListSchema>;
export type IssueListJson = z.output<typeof issueListSchema>;
