/**
 * What reaches `/slack/events` correctly signed but is not something the bot answers: a body that is not a Slack
 * payload is a 400 at once (Bolt used to leave `payload=null` unanswered, an unhandled rejection); an action, a
 * view or a command no listener has is acknowledged at once and nothing happens (Bolt used to wait 3 s and answer
 * 404). Every id the bot uses has its listener: none of them is taken for unknown.
 */
import { ACTION, VIEW } from '../../src/slack/ids.js';
import { PEOPLE, SIGNING_SECRET, startHarness, type Harness } from '../support/bot-harness.js';
import { captureLogs, type LogCapture } from '../support/log-capture.js';
import { sendRaw } from '../faults/support/raw-request.js';
import { settled, until } from './workflow-support.js';

const FORM = 'application/x-www-form-urlencoded';
const payload = (p: unknown) => `payload=${encodeURIComponent(JSON.stringify(p))}`;
const UNKNOWN = 'an interaction no listener answers';

describe('what the bot does not answer', () => {
  let h: Harness;
  let logs: LogCapture;
  beforeAll(async () => {
    logs = captureLogs();
    h = await startHarness({ logLevel: 'info', logs: logs.stream });
  });
  afterAll(() => h.close());
  const url = () => `http://127.0.0.1:${h.running.port}/slack/events`;
  const send = (body: string, contentType = FORM) => sendRaw(url(), { body, contentType, secret: SIGNING_SECRET });

  it.each([
    ['payload=null', 'payload=null', FORM],
    ['a JSON null', 'null', 'application/json'],
    ['an array payload', payload([1, 2]), FORM],
    ['a number', '42', 'application/json'],
    ['an unknown kind of payload', payload({ type: 'not_a_slack_type', user: { id: PEOPLE.lead.id } }), FORM],
    ['an event that is a string', JSON.stringify({ type: 'event_callback', event_id: 'Ev1', event: 'x', team_id: 'T1' }), 'application/json'],
  ])('%s: 400 at once, and the bot goes on answering', async (_name, body, contentType) => {
    expect((await send(body, contentType)).status).toBe(400);
    expect((await send('ssl_check=1&token=x')).status).toBe(200);
  });

  it('the same bodies unsigned are refused as unsigned: 401', async () => {
    expect((await sendRaw(url(), { body: 'payload=null', contentType: FORM, secret: 'not-the-secret' })).status).toBe(401);
  });

  it("Slack's unsigned ssl_check is a 200; an interaction smuggled beside it goes no further", async () => {
    const head = (await h.store.audit.head())?.seq ?? 0;
    const calls = h.fake.calls().length;
    const user = { id: PEOPLE.lead.id, username: 'lena.lead', team_id: 'T0FAKE001' };
    const smuggled = payload({ type: 'block_actions', user, team: { id: 'T0FAKE001' }, actions: [{ type: 'button', action_id: ACTION.assess, value: '{"r":"PW-1"}', action_ts: '7.7' }], trigger_id: '7.7.7' });
    for (const body of ['ssl_check=1&token=x', `ssl_check=1&${smuggled}`]) {
      const res = await sendRaw(url(), { body, contentType: FORM, secret: SIGNING_SECRET, signature: null });
      expect([res.status, res.text]).toEqual([200, '']);
    }
    // Without ssl_check, the same unsigned form is refused.
    expect((await sendRaw(url(), { body: smuggled, contentType: FORM, secret: SIGNING_SECRET, signature: null })).status).toBe(401);
    await settled(h);
    expect(h.fake.calls()).toHaveLength(calls);
    expect((await h.store.audit.head())?.seq ?? 0).toBe(head);
  });

  it('an interaction without who or what (no user, no view state): acknowledged, nothing done', async () => {
    const calls = h.fake.calls().length;
    for (const body of [
      payload({ type: 'view_submission', team: { id: 'T0FAKE001' }, user: { id: PEOPLE.lead.id }, view: { id: 'V1', callback_id: VIEW.assess, private_metadata: '{"r":"PW-1"}' } }),
      payload({ type: 'block_actions', team: { id: 'T0FAKE001' }, user: { id: PEOPLE.lead.id }, actions: 'pw.assess' }),
      payload({ type: 'block_actions', team: { id: 'T0FAKE001' }, user: [], actions: [{ action_id: ACTION.assess }] }),
    ]) expect((await send(body)).status).toBe(200);
    await settled(h);
    expect(h.fake.calls()).toHaveLength(calls);
  });

  it('an unknown action, view or command: acknowledged, nothing done', async () => {
    const head = (await h.store.audit.head())?.seq ?? 0;
    const calls = h.fake.calls().length;
    const user = { id: PEOPLE.lead.id, username: 'lena.lead', team_id: 'T0FAKE001' };
    for (const body of [
      payload({ type: 'block_actions', user, team: { id: 'T0FAKE001' }, actions: [{ type: 'button', action_id: 'pw.unknown', action_ts: '1.2' }], trigger_id: '1.2.3' }),
      payload({ type: 'view_submission', user, team: { id: 'T0FAKE001' }, view: { id: 'V1', callback_id: 'pw.unknown_modal', state: { values: {} }, private_metadata: '' } }),
      payload({ type: 'view_closed', user, team: { id: 'T0FAKE001' }, view: { id: 'V1', callback_id: VIEW.assess } }),
      'command=%2Fother&text=x&user_id=U0LEAD&trigger_id=1.2.3&team_id=T0FAKE001&channel_id=C0PATCHES&response_url=http%3A%2F%2F127.0.0.1%3A1%2Fx',
    ]) {
      const res = await send(body);
      expect([res.status, res.text]).toEqual([200, '']);
    }
    await settled(h);
    expect(h.fake.calls()).toHaveLength(calls);
    expect((await h.store.audit.head())?.seq ?? 0).toBe(head);
    await until(() => logs.lines().filter((l) => l.includes(UNKNOWN)).length >= 4, 'the four logged');
  });

  it('every action and view id the bot uses reaches its listener', async () => {
    const before = logs.lines().filter((l) => l.includes(UNKNOWN)).length;
    const user = { id: PEOPLE.stranger.id, username: 'sam.stranger', team_id: 'T0FAKE001' };
    const statuses: string[] = [];
    for (const id of Object.values(ACTION)) {
      const res = await send(payload({ type: 'block_actions', user, team: { id: 'T0FAKE001' }, actions: [{ type: 'button', action_id: id, value: '{"r":"PW-1"}', action_ts: `9.${id.length}` }], trigger_id: '1.2.3' }));
      statuses.push(`${id} ${res.status}`);
    }
    for (const id of Object.values(VIEW)) {
      const res = await send(payload({ type: 'view_submission', user, team: { id: 'T0FAKE001' }, view: { id: `V${id.length}`, callback_id: id, state: { values: {} }, private_metadata: '{"r":"PW-1"}', blocks: [] } }));
      statuses.push(`${id} ${res.status}`);
    }
    // Each answered by its listener's ack (Bolt answers 404 when none comes within 3 s).
    expect(statuses).toEqual([...Object.values(ACTION), ...Object.values(VIEW)].map((id) => `${id} 200`));
    await settled(h);
    expect(logs.lines().filter((l) => l.includes(UNKNOWN))).toHaveLength(before);
  });
});
