import type { Migration } from '../migrations.js';

/**
 * Each domain record is kept whole as a JSON `doc`, with the fields the queries filter and sort on copied into
 * indexed columns. Instants are ISO 8601 UTC text, which sorts in time order.
 */
export const initialSchema: Migration = {
  version: 1,
  name: 'initial schema',
  sql: `
    CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT;

    CREATE TABLE assets (
      id TEXT PRIMARY KEY, source TEXT NOT NULL, in_scope INTEGER NOT NULL, doc TEXT NOT NULL
    ) STRICT;
    CREATE INDEX assets_source ON assets (source);
    CREATE INDEX assets_in_scope ON assets (in_scope);

    CREATE TABLE findings (
      id TEXT PRIMARY KEY, asset_id TEXT NOT NULL, remediation_id TEXT, source TEXT NOT NULL, state TEXT NOT NULL,
      doc TEXT NOT NULL
    ) STRICT;
    CREATE INDEX findings_asset ON findings (asset_id);
    CREATE INDEX findings_remediation ON findings (remediation_id);
    CREATE INDEX findings_source_state ON findings (source, state);
    CREATE INDEX findings_state ON findings (state);

    CREATE TABLE remediations (
      id TEXT PRIMARY KEY, key TEXT NOT NULL UNIQUE, state TEXT NOT NULL, severity TEXT NOT NULL,
      due_at TEXT NOT NULL, owner TEXT, closed_at TEXT, version INTEGER NOT NULL, doc TEXT NOT NULL
    ) STRICT;
    CREATE INDEX remediations_state_severity ON remediations (state, severity);
    CREATE INDEX remediations_state_due ON remediations (state, due_at, id);
    CREATE INDEX remediations_due ON remediations (due_at, id);
    CREATE INDEX remediations_owner_due ON remediations (owner, due_at, id);
    CREATE INDEX remediations_closed ON remediations (closed_at) WHERE closed_at IS NOT NULL;

    CREATE TABLE audit_events (
      seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, subject TEXT NOT NULL,
      data TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL
    ) STRICT;
    CREATE INDEX audit_events_subject ON audit_events (subject, seq);
    -- Append-only, as far as SQL goes: the hash chain is what proves it, these stop an honest mistake.
    CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
      BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
    CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
      BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;

    CREATE TABLE idempotency_keys (key TEXT PRIMARY KEY, claimed_at TEXT NOT NULL) STRICT, WITHOUT ROWID;

    CREATE TABLE leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at INTEGER NOT NULL) STRICT;

    CREATE TABLE kv (ns TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (ns, key)) STRICT, WITHOUT ROWID;

    CREATE TABLE evidence_files (
      sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, name TEXT NOT NULL, mime_type TEXT NOT NULL, stored_at TEXT NOT NULL
    ) STRICT;
  `,
};
