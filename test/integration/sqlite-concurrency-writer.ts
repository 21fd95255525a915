/**
 * One of the writer processes of sqlite-concurrency.test.ts: hammers a shared SQLite file with contested
 * version-checked updates, audit appends and idempotency claims, then prints what it won as JSON.
 * Run: node --import tsx sqlite-concurrency-writer.ts <db path> <remediation id> <name> <rounds> <start at, epoch ms>
 */
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import type { AuditAction } from '../../src/app/audit-actions.js';

const [path, id, name, rounds, startAt] = process.argv.slice(2) as [string, string, string, string, string];
const store = await openSqliteStore({ path });
// Both writers start together, whichever took longer to boot.
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
const event = (action: string) => ({ at: new Date(0).toISOString(), actor: `system:${name}`, action: action as AuditAction, subject: id, data: { by: name } });
let updates = 0;
let conflicts = 0;
let claims = 0;
for (let i = 0; i < Number(rounds); i += 1) {
  for (;;) {
    const current = await store.remediations.get(id);
    if (!current) throw new Error(`${id} is missing`);
    const result = await store.remediations.update({ ...current, owner: name }, current.version, [event('remediation.updated')]);
    if (result.ok) break;
    conflicts += 1;
  }
  updates += 1;
  await store.audit.append([event('writer.tick')]);
  if (await store.idempotency.claim(`key-${i}`, new Date(0))) claims += 1;
  // A breath between rounds, as a real replica has: SQLite's busy handler is not fair to a writer in a tight loop.
  await new Promise((resolve) => setTimeout(resolve, 1));
}
await store.close();
process.stdout.write(JSON.stringify({ updates, conflicts, claims }));
