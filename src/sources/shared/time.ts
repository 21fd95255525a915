import { z } from 'zod';
import type { Instant } from '../../domain/time.js';

/** An ISO 8601 date-time as the outside world writes it, normalised to our Instant (UTC, milliseconds). */
export const isoInstant = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 date-time')
  .transform((s): Instant => new Date(s).toISOString());

export const isoInstantOrNull = isoInstant.nullable().optional().transform((v) => v ?? null);

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
