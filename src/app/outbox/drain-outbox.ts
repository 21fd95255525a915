/**
 * Does what the outbox holds (effects.ts): the effects of each subject one after the other in recorded order, each
 * under the subject's lease (`outbox:<subject>`), so two drains (two replicas, a click and a job) never do one
 * twice at once. An attempt is recorded before it starts: a replay after a crash or an answer that never came knows
 * Slack may have it already (the handler looks before posting again). A failure backs off and holds the subject's
 * later effects back; after MAX_ATTEMPTS, or a refusal that can never succeed, the effect is given up, audited as
 * `slack.undelivered`, and the subject goes on.
 */
import { SYSTEM_ID } from '../../domain/roles.js';
import { instant } from '../../domain/time.js';
import type { Logger } from '../../logger.js';
import { scrubDetail } from '../error-text.js';
import { acquireLease, isGone, newHolder } from '../lease-holder.js';
import type { Store } from '../ports.js';
import type { Effect, EffectKind } from './effects.js';

export interface EffectContext {
  /** An earlier attempt started: Slack may already have what it sent. Look before sending again. */
  readonly replay: boolean;
  /** The subject's effects already done, in recorded order (what they posted is in their `result`). */
  earlier(): Promise<Effect[]>;
}

export interface EffectHandler {
  /** Given every due effect of its kind at the head of the subject at once (a round-up), not one by one. */
  readonly batch?: boolean;
  /** Does it; what it returns is kept as the effects' `result`. Throws to retry later, EffectRefused to give up. */
  run(effects: readonly Effect[], ctx: EffectContext): Promise<Record<string, unknown> | void>;
}

export type EffectHandlers = Partial<Record<EffectKind, EffectHandler>>;

/** An effect that can never succeed (the channel is gone, the message is malformed): given up at once. */
export class EffectRefused extends Error {
  override name = 'EffectRefused';
}

export interface OutboxDrainer {
  /** Does what is due now: of the given subjects, else of every subject with something pending. */
  drain(subjects?: readonly string[]): Promise<void>;
  /** Resolves once no drain of this process is running. */
  idle(): Promise<void>;
}

export interface OutboxDeps {
  readonly store: Pick<Store, 'outbox' | 'leases' | 'audit'>;
  readonly handlers: EffectHandlers;
  readonly now: () => Date;
  readonly logger: Logger;
}

/** How long a subject's lease holds; renewed before each effect. */
export const SUBJECT_LEASE_MS = 2 * 60_000;
export const MAX_ATTEMPTS = 10;
/** Subjects looked at per drain of everything. */
const SUBJECTS_PER_DRAIN = 500;
/**
 * Effects read from the head of a subject per step (the most a round-up takes at once). A subject can hold hundreds
 * (a digest's pages, its CSV of every remediation): each step reads only its head, never the whole subject again.
 */
export const HEAD_READ = 50;
/** The order the store lists effects in: seq, then n, then id. */
const inRecordedOrder = (a: Effect, b: Effect): number => a.seq - b.seq || a.n - b.n || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const backoffMs = (attempts: number): number => Math.min(30_000 * 2 ** (attempts - 1), 60 * 60_000);

/**
 * An attempt under way is recorded with its holder (`result.underWay`) and a `nextAt` as far off as the lease. When
 * that holder is a process that is gone (killed mid-attempt), the attempt is over: it is tried again at once, as a
 * replay, instead of when the dead process's lease would have run out.
 */
const abandoned = (e: Effect): boolean => typeof e.result?.['underWay'] === 'string' && isGone(e.result['underWay']);

/** Slack's error code, or the failure's scrubbed words (kept with the effect, and in `slack.undelivered`). */
const reason = (e: unknown): string => {
  const code = (e as { data?: { error?: unknown } }).data?.error;
  return typeof code === 'string' ? code : scrubDetail(e instanceof Error ? e.message : String(e));
};

