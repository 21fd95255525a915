import { writeVersionedMany } from '../../../src/app/write-versioned.js';
import type { RemediationRepo, RemediationUpdate } from '../../../src/app/ports.js';
import type { Remediation } from '../../../src/domain/remediation.js';
import { err, ok } from '../../../src/domain/result.js';
import { aRemediation } from '../../support/builders.js';

/** Remediations in memory, version-checked like the stores; `updateMany` answers after `delay` ticks and logs what happened when. */
function memoryRepo(count: number, delay = 3) {
  const rows = new Map<string, Remediation>();
  for (let i = 0; i < count; i += 1) {
    const r = aRemediation({ id: `PW-${String(i).padStart(3, '0')}` });
    rows.set(r.id, { ...r, version: 1 });
  }
  const log: string[] = [];
  let writing = 0;
  const repo: Pick<RemediationRepo, 'get' | 'update' | 'updateMany'> = {
    get: async (id) => rows.get(id) ?? null,
    update: async () => {
      throw new Error('not used: the batch write is');
    },
    updateMany: async (items: readonly RemediationUpdate[]) => {
      writing += 1;
      if (writing > 1) log.push('two writes at once');
      log.push(`write ${items[0]!.next.id}..${items.at(-1)!.next.id} starts`);
      for (let t = 0; t < delay; t += 1) await new Promise((r) => setImmediate(r));
      const out = items.map(({ next, expectedVersion }) => {
        const stored = rows.get(next.id)!;
        if (stored.version !== expectedVersion) return err({ code: 'store.conflict' as const, id: next.id, expectedVersion });
        const saved = { ...next, version: expectedVersion + 1 };
        rows.set(next.id, saved);
        return ok(saved);
      });
      log.push(`write ${items[0]!.next.id}.. ends`);
      writing -= 1;
      return out;
    },
  };
  return { repo, rows, log };
}

describe('writeVersionedMany', () => {
  it('plans each batch while the one before it is written; the writes go one at a time, in order, and all land', async () => {
    const { repo, rows, log } = memoryRepo(5);
    const ids = [...rows.keys()];
    const written = await writeVersionedMany(repo, ids, async (r) => {
      log.push(`plan ${r.id}`);
      return { next: { ...r, title: `${r.title} (refreshed)` }, events: [] };
    }, 2);
    expect([...written.values()].every((w) => w.ok)).toBe(true);
    expect([...rows.values()].map((r) => [r.version, r.title.endsWith('(refreshed)')])).toEqual(ids.map(() => [2, true]));
    expect(log).not.toContain('two writes at once');
    expect(log.filter((l) => l.startsWith('write') && l.endsWith('starts'))).toEqual(['write PW-000..PW-001 starts', 'write PW-002..PW-003 starts', 'write PW-004..PW-004 starts']);
    // The second batch was planned before the first batch's write ended.
    expect(log.indexOf('plan PW-002')).toBeLessThan(log.indexOf('write PW-000.. ends'));
  });

  it('one a concurrent writer changed meanwhile is read and planned again over the new version', async () => {
    const { repo, rows } = memoryRepo(4);
    let changedBehind = false;
    const written = await writeVersionedMany(repo, [...rows.keys()], async (r) => {
      if (r.id === 'PW-003' && !changedBehind) {
        changedBehind = true;
        rows.set(r.id, { ...r, owner: 'U0SOMEONE', version: r.version + 1 }); // a person's write, between read and write
      }
      return { next: { ...r, title: 'refreshed' }, events: [] };
    }, 2);
    expect(written.get('PW-003')).toMatchObject({ ok: true, value: { after: { version: 3, owner: 'U0SOMEONE', title: 'refreshed' } } });
    expect([...written.values()].every((w) => w.ok)).toBe(true);
  });

  it('a write that fails is what the caller gets, also while the next batch is being planned', async () => {
    const { repo, rows } = memoryRepo(4);
    const failing = { ...repo, updateMany: async () => Promise.reject(new Error('the SQLite writer thread stopped: closed')) };
    await expect(writeVersionedMany(failing, [...rows.keys()], async (r) => ({ next: r, events: [] }), 2)).rejects.toThrow('writer thread stopped');
  });
});
