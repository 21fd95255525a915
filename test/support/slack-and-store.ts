/**
 * For tests of what the outbox does in Slack: a Slack fake and a temporary SQLite store for each test, the patch
 * channel's id, a clock the test moves (`later`), and a WebClient on the fake with retries off (one per replica).
 */
import { WebClient } from '@slack/web-api';
import { startFakeSlack, type FakeSlack } from './slack/fake-slack.js';
import { tempStore, type TempStore } from './temp-store.js';

export interface SlackAndStore {
  readonly fake: FakeSlack;
  readonly temp: TempStore;
  readonly channel: string;
  now(): Date;
  /** Moves the clock on by `minutes`; the new time. */
  later(minutes: number): Date;
  client(): WebClient;
}

export function useSlackAndStore(start = '2026-11-10T12:00:00Z', channel = 'C0PATCHES'): SlackAndStore {
  let fake: FakeSlack | null = null;
  let temp: TempStore | null = null;
  let clock = new Date(start);
  beforeEach(async () => {
    fake = await startFakeSlack();
    temp = await tempStore();
    clock = new Date(start);
  });
  afterEach(async () => {
    await fake?.close();
    await temp?.dispose();
  });
  const must = <T>(x: T | null): T => {
    if (x === null) throw new Error('the Slack fake and the store start in beforeEach');
    return x;
  };
  return {
    get fake() {
      return must(fake);
    },
    get temp() {
      return must(temp);
    },
    channel,
    now: () => clock,
    later: (minutes) => (clock = new Date(clock.getTime() + minutes * 60_000)),
    client: () => new WebClient(must(fake).botToken, { slackApiUrl: must(fake).url, retryConfig: { retries: 0 } }),
  };
}
