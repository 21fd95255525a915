/**
 * Refusals of authority go into the audit log as `access.denied`, but a person with no role clicking a button
 * 1,500 times must not add 1,500 events. Per person and subject (a remediation, a command) one event is written
 * per hour: the first refusal of that hour, saying so. The refusals after it in the same hour are tallied
 * (kv `access-denials`), and the next event of that person and subject reports the previous hour's tally, so the
 * trail stays short and readable and still says how often it happened. Which refusal writes the hour's event is
 * decided by an idempotency claim, so two replicas write one.
 */
import { instant } from '../../domain/time.js';
import type { AuditEventInput } from '../audit.js';
import type { Store } from '../ports.js';

export const DENIAL_WINDOW_MS = 60 * 60_000;
export const DENIAL_TALLIES = 'access-denials';

export interface Denial {
  /** Audit name of who was refused. */
  readonly actor: string;
  /** What they tried it on: `PW-42`, `/patch status public`. */
  readonly subject: string;
  readonly at: Date;
  /** What the event keeps: what was attempted and why it was refused. */
  readonly data: Readonly<Record<string, unknown>>;
}

/** The tally of one person and subject, for the hour in `window`. */
export interface DenialTally {
  readonly window: string;
  readonly count: number;
  readonly lastAt: string;
}

export type RecordDenial = (d: Denial) => Promise<void>;

export function createRecordDenial({ store }: { store: Pick<Store, 'audit' | 'idempotency' | 'kv'> }): RecordDenial {
  // One tally update at a time per person and subject in this process (a flood arrives in parallel).
  const queues = new Map<string, Promise<void>>();
  const serially = (key: string, work: () => Promise<void>): Promise<void> => {
    const next = (queues.get(key) ?? Promise.resolve()).then(work, work);
    queues.set(key, next);
    void next.finally(() => queues.get(key) === next && queues.delete(key)).catch(() => undefined);
    return next;
  };

  return (d) => {
    const pair = `${d.actor}|${d.subject}`;
    const start = Math.floor(d.at.getTime() / DENIAL_WINDOW_MS) * DENIAL_WINDOW_MS;
    const window = instant(new Date(start));
    return serially(pair, async () => {
      const before = await store.kv.get<DenialTally>(DENIAL_TALLIES, pair);
      const first = await store.idempotency.claim(`access-denied:${pair}:${window}`, d.at);
      const sameWindow = before?.window === window;
      await store.kv.put(DENIAL_TALLIES, pair, { window, count: sameWindow ? before.count + 1 : 1, lastAt: instant(d.at) } satisfies DenialTally);
      if (!first) return;
      const earlier = before && !sameWindow && before.count > 1 ? { earlierHour: { from: before.window, refusals: before.count, lastAt: before.lastAt } } : {};
      const event: AuditEventInput = {
        at: instant(d.at),
        actor: d.actor,
        action: 'access.denied',
        subject: d.subject,
        data: { ...d.data, ...earlier, hour: window },
      };
      await store.audit.append([event]);
    });
  };
}
