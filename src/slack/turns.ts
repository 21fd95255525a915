/**
 * Who goes next. Acks never wait: a listener acks, then asks for a turn for the work after it. Each request names
 * its lane:
 *
 * | lane | what | waits |
 * |---|---|---|
 * | `interaction` | a button opening a modal (its trigger_id lives ~3 s), a modal just submitted, a select, the Home tab | first: deadline = arrival |
 * | `answer` | a command's answer (status, list, show, inventory, help) | deadline = arrival + 250 ms |
 * | `background` | long work: `/patch sync`, `/patch digest`, `/patch evidence`, evidence uploads, App Home refreshes | its own slots, first come first served |
 *
 * People's work shares `slots` turns (default 8: most of a turn is waiting on Slack's answer), handed out earliest deadline first; each request the same person
 * already has waiting moves a new one's deadline 250 ms later. So a click goes ahead of every status request that
 * arrived less than 250 ms before it (a burst of 300 never stands between a person and their modal), one person's
 * twenty requests do not hold back the next person's one, and nothing starves: a deadline never moves once given, so
 * whatever arrives later than 250 ms after a waiting answer goes behind it.
 * Long work runs in its own `background` slots (default 4): a sync, a digest or three uploads never hold a person's
 * turn, and a burst of people never holds them back. Scheduled jobs (src/jobs/scheduler.ts) take no turn at all:
 * they start at their tick.
 * Every turn starts from setImmediate, so requests already on the wire are read and acked before the next work runs.
 * Slack's 3-second limit is on the ack, not on the work. And acks go first: while a request that arrived is not yet
 * acknowledged (its listener may still be reading the store to say what is wrong with a form), no new work starts,
 * for at most ACK_HOLD_MS in a row, INTERACTION_ACK_HOLD_MS for a click's or a submission's (`acks`, counted by the
 * HTTP receiver: receiver.ts). So a burst is acked before its answers are worked on, instead of each ack waiting
 * behind the answers of the requests that came before it, and a person's modal still goes first once the hold ends.
 */
import { setImmediate as nextTick } from 'node:timers/promises';

export type Lane = 'interaction' | 'answer' | 'background';

export interface TurnRequest {
  readonly lane: Lane;
  /** The person it is for (a Slack user id), for fairness between people. */
  readonly who?: string;
}

export interface Turns {
  /** Runs `work` when its turn comes; resolves or rejects with it. */
  run<T>(work: () => Promise<T>, request: TurnRequest): Promise<T>;
  /** Resolves once no work is running or waiting (shutdown: what was acknowledged is done before the store closes). */
  idle(): Promise<void>;
}

/** How long after its arrival each kind of person's work is due (its deadline). */
export const LANE_BUDGET_MS: Readonly<Record<Exclude<Lane, 'background'>, number>> = { interaction: 0, answer: 250 };
/** How much later a request is due for each request of the same person already waiting. */
export const PER_WAITING_MS = 250;

/** Requests read and not yet acknowledged (the HTTP receiver counts them). */
export interface PendingAcks {
  pending(): number;
  /** Calls `then` once none is pending. */
  whenNone(then: () => void): void;
}

/** The longest new work waits, in a row, for acks still owed. */
export const ACK_HOLD_MS = 500;
/** The same for a person's click or submission (its trigger lives ~3 s; a burst's acks may take longer than this). */
export const INTERACTION_ACK_HOLD_MS = 150;

export interface TurnsOptions {
  /** Acks still owed: no new work starts while there are some (at most ACK_HOLD_MS in a row). */
  readonly acks?: PendingAcks;
  /** Turns for people's work (interaction, answer). */
  readonly slots?: number;
  /** Turns for long work, apart from people's. */
  readonly background?: number;
  /** Milliseconds, monotonic (tests pin it). */
  readonly now?: () => number;
  /** Told how long a turn waited once it starts (a warning above a second is the caller's choice). */
  readonly onStart?: (lane: Lane, waitedMs: number) => void;
}

export interface Waiting {
  readonly deadline: number;
  /** Arrival order: breaks ties. */
  readonly seq: number;
}

/** Index of the waiting request to start next: earliest deadline, then earliest arrival (-1 when none). */
export function nextUp(waiting: readonly Waiting[]): number {
  let best = -1;
  for (let i = 0; i < waiting.length; i += 1) {
    const w = waiting[i]!;
    const b = waiting[best];
    if (!b || w.deadline < b.deadline || (w.deadline === b.deadline && w.seq < b.seq)) best = i;
  }
  return best;
}

