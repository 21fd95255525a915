/**
 * Acks never wait; the work after an ack takes turns. Under a burst (50 slash commands at once) each listener
 * acks, then queues what it does next; a turn starts from setImmediate, so every request already on the wire is
 * read and acked before the next piece of slow work runs. Slack's 3-second limit is on the ack, not on the work.
 */
import { setImmediate as nextTick } from 'node:timers/promises';

export interface Turns {
  /** Runs `work` when a turn is free; resolves or rejects with it. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Resolves once no work is running or waiting (shutdown: what was acknowledged is done before the store closes). */
  idle(): Promise<void>;
}

export function createTurns(concurrency = 4): Turns {
  let running = 0;
  const waiting: (() => void)[] = [];
  /** Work accepted and not finished (waiting for a turn, or in one), and who waits for there to be none. */
  let accepted = 0;
  const whenIdle: (() => void)[] = [];

  const startNext = (): void => {
    if (running >= concurrency) return;
    const next = waiting.shift();
    if (!next) return;
    running += 1;
    next();
  };

  async function inTurn<T>(work: () => Promise<T>): Promise<T> {
    await new Promise<void>((turn) => {
      waiting.push(turn);
      void nextTick().then(startNext);
    });
    try {
      await nextTick(); // let pending requests be read and acked first
      return await work();
    } finally {
      running -= 1;
      void nextTick().then(startNext);
    }
  }

  return {
    async run(work) {
      accepted += 1;
      try {
        return await inTurn(work);
      } finally {
        accepted -= 1;
        if (accepted === 0) for (const done of whenIdle.splice(0)) done();
      }
    },
    idle: () => (accepted === 0 ? Promise.resolve() : new Promise<void>((done) => whenIdle.push(done))),
  };
}
