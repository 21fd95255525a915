import type { Migration } from '../migrations.js';

/**
 * Fewer indexes on findings, the table a sync writes 100,000 rows into: every index is one more page to rewrite for
 * nearly every row a transaction writes. `(state)` alone is served by `(state, asset_id)`; `(source, state)` serves
 * no query (counts by source read the few thousand assets instead). Left: the id, `(asset_id)`, `(remediation_id)`,
 * `(state, asset_id)`.
 */
export const leanFindingIndexes: Migration = {
  version: 5,
  name: 'findings: drop the (state) and (source, state) indexes',
  sql: `
    DROP INDEX IF EXISTS findings_state;
    DROP INDEX IF EXISTS findings_source_state;
  `,
};
