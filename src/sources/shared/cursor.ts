/** Reading a stored cursor: anything missing, unreadable or belonging to other settings means a full sync. */
import type { z } from 'zod';
import type { SyncCursor } from '../../app/ports.js';

export interface ReadCursor<T> {
  readonly cursor: T;
  /** Why the stored cursor was not used (logged by the source), or null. */
  readonly problem: string | null;
}

/** `foreign` names what makes a readable cursor someone else's (another org, region), or returns null. */
export function readCursor<S extends z.ZodType>(schema: S, raw: SyncCursor | null, empty: z.output<S>, foreign: (c: z.output<S>) => string | null): ReadCursor<z.output<S>> {
  if (raw === null) return { cursor: empty, problem: null };
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { cursor: empty, problem: 'the stored cursor is unreadable: full sync' };
  const other = foreign(parsed.data);
  return other === null ? { cursor: parsed.data, problem: null } : { cursor: empty, problem: `the stored cursor is for ${other}: full sync` };
}
