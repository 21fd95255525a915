/**
 * Helpers for the workflow's end-to-end tests: wait for what the bot does after its ack, post a seeded
 * remediation's message as the digest would, and read the bot's Slack traffic.
 */
import { WebClient } from '@slack/web-api';
import type { Remediation } from '../../src/domain/remediation.js';
import { CHANNEL, startHarness, type Harness } from '../support/bot-harness.js';
import { postRemediationMessage } from '../support/post-message.js';
import { validateView } from '../support/slack/block-kit-limits.js';

/** Polls until `probe` gives something truthy (the bot works on after its ack); fails naming what it waited for. */
export async function until<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until the bot has made no Slack call for `quietMs` (the work after an ack is done). */
export async function settled(h: Pick<Harness, 'fake'>, quietMs = 200, timeoutMs = 10_000): Promise<void> {
  let seen = -1;
  await until(async () => {
    const n = h.fake.calls().length;
    if (n === seen) return true;
    seen = n;
    await new Promise((r) => setTimeout(r, quietMs));
    return h.fake.calls().length === seen;
  }, 'the bot to go quiet', timeoutMs);
}

/** Posts the remediation's one message (as the digest does) and returns it as stored. */
export async function postMessage(h: Harness, r: Remediation): Promise<Remediation> {
  const client = new WebClient(h.fake.botToken, { slackApiUrl: h.fake.url, retryConfig: { retries: 0 } });
  return postRemediationMessage({ client, channel: CHANNEL, store: h.store, context: () => ({ now: h.now(), timeZone: h.config.policy.timezone, sla: h.config.policy.sla }) }, r);
}

/** The remediation's message in the patch channel. */
export const messageOf = (h: Harness, r: Pick<Remediation, 'message'>) => {
  const m = h.fake.message(CHANNEL, r.message!.ts);
  if (!m) throw new Error('no such message');
  return m;
};

/** What the bot told a person privately: ephemerals anywhere, and DMs. */
export const toldTo = (h: Harness, user: string): string[] => [
  ...h.fake.ephemerals({ user }).map((e) => e.text),
  ...h.fake.messages(h.fake.dmChannel(user)).map((m) => m.text),
];

export type HomeBlock = { block_id: string; type: string; text?: { text: string }; elements?: { text: string }[] };

/** Opens the Home tab as Slack does and returns the blocks published for the person (within Slack's limits). */
export async function openHome(h: Harness, user: string): Promise<HomeBlock[]> {
  const before = h.fake.calls('views.publish').filter((c) => c.args.user_id === user).length;
  await h.driver.event({ type: 'app_home_opened', user, tab: 'home' });
  await until(() => h.fake.calls('views.publish').filter((c) => c.args.user_id === user).length > before, `the home of ${user}`);
  const view = h.fake.homeView(user)!.view;
  expect(validateView(view)).toEqual([]);
  return view.blocks as HomeBlock[];
}

/** Audit actions about one remediation, in order. */
export const auditActions = async (h: Harness, id: string): Promise<string[]> => (await h.store.audit.bySubject(id)).map((e) => e.action);

/** Every views.* and chat.* call the bot made that Slack refused (e.g. over Block Kit limits). */
export const refusedCalls = (h: Harness) =>
  h.fake.calls().filter((c) => /^(views|chat)\./.test(c.method) && (c.response as { ok?: boolean } | null)?.ok === false);

/**
 * The bot for one describe block: started before its tests, stopped after, and after each test a check that Slack
 * refused none of the bot's calls (and, with `noWarnings`, that the fake saw nothing suspicious either).
 */
export function useHarness(options: { noWarnings?: boolean } = {}): Harness {
  let current: Harness | null = null;
  beforeAll(async () => {
    current = await startHarness();
  });
  afterAll(async () => {
    await current?.close();
  });
  afterEach(() => {
    expect(refusedCalls(current!)).toEqual([]);
    if (options.noWarnings) expect(current!.fake.warnings()).toEqual([]);
  });
  return new Proxy({} as Harness, {
    get: (_target, key) => {
      if (!current) throw new Error('the harness starts in beforeAll');
      return current[key as keyof Harness];
    },
  });
}
