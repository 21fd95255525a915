/**
 * The Slack fake's Socket Mode, proven with Slack's real clients: @slack/socket-mode's SocketModeClient and a Bolt
 * App on a SocketModeReceiver, both pointed at the fake with clientOptions.slackApiUrl and retries off.
 */
import { App, SocketModeReceiver } from '@slack/bolt';
import { SocketModeClient } from '@slack/socket-mode';
import { ErrorCode, WebClient, type WebAPIPlatformError } from '@slack/web-api';
import { WebSocket } from 'ws';
import { startFakeSlack, type FakeSlack } from '../support/slack/fake-slack.js';
import { quietLogger } from '../support/slack/quiet-logger.js';
import { createSocketModeDriver, type SocketModeDriver } from '../support/slack/socket-mode-driver.js';

const C = 'C0PATCHES';
const LEAD = 'U0LEAD001';
/** Short client ping timeout: the client pings every third of it, and waits that long before reconnecting. */
const PING_MS = 300;

type Listener = { ack: (response?: Record<string, unknown>) => Promise<void>; body: Record<string, unknown> };

let fake: FakeSlack;
let slack: SocketModeDriver;
beforeEach(async () => {
  fake = await startFakeSlack();
  fake.addChannel({ id: C, name: 'patches' });
  fake.addUser({ id: LEAD, name: 'lena' });
  slack = createSocketModeDriver({ fake });
});
afterEach(() => fake.close());

