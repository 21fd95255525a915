import type { IdempotencyKeys } from '../../app/ports.js';
import type { Db } from './db.js';

/**
 * A key is claimed by the one statement that adds its row, or takes over a row whose hold ran out; every other
 * claim, from any connection, changes nothing. Released keys are deleted; done ones stay.
 */
export function createIdempotencyKeys(db: Db): IdempotencyKeys {
  const claim = db.prepare<{ key: string; at: string; now: number; until: number | null }>(
    `INSERT INTO idempotency_keys (key, claimed_at, state, hold_until) VALUES (@key, @at, 'in_progress', @until)
     ON CONFLICT (key) DO UPDATE SET claimed_at = excluded.claimed_at, hold_until = excluded.hold_until
     WHERE idempotency_keys.state = 'in_progress' AND idempotency_keys.hold_until IS NOT NULL AND idempotency_keys.hold_until <= @now`,
  );
  const read = db.prepare<[string], { state: string; until: number | null }>('SELECT state, hold_until AS until FROM idempotency_keys WHERE key = ?');
  const complete = db.prepare<[string]>("UPDATE idempotency_keys SET state = 'done', hold_until = NULL WHERE key = ?");
  const remove = db.prepare<[string]>("DELETE FROM idempotency_keys WHERE key = ? AND state = 'in_progress'");
  return {
    claim: async (key, at, holdMs) =>
      claim.run({ key, at: at.toISOString(), now: at.getTime(), until: holdMs === undefined ? null : at.getTime() + holdMs }).changes === 1,
    state: async (key) => {
      const row = read.get(key);
      if (!row) return null;
      return row.state === 'done' ? { state: 'done' } : { state: 'in_progress', until: row.until === null ? null : new Date(row.until) };
    },
    complete: async (key) => void complete.run(key),
    release: async (key) => void remove.run(key),
  };
}
