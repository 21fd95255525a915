import type { Migration } from '../migrations.js';

/**
 * The outbox of Slack effects, written in the same transaction as the step that causes them, and idempotency keys
 * with a state: in progress (until a time, when a hold was given) or done. Keys claimed before this step are done.
 */
export const outboxAndClaims: Migration = {
  version: 4,
  name: 'outbox; idempotency keys in progress or done',
  sql: `
    CREATE TABLE outbox (
      id TEXT PRIMARY KEY, seq INTEGER NOT NULL, n INTEGER NOT NULL, subject TEXT NOT NULL, state TEXT NOT NULL,
      doc TEXT NOT NULL
    ) STRICT;
    CREATE INDEX outbox_state_order ON outbox (state, seq, n, id);
    CREATE INDEX outbox_subject_order ON outbox (subject, seq, n, id);

    ALTER TABLE idempotency_keys ADD COLUMN state TEXT NOT NULL DEFAULT 'done';
    ALTER TABLE idempotency_keys ADD COLUMN hold_until INTEGER;
  `,
};
