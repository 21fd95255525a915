import { randomUUID } from 'node:crypto';
import { newEffects, type Effect, type EffectInput } from '../../app/outbox/effects.js';
import type { Outbox } from '../../app/ports.js';
import type { AppendedLink } from './audit-log.js';
import type { Db } from './db.js';
import { statementCache } from './sql.js';

export interface SqliteOutbox {
  readonly repo: Outbox;
  /**
   * Adds the effects of a write, ordered after its events (`appended`, as the same transaction chained them).
   * Call only inside that immediate transaction.
   */
  addInTx(effects: readonly EffectInput[] | undefined, appended: readonly AppendedLink[]): void;
}

/** The outbox: one row per effect, its JSON doc plus the columns it is listed by. */
export function createOutbox(db: Db): SqliteOutbox {
  const prepared = statementCache(db);
  const headSeq = db.prepare<[], number>('SELECT COALESCE(MAX(seq), 0) FROM audit_events').pluck();
  const insert = db.prepare<[string, number, number, string, string, string]>('INSERT INTO outbox (id, seq, n, subject, state, doc) VALUES (?, ?, ?, ?, ?, ?)');
  const byId = db.prepare<[string], string>('SELECT doc FROM outbox WHERE id = ?').pluck();
  const update = db.prepare<[string, string, string]>('UPDATE outbox SET state = ?, doc = ? WHERE id = ?');
  const parse = (doc: string): Effect => JSON.parse(doc) as Effect;

  return {
    addInTx(effects, appended) {
      if (!effects?.length) return;
      const seq = appended.at(-1)?.seq ?? headSeq.get() ?? 0;
      const at = appended[0]?.at ?? new Date().toISOString();
      const base = randomUUID();
      for (const e of newEffects(effects, (n) => `${base}:${n}`, seq, at)) insert.run(e.id, e.seq, e.n, e.subject, e.state, JSON.stringify(e));
    },
    repo: {
      list: async ({ subject, states = ['pending'], limit = -1 } = {}) => {
        const where = [`state IN (${states.map(() => '?').join(', ')})`, ...(subject === undefined ? [] : ['subject = ?'])];
        const sql = `SELECT doc FROM outbox WHERE ${where.join(' AND ')} ORDER BY seq, n, id LIMIT ?`;
        const params = [...states, ...(subject === undefined ? [] : [subject]), limit];
        return (prepared(sql).pluck().all(...params) as string[]).map(parse);
      },
      get: async (id) => {
        const doc = byId.get(id);
        return doc === undefined ? null : parse(doc);
      },
      settle: async (id, change) => {
        const doc = byId.get(id);
        if (doc === undefined) return;
        const next: Effect = { ...parse(doc), ...change };
        update.run(next.state, JSON.stringify(next), id);
      },
    },
  };
}
