/**
 * The parts of GitHub's responses we rely on (api.github.com 2022-11-28: `minimal-repository`,
 * `dependabot-alert-with-repository`); anything else in the body is ignored.
 */
import { z } from 'zod';
import { isoInstant, isoInstantOrNull } from '../shared/time.js';

export const repoSchema = z.object({
  full_name: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'expected owner/name'),
  archived: z.boolean().optional().default(false),
  default_branch: z.string().nullable().optional().transform((v) => v ?? null),
});
export const repoListSchema = z.array(repoSchema);
export type GhRepoJson = z.output<typeof repoSchema>;

const identifier = z.object({ type: z.string(), value: z.string() });

export const alertSchema = z.object({
  number: z.number().int().positive(),
  state: z.enum(['open', 'fixed', 'dismissed', 'auto_dismissed']),
  dependency: z.object({
    package: z.object({ ecosystem: z.string(), name: z.string().min(1) }),
    manifest_path: z.string().nullable().optional(),
  }),
  security_advisory: z.object({
    ghsa_id: z.string(),
    cve_id: z.string().nullable(),
    summary: z.string(),
    severity: z.string(),
    identifiers: z.array(identifier).optional().default([]),
    cvss: z.object({ score: z.number().nullable() }).nullable().optional(),
    epss: z.object({ percentage: z.number().min(0).max(1) }).nullable().optional(),
  }),
  security_vulnerability: z.object({
    severity: z.string().optional(),
    vulnerable_version_range: z.string().nullable().optional(),
    first_patched_version: z.object({ identifier: z.string() }).nullable(),
  }),
  html_url: z.string(),
  created_at: isoInstant,
  updated_at: isoInstant,
  fixed_at: isoInstantOrNull,
  dismissed_at: isoInstantOrNull,
  auto_dismissed_at: isoInstantOrNull,
  repository: z.object({ full_name: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'expected owner/name') }),
});
export const alertListSchema = z.array(alertSchema);
export type GhAlertJson = z.output<typeof alertSchema>;
