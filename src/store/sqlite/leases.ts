import type { JobLeases } from '../../app/ports.js';
import type { Db } from './db.js';

/** Each operation is one statement, so it is atomic across connections without an explicit transaction. */
export function createJobLeases(db: Db): JobLeases {
  // Taken when there is no row, the row is already ours, or it has expired; otherwise the upsert changes nothing.
  const acquire = db.prepare<{ name: string; holder: string; expiresAt: number; now: number }>(
    `INSERT INTO leases (name, holder, expires_at) VALUES (@name, @holder, @expiresAt)
     ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
     WHERE leases.holder = excluded.holder OR leases.expires_at <= @now`,
  );
  const renew = db.prepare<[number, string, string, number]>(
    'UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ? AND expires_at > ?',
  );
  const release = db.prepare<[string, string]>('DELETE FROM leases WHERE name = ? AND holder = ?');
  const current = db.prepare<[string, number], string>('SELECT holder FROM leases WHERE name = ? AND expires_at > ?').pluck();
  const takeOver = db.prepare<[string, number, string, string]>('UPDATE leases SET holder = ?, expires_at = ? WHERE name = ? AND holder = ?');

  return {
    acquire: async (name, holder, ttlMs, now) =>
      acquire.run({ name, holder, expiresAt: now.getTime() + ttlMs, now: now.getTime() }).changes === 1,
    renew: async (name, holder, ttlMs, now) => renew.run(now.getTime() + ttlMs, name, holder, now.getTime()).changes === 1,
    release: async (name, holder) => {
      release.run(name, holder);
    },
    holderOf: async (name, now) => current.get(name, now.getTime()) ?? null,
    takeOver: async (name, from, to, ttlMs, now) => takeOver.run(to, now.getTime() + ttlMs, name, from).changes === 1,
  };
}
