import type { Migration } from '../migrations.js';

/**
 * What the reports need to stay fast on a large store (`/patch status` over 10,000 remediations and 100,000
 * findings): remediations' `created_at` as an indexed column (what is new since the last digest), and open findings
 * counted per asset straight from an index (coverage gaps: assets with findings but no owner).
 */
export const reportIndexes: Migration = {
  version: 2,
  name: 'report indexes: remediations.created_at, findings (state, asset_id)',
  sql: `
    ALTER TABLE remediations ADD COLUMN created_at TEXT;
    UPDATE remediations SET created_at = doc ->> '$.createdAt';
    CREATE INDEX remediations_created ON remediations (created_at);
    CREATE INDEX findings_state_asset ON findings (state, asset_id);
  `,
};
