/**
 * `manifest.json`, written last: every other file of the pack with its SHA-256 and size, the period, when and by
 * which version it was made, and the audit chain's head with the verdict on it. `evidence verify` reads it back
 * with this schema.
 */
import { z } from 'zod';
import { segmentHeaderSchema } from './audit-segment.js';

export const MANIFEST_FORMAT = 'patchwarden-evidence-pack/1';
export const MANIFEST_PATH = 'manifest.json';

export const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  tool: z.object({ name: z.literal('patchwarden'), version: z.string() }),
  generatedAt: z.string(),
  /** Who asked for it: a Slack user id, or `system:cli`. */
  generatedBy: z.string(),
  period: segmentHeaderSchema.shape.period.extend({ timeZone: z.string() }),
  auditChain: z.object({
    head: segmentHeaderSchema.shape.chainHead,
    verification: segmentHeaderSchema.shape.verification,
    segment: segmentHeaderSchema.shape.segment,
  }),
  counts: z.object({ remediations: z.number().int(), evidenceFiles: z.number().int(), evidenceProblems: z.number().int(), auditEvents: z.number().int() }),
  /** Why there is no `report.pdf`, when there is none. */
  notes: z.array(z.string()),
  files: z.array(z.object({ path: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), size: z.number().int().nonnegative() })),
});

export type Manifest = z.infer<typeof manifestSchema>;
