import type { Migration } from '../migrations.js';

/**
 * The two facts the status report read out of each remediation's JSON doc (`slaStartAt`, `resolution`) get columns
 * of their own, filled from the docs: `facts()` then reads columns only. Out of the doc, the report's query over
 * 9,000 overdue remediations held the bot's thread for 50–110 ms (SQLite parses every doc), long enough to hold back
 * the acks of requests arriving meanwhile. From columns, the query itself takes about 11 ms in the sqlite3 shell on
 * the bench's file, against 36 ms.
 */
export const remediationFactColumns: Migration = {
  version: 7,
  name: 'remediation fact columns: sla_start_at, resolution',
  sql: `
    ALTER TABLE remediations ADD COLUMN sla_start_at TEXT;
    ALTER TABLE remediations ADD COLUMN resolution TEXT;
    UPDATE remediations SET sla_start_at = doc ->> '$.slaStartAt', resolution = doc ->> '$.resolution';
  `,
};
