/** The parts of GitHub's pull request, checks, commit status and single-alert answers that deploying relies on. */
import { z } from 'zod';
import { isoInstantOrNull } from '../shared/time.js';

const login = z.object({ login: z.string() });

export const pullSummarySchema = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  html_url: z.string(),
  user: login.nullable(),
  head: z.object({ ref: z.string(), sha: z.string().regex(/^[0-9a-f]{40}$/, 'expected a commit sha') }),
});
export const pullListSchema = z.array(pullSummarySchema);

export const pullSchema = pullSummarySchema.extend({
  state: z.enum(['open', 'closed']),
  merged: z.boolean(),
  merge_commit_sha: z.string().nullable().optional().transform((v) => v ?? null),
  merged_at: isoInstantOrNull,
  merged_by: login.nullable().optional().transform((v) => v?.login ?? null),
});

export const checkRunsSchema = z.object({
  total_count: z.number().int().min(0),
  check_runs: z.array(z.object({
    name: z.string(),
    status: z.string(),
    conclusion: z.string().nullable(),
    html_url: z.string().nullable().optional(),
    details_url: z.string().nullable().optional(),
    completed_at: isoInstantOrNull,
  })),
});

export const combinedStatusSchema = z.object({
  state: z.string(),
  total_count: z.number().int().min(0),
  statuses: z.array(z.object({
    context: z.string(),
    state: z.enum(['error', 'failure', 'pending', 'success']),
    target_url: z.string().nullable().optional(),
    updated_at: isoInstantOrNull,
  })),
});

export const mergeSchema = z.object({ sha: z.string(), merged: z.boolean() });

export const singleAlertSchema = z.object({
  state: z.enum(['open', 'fixed', 'dismissed', 'auto_dismissed']),
  fixed_at: isoInstantOrNull,
  dismissed_at: isoInstantOrNull,
  auto_dismissed_at: isoInstantOrNull,
});