interface Entry extends Waiting {
  readonly lane: Lane;
  readonly who: string | undefined;
  readonly arrived: number;
  readonly start: () => void;
}

/** Holds new work while acks are owed, for at most `holdMs` in a row; `held(retry, holdMs)` is true while it does. */
function ackGate(acks: PendingAcks | undefined, now: () => number): (retry: () => void, holdMs: number) => boolean {
  let holdingSince: number | null = null;
  const retries = new Set<() => void>();
  let timer: NodeJS.Timeout | null = null;
  let timerDue = Infinity;
  let watching = false;
  const release = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    timerDue = Infinity;
    watching = false;
    const all = [...retries];
    retries.clear();
    for (const retry of all) retry();
  };
  return (retry, holdMs) => {
    if (!acks || acks.pending() === 0) {
      holdingSince = null;
      return false;
    }
    holdingSince ??= now();
    const left = holdMs - (now() - holdingSince);
    if (left <= 0) return false;
    if (!watching) {
      watching = true;
      acks.whenNone(release);
    }
    // Woken by the earliest hold that runs out (a click's, before an answer's).
    if (now() + left < timerDue) {
      if (timer) clearTimeout(timer);
      timerDue = now() + left;
      timer = setTimeout(release, left);
    }
    retries.add(retry);
    return true;
  };
}

/** How long each lane's work waits, at most, for acks owed: a person's modal or click less than an answer. */
const holdFor = (lane: Lane): number => (lane === 'interaction' ? INTERACTION_ACK_HOLD_MS : ACK_HOLD_MS);

/** A number of turns and the requests waiting for one; `pick` chooses among them. */
function pool(size: number, pick: (waiting: readonly Entry[]) => number, held: (retry: () => void, holdMs: number) => boolean) {
  let running = 0;
  const waiting: Entry[] = [];
  const startNext = (): void => {
    while (running < size && waiting.length > 0) {
      const next = pick(waiting);
      if (held(startNext, holdFor(waiting[next]!.lane))) return;
      const [entry] = waiting.splice(next, 1);
      running += 1;
      entry!.start();
    }
  };
  return {
    waiting,
    enqueue(entry: Entry): void {
      waiting.push(entry);
      void nextTick().then(startNext);
    },
    done(): void {
      running -= 1;
      void nextTick().then(startNext);
    },
  };
}

export function createTurns({ slots = 8, background = 4, now = () => performance.now(), onStart, acks }: TurnsOptions = {}): Turns {
  const held = ackGate(acks, now);
  const people = pool(slots, nextUp, held);
  const long = pool(background, () => 0, held);
  const waitingOf = new Map<string, number>();
  let seq = 0;
  /** Work accepted and not finished (waiting for a turn, or in one), and who waits for there to be none. */
  let accepted = 0;
  const whenIdle: (() => void)[] = [];

  const deadlineOf = (lane: Lane, who: string | undefined, at: number): number => {
    if (lane === 'background') return at;
    return at + LANE_BUDGET_MS[lane] + (who === undefined ? 0 : (waitingOf.get(who) ?? 0) * PER_WAITING_MS);
  };
  const count = (who: string | undefined, by: number): void => {
    if (who === undefined) return;
    const n = (waitingOf.get(who) ?? 0) + by;
    if (n > 0) waitingOf.set(who, n);
    else waitingOf.delete(who);
  };

  async function inTurn<T>(work: () => Promise<T>, { lane, who }: TurnRequest): Promise<T> {
    const target = lane === 'background' ? long : people;
    const arrived = now();
    await new Promise<void>((start) => {
      const person = lane === 'background' ? undefined : who;
      target.enqueue({ lane, who: person, arrived, deadline: deadlineOf(lane, person, arrived), seq: (seq += 1), start: () => {
        count(person, -1);
        start();
      } });
      count(person, 1);
    });
    onStart?.(lane, now() - arrived);
    try {
      await nextTick(); // let pending requests be read and acked first
      return await work();
    } finally {
      target.done();
    }
  }

  return {
    async run(work, request) {
      accepted += 1;
      try {
        return await inTurn(work, request);
      } finally {
        accepted -= 1;
        if (accepted === 0) for (const done of whenIdle.splice(0)) done();
      }
    },
    idle: () => (accepted === 0 ? Promise.resolve() : new Promise<void>((done) => whenIdle.push(done))),
  };
}
