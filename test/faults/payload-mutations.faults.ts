/**
 * Thousands of mutated deliveries on every inbound surface, correctly signed so that each reaches the bot's code:
 * slash commands, block_actions and view_submission over HTTP, Events API envelopes, and the same payloads as
 * Socket Mode envelopes. Never a 5xx, never a body that says anything about the inside, never a change of state
 * (only refusals may be recorded), never an unhandled rejection (jest fails the test it happens in: the bot runs
 * in this process), never a secret in the debug log. The seed is printed; FAULTS_SEED=<seed> replays the same bodies.
 */
import { PEOPLE, SIGNING_SECRET } from '../support/bot-harness.js';
import { createSocketModeDriver } from '../support/slack/socket-mode-driver.js';
import { settled } from '../integration/workflow-support.js';
import { stagedBot } from './support/deliveries.js';
import { createRng, faultSeed, mutateDelivery, mutateValue } from './support/mutate.js';
import { sendRaw } from './support/raw-request.js';
import { changesSince } from './support/state-snapshot.js';
import { faultTally } from './support/tally.js';

const HTTP_DELIVERIES = Number(process.env['FAULTS_MUTATIONS'] ?? 2000);
const SOCKET_DELIVERIES = Math.round(HTTP_DELIVERIES / 5);
const IN_FLIGHT = 8;
/** What a response may never show: a stack, a path, an error's name. */
const INTERNALS = /\bat \S+ \(|node_modules|\/src\/|\/work\/|Error:|TypeError|SQLITE|Mongo/;

const seed = faultSeed();

describe(`mutated deliveries (seed ${seed})`, () => {
  const tally = faultTally('mutated deliveries');
  const bot = stagedBot();
  beforeAll(() => void process.stdout.write(`mutated deliveries: seed ${seed} (replay with FAULTS_SEED=${seed})\n`));

  it(`${HTTP_DELIVERIES} over HTTP: no 5xx, nothing inside shown, nothing changed`, async () => {
    const rng = createRng(seed);
    const url = `http://127.0.0.1:${bot.h.running.port}/slack/events`;
    const bad: string[] = [];
    const statuses = new Map<number, number>();
    const slow: string[] = [];
    for (let i = 0; i < HTTP_DELIVERIES; i += IN_FLIGHT) {
      await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, HTTP_DELIVERIES - i) }, async (_, k) => {
        const base = rng.pick(bot.all);
        const m = mutateDelivery(base.delivered, rng);
        tally.injected();
        const res = await sendRaw(url, { body: m.body, contentType: m.contentType, secret: SIGNING_SECRET });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const line = `#${i + k} ${base.name} [${m.what.join('; ')}]: ${res.status} ${res.text.slice(0, 120)}`;
        if (res.status >= 500 || INTERNALS.test(res.text)) bad.push(line);
        // Not acknowledged within 3 s (Bolt's 404): Slack retries it; allowed, but named, as it is slow.
        if (res.status === 404) slow.push(line);
      }));
    }
    await settled(bot.h, 400);
    process.stdout.write(`mutated deliveries over HTTP: statuses ${JSON.stringify(Object.fromEntries(statuses))}\n${slow.slice(0, 5).map((l) => `  not acknowledged: ${l}\n`).join('')}`);
    expect(bad).toEqual([]);
    expect(await changesSince(bot.h.store, bot.before)).toEqual([]);
    tally.survived(HTTP_DELIVERIES);
  });

  it('no secret in any debug log line of it', () => {
    const { h } = bot;
    const secrets = [h.fake.botToken, SIGNING_SECRET, 'fake-verification-token', ...h.fake.responses().map((r) => r.url)];
    tally.logsChecked(bot.logs.lines(), secrets);
  });
});

describe(`mutated Socket Mode envelopes (seed ${seed})`, () => {
  const tally = faultTally('mutated socket mode envelopes');
  const bot = stagedBot({ socketMode: true });

  it(`${SOCKET_DELIVERIES} envelopes: each acknowledged or left (Slack retries), nothing changed, the bot still connected`, async () => {
    const rng = createRng(seed + 1);
    const slack = bot.h.fake.socketMode;
    for (let i = 0; i < SOCKET_DELIVERIES; i += IN_FLIGHT) {
      await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, SOCKET_DELIVERIES - i) }, async () => {
        const base = rng.pick(bot.all);
        const d = base.delivered;
        const type = d.kind === 'form' ? 'slash_commands' : d.kind === 'json' ? 'events_api' : 'interactive';
        const { value } = mutateValue(d.kind === 'form' ? d.fields : d.kind === 'json' ? d.body : d.payload, rng);
        tally.injected();
        // An envelope the app does not acknowledge is retried by Slack; what matters is that nothing else happens.
        await slack.send(type, value as Record<string, unknown>, { ackTimeoutMs: 3500 }).catch(() => undefined);
      }));
    }
    await settled(bot.h, 400);
    expect(slack.connections().filter((c) => c.open)).toHaveLength(1);
    expect(await changesSince(bot.h.store, bot.before)).toEqual([]);
    // Still answering: a real command after the flood.
    const ack = await createSocketModeDriver({ fake: bot.h.fake }).sendSlashCommand({ command: '/patch', text: 'help', user_id: PEOPLE.lead.id, channel_id: 'C0PATCHES' });
    expect(ack.envelope_id).toBeTruthy();
    tally.survived(SOCKET_DELIVERIES);
  });

  it('no secret in any debug log line of it', () => {
    const { h } = bot;
    const secrets = [h.fake.botToken, h.fake.socketMode.appToken, 'fake-verification-token', ...h.fake.socketMode.connections().map((c) => c.ticket)];
    tally.logsChecked(bot.logs.lines(), secrets);
  });
});
