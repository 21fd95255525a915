/**
 * Two replicas of the bot on one store and one Slack: the harness's bot (`a`, with the fake, the store and a
 * driver) and a second process-alike started from the same config (`b`), neither running jobs on its own cron, so a
 * test fires every schedule on both at once. `both` sends a request to `a` and the same request to `b` at the same
 * moment (pass it as the driver's send options).
 */
import type { MessageRecord } from './slack/fake-state.js';
import { createLogger } from '../../src/logger.js';
import { startPatchwarden, type Running } from '../../src/main.js';
import { CHANNEL, startHarness, type Harness, type HarnessOptions } from './bot-harness.js';

export interface Replicas {
  readonly a: Harness;
  readonly b: Running;
  /** Driver options delivering each request to both replicas at once. */
  readonly both: { readonly alsoTo: readonly string[] };
  /** Top-level messages of the channel that are a remediation's (they start with its id). */
  messagesOf(id: string): MessageRecord[];
  close(): Promise<void>;
}

export async function startReplicas(options: HarnessOptions = {}): Promise<Replicas> {
  const a = await startHarness(options);
  const b = await startPatchwarden(a.config, createLogger(options.logLevel ?? 'silent', options.logs), { clientOptions: { retryConfig: { retries: 0 } }, now: a.now, scheduleJobs: false });
  return {
    a,
    b,
    both: { alsoTo: [`http://127.0.0.1:${b.port}/slack/events`] },
    messagesOf: (id) => a.fake.messages(CHANNEL).filter((m) => m.text.startsWith(`${id} `)),
    async close() {
      await b.stop();
      await a.close();
    },
  };
}
