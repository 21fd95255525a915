import type { Migration } from '../migrations.js';

/**
 * Every version of every remediation, written in the same transaction as the remediation itself: what the record
 * looked like at any past moment (the evidence pack shows each remediation as it stood at the end of its period).
 * Existing remediations start their history with the version they are at. Like the audit log, append-only.
 */
export const remediationHistory: Migration = {
  version: 6,
  name: 'remediation history: remediation_versions',
  sql: `
    CREATE TABLE remediation_versions (
      id TEXT NOT NULL, version INTEGER NOT NULL, updated_at TEXT NOT NULL, doc TEXT NOT NULL,
      PRIMARY KEY (id, version)
    ) STRICT;
    INSERT INTO remediation_versions (id, version, updated_at, doc)
      SELECT id, version, COALESCE(doc ->> '$.updatedAt', doc ->> '$.createdAt', ''), doc FROM remediations;
    CREATE TRIGGER remediation_versions_no_update BEFORE UPDATE ON remediation_versions
      BEGIN SELECT RAISE(ABORT, 'remediation versions are append-only'); END;
    CREATE TRIGGER remediation_versions_no_delete BEFORE DELETE ON remediation_versions
      BEGIN SELECT RAISE(ABORT, 'remediation versions are append-only'); END;
  `,
};
