/**
 * Acks never wait; the work after an ack takes turns. Under a burst (50 slash commands at once) each listener
 * acks, then queues what it does next; a turn starts from setImmediate, so every request already on the wire is
 * read and acked before the next piece of slow work runs. Slack's 3-second limit is on the ack, not on the work.
 */
import { setImmediate as nextTick } from 'node:timers/promises';

export interface Turns {
  /** Runs `work` when a turn is free; resolves or rejects with it. */
  run<T>(work: () => Promise<T>): Promise<T>;
}

export function createTurns(concurrency = 4): Turns {
  let running = 0;
  const waiting: (() => void)[] = [];

  const startNext = (): void => {
    if (running >= concurrency) return;
    const next = waiting.shift();
    if (!next) return;
    running += 1;
    next();
  };

  return {
    async run(work) {
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
    },
  };
}
