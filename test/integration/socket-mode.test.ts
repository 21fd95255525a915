/**
 * Socket Mode, the manifest's default and what a newcomer runs first: the whole bot with SLACK_APP_TOKEN set, Bolt's
 * own Socket Mode receiver and client opening a real WebSocket to the Slack fake (apps.connections.open with the
 * app-level token, at SLACK_API_URL). A slash command, a button and a modal submission (inline errors, then the
 * step) go through it as envelopes, each acked; a dropped connection is opened again and work goes on.
 */
import { ACTION, VIEW } from '../../src/slack/ids.js';
import { CHANNEL, PEOPLE, startHarness, type Harness } from '../support/bot-harness.js';
import { blockText, eventually } from '../support/patch-command.js';
import { stepNotes } from '../support/thread-notes.js';
import { auditActions, messageOf, postMessage, until } from './workflow-support.js';

describe('Socket Mode', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ socketMode: true });
  });
  afterAll(async () => {
    await h?.close();
  });

  /** `/patch <text>` over the socket: the ack, then what the bot answered at the response_url. */
  async function command(user: string, text: string) {
    const url = h.fake.createResponseUrl();
    const ack = await h.socket.sendSlashCommand({ command: '/patch', text, user_id: user, channel_id: CHANNEL, response_url: url });
    await eventually(() => h.fake.responses(url).length > 0, 10_000, `the answer to /patch ${text}`);
    return { ack, answer: h.fake.responses(url)[0]!.body as { text?: string; blocks?: unknown[] } };
  }

  it('opened its connection with the app-level token at SLACK_API_URL, and only there', () => {
    expect(h.fake.socketMode.opens).toBeGreaterThanOrEqual(1);
    expect(h.fake.calls('apps.connections.open').every((c) => c.token === h.fake.socketMode.appToken)).toBe(true);
    expect(h.fake.socketMode.connections().filter((c) => c.open)).toHaveLength(1);
  });

  it('a slash command is acked over the socket and answered at its response_url', async () => {
    const r = await h.seed({ title: 'Upgrade lodash to 4.17.21 in acme/web' });
    const { ack, answer } = await command(PEOPLE.manager.id, `show ${r.id}`);
    expect(ack.payload).toEqual({});
    expect(ack.messageProblems).toEqual([]);
    expect(blockText(answer.blocks)).toContain(`${r.id} timeline`);
    expect(blockText(answer.blocks)).toContain('Upgrade lodash to 4.17.21 in acme/web');
  });

  it('a refusal is said to the person, acked all the same', async () => {
    const ack = await h.socket.sendSlashCommand({ command: '/patch', text: 'status', user_id: PEOPLE.stranger.id, channel_id: CHANNEL });
    expect(ack.payload).toEqual({});
    await eventually(() => h.fake.ephemerals({ user: PEOPLE.stranger.id }).length > 0, 10_000, 'the refusal');
    expect(h.fake.ephemerals({ user: PEOPLE.stranger.id }).at(-1)?.text).toMatch(/role/i);
  });

  it('a button opens its modal; a submission with a missing field gets inline errors, then the step is recorded', async () => {
    const posted = await postMessage(h, await h.seed({ title: 'Upgrade minimist to 1.2.6 in acme/api' }));
    const clicked = await h.socket.sendBlockAction({ user: PEOPLE.lead.id, message: messageOf(h, posted), action_id: ACTION.assess });
    expect(clicked.payload).toEqual({});
    const modal = await until(() => h.fake.views({ callbackId: VIEW.assess, user: PEOPLE.lead.id, open: true }).at(-1), 'the assess modal');

    const refused = await h.socket.sendViewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: { business_impact: 'high' } });
    expect(refused.payload).toMatchObject({ response_action: 'errors', errors: { rationale: expect.any(String) } });
    expect(refused.viewResponseProblems).toEqual([]);
    expect((await h.store.remediations.get(posted.id))!.state).toBe('new');

    const done = await h.socket.sendViewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: { business_impact: 'high', rationale: 'Reachable from the public API.' } });
    expect(done.payload).toEqual({});
    await until(async () => (await h.store.remediations.get(posted.id))!.state === 'assessed' || null, 'the assessment');
    await until(() => stepNotes(h.fake.replies(CHANNEL, posted.message!.ts)).length > 0 || null, 'the note in the thread');
    expect(await auditActions(h, posted.id)).toEqual(['remediation.created', 'remediation.assessed']);
  });

  // The client waits its ping timeout (5 s, Bolt's default) before it opens a new connection.
  it('a dropped connection is opened again (after a disconnect message, or with no close frame), and the next command goes through', async () => {
    const opens = h.fake.socketMode.opens;
    await h.fake.socketMode.drop({ disconnect: 'refresh_requested' });
    await h.fake.socketMode.reconnected();
    expect(h.fake.socketMode.opens).toBe(opens + 1);
    const { ack, answer } = await command(PEOPLE.manager.id, 'help');
    expect(ack.payload).toEqual({});
    expect(answer.text).toContain('/patch show PW-12 [findings]');

    await h.fake.socketMode.drop({ terminate: true });
    await h.fake.socketMode.reconnected();
    expect((await command(PEOPLE.manager.id, 'help')).ack.payload).toEqual({});
  });
});