export function createOutboxDrainer({ store, handlers, now, logger }: OutboxDeps): OutboxDrainer {
  const running = new Map<string, Promise<void>>();
  const log = logger.child({ component: 'outbox' });

  /** Settles an attempt of `group` that failed: back off, or give up. */
  async function failed(group: readonly Effect[], e: unknown): Promise<void> {
    const why = reason(e).slice(0, 500);
    for (const effect of group) {
      const attempts = effect.attempts + 1;
      const giveUp = e instanceof EffectRefused || attempts >= MAX_ATTEMPTS;
      const nextAt = giveUp ? null : instant(new Date(now().getTime() + backoffMs(attempts)));
      await store.outbox.settle(effect.id, { state: giveUp ? 'failed' : 'pending', attempts, nextAt, error: why, result: null });
      log.warn({ effect: effect.id, kind: effect.kind, subject: effect.subject, attempts, error: why }, giveUp ? 'Slack effect given up' : 'Slack effect failed; it will be tried again');
      if (giveUp) {
        const data = { effect: effect.id, kind: effect.kind, attempts, error: why };
        await store.audit.append([{ at: instant(now()), actor: SYSTEM_ID.outbox, action: 'slack.undelivered', subject: effect.subject, data }]);
      }
    }
  }

  /** One subject, under its lease, until it is empty or must wait. */
  async function drainSubject(subject: string): Promise<void> {
    const lease = `outbox:${subject}`;
    const holder = newHolder('outbox');
    if (!(await acquireLease(store.leases, lease, holder, SUBJECT_LEASE_MS, now()))) return;
    // When the lease was last taken or renewed: renewed before an effect only once a quarter of it has gone by (a
    // fresh one has at least 90 s left), so the first effect of a drain waits for no extra write.
    let heldAt = now().getTime();
    // The subject's effects already done, read once per drain and kept up to date by it: under the subject's lease
    // nobody else settles them, and a step that asks for them (a reply in the subject's thread) does not read every
    // earlier one again.
    let done = null as Effect[] | null;
    const earlier = async (): Promise<Effect[]> => (done ??= await store.outbox.list({ subject, states: ['done'] }));
    try {
      for (;;) {
        const pending = await store.outbox.list({ subject, limit: HEAD_READ });
        const head = pending[0];
        const due = (e: Effect): boolean => e.nextAt === null || e.nextAt <= instant(now()) || abandoned(e);
        if (!head || !due(head)) return;
        const handler = handlers[head.kind];
        if (!handler) return void log.warn({ effect: head.id, kind: head.kind }, 'no handler for this kind of Slack effect here; left for one that has it');
        const group = handler.batch ? pending.filter((e) => e.kind === head.kind && due(e)) : [head];
        // Lost the lease (it ran out while Slack was slow): another drain may be at it now.
        if (now().getTime() - heldAt > SUBJECT_LEASE_MS / 4) {
          if (!(await store.leases.renew(lease, holder, SUBJECT_LEASE_MS, now()))) return;
          heldAt = now().getTime();
        }
        for (const e of group) await store.outbox.settle(e.id, { state: 'pending', attempts: e.attempts + 1, nextAt: instant(new Date(now().getTime() + SUBJECT_LEASE_MS)), error: e.error, result: { underWay: holder } });
        try {
          const result = await handler.run(group, { replay: group.some((e) => e.attempts > 0), earlier: async () => [...(await earlier())] });
          for (const e of group) {
            const settled = { state: 'done', attempts: e.attempts + 1, nextAt: null, error: null, result: result ?? {} } as const;
            await store.outbox.settle(e.id, settled);
            done?.push({ ...e, ...settled });
          }
          done?.sort(inRecordedOrder);
        } catch (e) {
          await failed(group, e);
          if (!(e instanceof EffectRefused)) return;
        }
      }
    } finally {
      await store.leases.release(lease, holder).catch((e: unknown) => log.warn({ err: e, subject }, 'could not release an outbox lease'));
    }
  }

  /** One drain of a subject at a time in this process: a second waits for the first, then goes again. */
  function drainOne(subject: string): Promise<void> {
    const before = running.get(subject) ?? Promise.resolve();
    const next = before
      .then(() => drainSubject(subject))
      .catch((e: unknown) => log.error({ err: e, subject }, 'draining Slack effects failed; they stay recorded'))
      .finally(() => {
        if (running.get(subject) === next) running.delete(subject);
      });
    running.set(subject, next);
    return next;
  }

  return {
    async drain(subjects) {
      const todo = subjects ?? [...new Set((await store.outbox.list({ limit: SUBJECTS_PER_DRAIN })).map((e) => e.subject))];
      for (const subject of todo) await drainOne(subject);
    },
    async idle() {
      while (running.size > 0) await Promise.all(running.values());
    },
  };
}