describe('Socket Mode with the real SocketModeClient', () => {
  let client: SocketModeClient;
  beforeEach(() => {
    client = new SocketModeClient({
      appToken: fake.socketMode.appToken, clientPingTimeout: PING_MS, logger: quietLogger(),
      clientOptions: { slackApiUrl: fake.url, retryConfig: { retries: 0 } },
    });
  });
  afterEach(() => client.disconnect());

  it('opens a connection with the app-level token and is greeted with hello', async () => {
    const opened = (await client.start()) as unknown as { ok: boolean; url: string };
    expect(opened.url).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/link/\\?ticket=[0-9a-f-]{36}&app_id=${fake.bot.appId}$`));
    expect(fake.calls('apps.connections.open')).toMatchObject([{ token: fake.socketMode.appToken, status: 200 }]);
    expect(fake.socketMode.frames()[0]).toEqual({
      connection: 1, direction: 'sent',
      data: { type: 'hello', num_connections: 1, debug_info: { host: 'applink-fake-1', build_number: 1, approximate_connection_time: 18060 }, connection_info: { app_id: fake.bot.appId } },
    });
  });

  it('delivers a slash command envelope and resolves with the ack\'s payload', async () => {
    const received: Listener['body'][] = [];
    client.on('slash_commands', async ({ ack, body }: Listener) => {
      received.push(body);
      await ack({ response_type: 'ephemeral', text: `on it: ${String(body.text)}` });
    });
    await client.start();
    const ack = await slack.sendSlashCommand({ command: '/patch', text: 'status', user_id: LEAD, channel_id: C });
    expect(ack.payload).toEqual({ response_type: 'ephemeral', text: 'on it: status' });
    expect(received[0]).toMatchObject({ command: '/patch', text: 'status', user_id: LEAD, user_name: 'lena', channel_id: C, channel_name: 'patches', api_app_id: fake.bot.appId, is_enterprise_install: 'false' });
    const envelope = fake.socketMode.frames().find((f) => f.direction === 'sent' && (f.data as { type: string }).type === 'slash_commands')?.data;
    expect(envelope).toEqual({ envelope_id: ack.envelope_id, type: 'slash_commands', accepts_response_payload: true, payload: received[0], retry_attempt: 0, retry_reason: '' });
    expect(fake.socketMode.frames().at(-1)).toEqual({ connection: 1, direction: 'received', data: { envelope_id: ack.envelope_id, payload: ack.payload } });
  });

  it('delivers events_api envelopes (the event_callback) and interactive view submissions with a response_action ack', async () => {
    const events: unknown[] = [];
    client.on('app_home_opened', async ({ ack, event, retry_num }: Listener & { event: unknown; retry_num: number }) => {
      events.push({ event, retry_num });
      await ack();
    });
    client.on('interactive', async ({ ack, body }: Listener) => {
      if (body.type === 'view_submission') await ack({ response_action: 'errors', errors: { b_in: 'Say why' } });
    });
    await client.start();
    const home = await slack.sendEvent({ type: 'app_home_opened', user: LEAD }, { retryAttempt: 1, retryReason: 'timeout' });
    expect(home.payload).toEqual({});
    expect(events).toEqual([{ event: expect.objectContaining({ type: 'app_home_opened', user: LEAD, tab: 'home', channel: fake.dmChannel(LEAD) }), retry_num: 1 }]);

    const web = new WebClient(fake.botToken, { slackApiUrl: fake.url, retryConfig: { retries: 0 } });
    const input = { type: 'input', block_id: 'b_in', label: { type: 'plain_text', text: 'Why' }, element: { type: 'plain_text_input', action_id: 'why' } };
    await web.views.open({ trigger_id: fake.issueTriggerId({ user: LEAD }), view: { type: 'modal', callback_id: 'assess', title: { type: 'plain_text', text: 'Assess' }, submit: { type: 'plain_text', text: 'Save' }, blocks: [input] } });
    const [modal] = fake.views({ callbackId: 'assess' });
    const submitted = await slack.sendViewSubmission({ user: LEAD, view: modal!, inputs: { why: '' } });
    expect([submitted.payload, submitted.viewResponseProblems, fake.view(modal!.id)?.open]).toEqual([{ response_action: 'errors', errors: { b_in: 'Say why' } }, [], true]);
  });

  it('re-opens a dropped connection: disconnect refresh_requested, then an abrupt close', async () => {
    client.on('slash_commands', async ({ ack }: Listener) => ack());
    await client.start();
    const first = await fake.socketMode.drop({ disconnect: 'refresh_requested' });
    const second = await fake.socketMode.reconnected();
    expect([first.open, second.id, fake.socketMode.opens, fake.calls('apps.connections.open')]).toEqual([false, 2, 2, [expect.anything(), expect.anything()]]);
    expect(second.ticket).not.toBe(first.ticket);
    expect(fake.socketMode.frames().filter((f) => f.connection === 1).map((f) => (f.data as { type?: string }).type)).toEqual(['hello', 'disconnect']);

    await fake.socketMode.drop({ terminate: true });
    const third = await fake.socketMode.reconnected();
    expect([third.id, fake.socketMode.connections().filter((c) => c.open).map((c) => c.id)]).toEqual([3, [3]]);
    expect((await slack.sendSlashCommand({ command: '/patch', text: '', user_id: LEAD, channel_id: C })).connection).toBe(3);
  });

  it('rejects an envelope the app never acknowledges', async () => {
    await client.start();
    await expect(slack.sendBlockAction({ user: LEAD, action_id: 'assess', value: 'PW-1' }, { ackTimeoutMs: 200 })).rejects.toThrow(/not acknowledged within 200 ms/);
  });
});

describe('Socket Mode tokens and tickets', () => {
  it('accepts only the app-level token for apps.connections.open, and refuses it elsewhere', async () => {
    const asBot = new WebClient(fake.botToken, { slackApiUrl: fake.url, retryConfig: { retries: 0 }, logger: quietLogger() });
    const asApp = new WebClient(fake.socketMode.appToken, { slackApiUrl: fake.url, retryConfig: { retries: 0 }, logger: quietLogger() });
    const error = (p: Promise<unknown>) => p.then(() => 'ok', (e: WebAPIPlatformError) => (e.code === ErrorCode.PlatformError ? e.data.error : String(e)));
    expect(await error(asBot.apps.connections.open())).toBe('not_allowed_token_type');
    expect(await error(new WebClient('xapp-1-other', { slackApiUrl: fake.url, retryConfig: { retries: 0 }, logger: quietLogger() }).apps.connections.open())).toBe('invalid_auth');
    expect(await error(asApp.chat.postMessage({ channel: C, text: 'hi' }))).toBe('not_allowed_token_type');
    expect(fake.socketMode.opens).toBe(0);
  });

  it('lets a ticket open one socket only', async () => {
    const { url } = (await new WebClient(fake.socketMode.appToken, { slackApiUrl: fake.url, retryConfig: { retries: 0 } }).apps.connections.open()) as { url: string };
    const connect = (u: string) => new Promise<number | string>((resolve) => {
      const ws = new WebSocket(u);
      ws.on('message', (data) => {
        resolve((JSON.parse(String(data)) as { type: string }).type);
        ws.close();
      });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    });
    expect(await connect(url)).toBe('hello');
    expect(await connect(url)).toBe(401);
  });
});

describe('Socket Mode with a Bolt App', () => {
  it('runs a /patch command listener over the socket, and keeps working after the connection drops', async () => {
    const receiver = new SocketModeReceiver({
      appToken: fake.socketMode.appToken, clientPingTimeout: PING_MS, logger: quietLogger(),
      installerOptions: { clientOptions: { slackApiUrl: fake.url, retryConfig: { retries: 0 } } },
    });
    const app = new App({ token: fake.botToken, receiver, logger: quietLogger(), clientOptions: { slackApiUrl: fake.url, retryConfig: { retries: 0 } } });
    app.command('/patch', async ({ ack, command }) => {
      await ack({ response_type: 'ephemeral', text: `patchwarden: ${command.text}` });
    });
    await app.start();
    try {
      await fake.socketMode.waitForConnection();
      const ack = await slack.sendSlashCommand({ command: '/patch', text: 'status', user_id: LEAD, channel_id: C });
      expect([ack.payload, ack.messageProblems]).toEqual([{ response_type: 'ephemeral', text: 'patchwarden: status' }, []]);
      expect(fake.calls('auth.test')).toHaveLength(1);

      await fake.socketMode.drop();
      await fake.socketMode.reconnected();
      const again = await slack.sendSlashCommand({ command: '/patch', text: 'list', user_id: LEAD, channel_id: C });
      expect([again.payload.text, again.connection]).toEqual(['patchwarden: list', 2]);
    } finally {
      await app.stop();
    }
  });
});
