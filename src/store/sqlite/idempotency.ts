import type { IdempotencyKeys } from '../../app/ports.js';
import type { Db } from './db.js';

/** A key is claimed by the one INSERT that adds its row; every later claim, from any connection, changes nothing. */
export function createIdempotencyKeys(db: Db): IdempotencyKeys {
  const insert = db.prepare<[string, string]>('INSERT INTO idempotency_keys (key, claimed_at) VALUES (?, ?) ON CONFLICT DO NOTHING');
  const remove = db.prepare<[string]>('DELETE FROM idempotency_keys WHERE key = ?');
  return {
    claim: async (key, at) => insert.run(key, at.toISOString()).changes === 1,
    release: async (key) => void remove.run(key),
  };
}
