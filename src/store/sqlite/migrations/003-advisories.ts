import type { Migration } from '../migrations.js';

/**
 * Advisories from the feeds (the doc, with what queries filter on as columns), the CVEs each names (one row per
 * pair, so "advisories naming any of these CVEs" is an index look-up), their links to remediations (one per pair,
 * inserted once), and their reviews (one per advisory: the primary key is what lets exactly one lead decide).
 */
export const advisories: Migration = {
  version: 3,
  name: 'advisories, their CVEs, links and reviews',
  sql: `
    CREATE TABLE advisories (id TEXT PRIMARY KEY, feed TEXT NOT NULL, first_seen_at TEXT NOT NULL, doc TEXT NOT NULL) STRICT;
    CREATE INDEX advisories_seen ON advisories (first_seen_at, id);
    CREATE INDEX advisories_feed ON advisories (feed);

    CREATE TABLE advisory_cves (cve TEXT NOT NULL, advisory_id TEXT NOT NULL, PRIMARY KEY (cve, advisory_id)) STRICT, WITHOUT ROWID;
    CREATE INDEX advisory_cves_advisory ON advisory_cves (advisory_id);

    CREATE TABLE advisory_links (
      advisory_id TEXT NOT NULL, remediation_id TEXT NOT NULL, at TEXT NOT NULL, doc TEXT NOT NULL,
      PRIMARY KEY (advisory_id, remediation_id)
    ) STRICT;
    CREATE INDEX advisory_links_remediation ON advisory_links (remediation_id);

    CREATE TABLE advisory_reviews (advisory_id TEXT PRIMARY KEY, at TEXT NOT NULL, doc TEXT NOT NULL) STRICT;
  `,
};
