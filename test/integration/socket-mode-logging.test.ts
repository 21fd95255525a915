/**
 * The bot in Socket Mode at LOG_LEVEL=debug: Bolt's socket client logs every frame it receives, and those carry
 * the legacy verification token and response_urls; the WebSocket URL carries a connection ticket. None of it may
 * reach a log line, whatever the level.
 */
import { PEOPLE, CHANNEL, startHarness, type Harness } from '../support/bot-harness.js';
import { captureLogs, linesShowing, type LogCapture } from '../support/log-capture.js';
import { createSocketModeDriver } from '../support/slack/socket-mode-driver.js';
import { until } from './workflow-support.js';

const VERIFICATION_TOKEN = 'legacyVerificationTok3n';

describe('Socket Mode at debug level', () => {
  let h: Harness;
  let logs: LogCapture;
  beforeAll(async () => {
    logs = captureLogs();
    h = await startHarness({ socketMode: true, logLevel: 'debug', logs: logs.stream });
    await h.fake.socketMode.waitForConnection();
  });
  afterAll(() => h.close());

  it('logs what happened, never a token, a response_url or the connection ticket', async () => {
    const slack = createSocketModeDriver({ fake: h.fake, verificationToken: VERIFICATION_TOKEN });
    const r = await h.seed();
    const ack = await slack.sendSlashCommand({ command: '/patch', text: 'status', user_id: PEOPLE.manager.id, channel_id: CHANNEL });
    expect(ack.envelope_id).toBeTruthy();
    await until(() => h.fake.responses().length > 0, 'the status answer');
    await slack.sendEvent({ type: 'app_home_opened', user: PEOPLE.lead.id });
    await until(() => h.fake.homeView(PEOPLE.lead.id), 'the home tab');
    await slack.sendBlockAction({ user: PEOPLE.stranger.id, action_id: 'pw.assess', value: JSON.stringify({ r: r.id }), channel: CHANNEL });
    await until(async () => (await h.store.audit.bySubject(r.id)).some((e) => e.action === 'access.denied'), 'the denial');

    const lines = logs.lines();
    // The socket client did log at debug (so this checks something), and the frames are summarised, not dumped.
    expect(lines.some((l) => l.includes('"level":20') && /WebSocket/.test(l))).toBe(true);
    const responseUrls = h.fake.responses().map((x) => x.url);
    const tickets = h.fake.socketMode.connections().map((c) => c.ticket);
    const secrets = [h.fake.botToken, h.fake.socketMode.appToken, VERIFICATION_TOKEN, ...responseUrls, ...tickets, 'harness-signing-secret'];
    expect(linesShowing(lines, secrets)).toEqual([]);
  });
});
