import { canonicalJson, GENESIS_HASH, hashWithData, type AuditEvent, type AuditEventInput } from '../../app/audit.js';
import type { AuditLog } from '../../app/ports.js';
import type { Db } from './db.js';

/** Events read per query while streaming: big enough to be fast, small enough to never hold the file open long. */
export const STREAM_PAGE_SIZE = 5000;

/** Rows are read as arrays rather than objects: streaming the whole log is the hot path of `audit verify`. */
type RawRow = [number, string, string, string, string, string, string, string];

const toEvent = ([seq, at, actor, action, subject, data, prevHash, hash]: RawRow): AuditEvent => ({
  seq,
  at,
  actor,
  action,
  subject,
  data: JSON.parse(data) as AuditEvent['data'],
  prevHash,
  hash,
});

/** Where an event landed in the chain: what the outbox rows written beside it need. */
export type AppendedLink = Pick<AuditEvent, 'seq' | 'at'>;

export interface SqliteAuditLog extends AuditLog {
  /**
   * Chains and inserts events after the current head. Call only inside an immediate transaction. Returns where each
   * landed, not the events read back: a sync appends 100,000 events and no caller inside the store reads their data.
   */
  appendInTx(events: readonly AuditEventInput[]): AppendedLink[];
}

export function createAuditLog(db: Db): SqliteAuditLog {
  const columns = 'seq, at, actor, action, subject, data, prev_hash, hash';
  const headLink = db.prepare<[], Pick<AuditEvent, 'seq' | 'hash'>>('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1');
  const head = db.prepare<[], RawRow>(`SELECT ${columns} FROM audit_events ORDER BY seq DESC LIMIT 1`).raw();
  const from = db.prepare<[number, number], RawRow>(`SELECT ${columns} FROM audit_events WHERE seq >= ? ORDER BY seq LIMIT ?`).raw();
  const bySubject = db.prepare<[string], RawRow>(`SELECT ${columns} FROM audit_events WHERE subject = ? ORDER BY seq`).raw();
  const insert = db.prepare<[number, string, string, string, string, string, string, string]>(
    `INSERT INTO audit_events (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  /** Chains and inserts `events`, and hands each, as stored (its data as canonical JSON), to `keep`. */
  function chainInTx<T>(events: readonly AuditEventInput[], keep: (e: Omit<AuditEvent, 'data'>, data: string) => T): T[] {
    let last: Pick<AuditEvent, 'seq' | 'hash'> | null = headLink.get() ?? null;
    return events.map((input) => {
      const data = canonicalJson(input.data);
      // Hashed over the canonical data as stored, serialised once (a sync appends 100,000 events).
      const link = { seq: (last?.seq ?? 0) + 1, at: input.at, actor: input.actor, action: input.action, subject: input.subject, prevHash: last?.hash ?? GENESIS_HASH };
      const e = { ...link, hash: hashWithData(link, data) };
      insert.run(e.seq, e.at, e.actor, e.action, e.subject, data, e.prevHash, e.hash);
      last = e;
      return keep(e, data);
    });
  }
  const appendInTx = (events: readonly AuditEventInput[]): AppendedLink[] => chainInTx(events, ({ seq, at }) => ({ seq, at }));
  // Returned as it will read back (the canonical data parsed again), so what append returns is what verify sees.
  const appendTx = db.transaction((events: readonly AuditEventInput[]) => chainInTx(events, (e, data): AuditEvent => ({ ...e, data: JSON.parse(data) as AuditEvent['data'] })));

  return {
    appendInTx,
    append: async (events) => appendTx.immediate(events),
    head: async () => {
      const row = head.get();
      return row ? toEvent(row) : null;
    },
    read: async (fromSeq, limit) => from.all(fromSeq, limit).map(toEvent),
    bySubject: async (subject) => bySubject.all(subject).map(toEvent),
    async *stream() {
      // Pages rather than one open cursor: the connection stays free for writes between pages.
      // From the lowest possible seq, so a forged seq 0 or below is streamed too, and caught.
      for (let next = Number.MIN_SAFE_INTEGER; ; ) {
        const rows = from.all(next, STREAM_PAGE_SIZE);
        for (const row of rows) yield toEvent(row);
        const lastRow = rows.at(-1);
        if (rows.length < STREAM_PAGE_SIZE || !lastRow) return;
        next = lastRow[0] + 1;
      }
    },
  };
}
