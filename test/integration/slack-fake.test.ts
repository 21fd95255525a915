/**
 * The Slack fake and driver, proven with Slack's real clients: @slack/web-api's WebClient against the fake,
 * and a real Bolt App (default HTTPReceiver) fed by the driver.
 */
import { App } from '@slack/bolt';
import { ErrorCode, WebClient, type WebAPIHTTPError, type WebAPIPlatformError, type WebAPIRateLimitedError } from '@slack/web-api';
import type { AddressInfo } from 'node:net';
import { createSlackDriver, stateValuesFor } from '../support/slack/driver.js';
import { startFakeSlack, type FakeSlack } from '../support/slack/fake-slack.js';
import { quietLogger } from '../support/slack/quiet-logger.js';

const C = 'C0PATCHES';
const LEAD = 'U0LEAD001';
const text = (n: number, ch = 'x') => ch.repeat(n);
const section = (t: string, block_id?: string) => ({ type: 'section', ...(block_id ? { block_id } : {}), text: { type: 'mrkdwn', text: t } });
const button = (over: Record<string, unknown> = {}) => ({ type: 'button', action_id: 'go', text: { type: 'plain_text', text: 'Go' }, value: 'v', ...over });
const actions = (...elements: unknown[]) => ({ type: 'actions', elements });
const option = (t: string, v = t) => ({ text: { type: 'plain_text', text: t }, value: v });
const modal = (over: Record<string, unknown> = {}) => ({ type: 'modal', callback_id: 'assess', title: { type: 'plain_text', text: 'Assess PW-1' }, blocks: [section('hi')], ...over });
const input = (over: Record<string, unknown> = {}) => ({ type: 'input', block_id: 'b_in', label: { type: 'plain_text', text: 'Rationale' }, element: { type: 'plain_text_input', action_id: 'rationale' }, ...over });

async function platformError(p: Promise<unknown>): Promise<WebAPIPlatformError['data']> {
  const e = (await p.then(() => { throw new Error('expected the call to fail'); }, (err: unknown) => err)) as WebAPIPlatformError;
  expect(e.code).toBe(ErrorCode.PlatformError);
  return e.data;
}

let fake: FakeSlack;
let client: WebClient;
beforeEach(async () => {
  fake = await startFakeSlack();
  fake.addChannel({ id: C, name: 'patches' });
  fake.addUser({ id: LEAD, name: 'lena', real_name: 'Lena Lead', tz: 'Europe/Berlin' });
  client = new WebClient(fake.botToken, { slackApiUrl: fake.url, retryConfig: { retries: 0 }, logger: quietLogger() });
});
afterEach(() => fake.close());

describe('Web API over the wire', () => {
  it('receives form-encoded bodies with blocks as a JSON string, and round-trips postMessage -> update in place', async () => {
    const blocks = [section('*PW-1* lodash'), actions(button({ action_id: 'assess', value: 'PW-1' }))];
    const posted = await client.chat.postMessage({ channel: C, text: 'PW-1', blocks });
    const call = fake.calls('chat.postMessage')[0];
    expect(call?.contentType).toBe('application/x-www-form-urlencoded');
    expect(typeof call?.args.blocks).toBe('string');
    expect(call?.token).toBe(fake.botToken);
    expect(posted.channel).toBe(C);
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(posted.message?.blocks?.[1]).toMatchObject({ type: 'actions', elements: [{ action_id: 'assess', value: 'PW-1' }] });

    const reply = await client.chat.postMessage({ channel: C, thread_ts: posted.ts as string, text: 'assessed by lena' });
    await client.chat.update({ channel: C, ts: posted.ts as string, text: 'PW-1 assessed', blocks: [section('*PW-1* assessed')] });
    await client.chat.update({ channel: C, ts: posted.ts as string, text: 'PW-1 tested' });

    expect(fake.messages(C)).toHaveLength(1);
    const one = fake.message(C, posted.ts as string);
    expect(one?.versions.map((v) => v.text)).toEqual(['PW-1', 'PW-1 assessed', 'PW-1 tested']);
    expect(one?.blocks).toEqual([expect.objectContaining({ text: { type: 'mrkdwn', text: '*PW-1* assessed' } })]);
    expect(fake.replies(C, posted.ts as string).map((m) => m.ts)).toEqual([reply.ts]);
    expect(fake.wireMessage(C, posted.ts as string)).toMatchObject({ reply_count: 1, edited: { user: fake.bot.userId } });
  });

  it('answers chat.update of an unknown ts with message_not_found, and an empty post with no_text', async () => {
    expect((await platformError(client.chat.update({ channel: C, ts: '1700000000.000001', text: 'x' }))).error).toBe('message_not_found');
    expect((await platformError(client.chat.postMessage({ channel: C, text: '' }))).error).toBe('no_text');
    expect((await platformError(client.chat.postMessage({ channel: C, text: text(40_001) }))).error).toBe('msg_too_long');
  });

  it('accepts JSON bodies with a bearer token, and refuses a token in a JSON body', async () => {
    const post = (headers: Record<string, string>, body: unknown) =>
      fetch(`${fake.url}chat.postMessage`, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) }).then((r) => r.json());
    await expect(post({ authorization: `Bearer ${fake.botToken}` }, { channel: C, text: 'json', blocks: [section('inline')] })).resolves.toMatchObject({ ok: true, channel: C });
    await expect(post({}, { token: fake.botToken, channel: C, text: 'json' })).resolves.toEqual({ ok: false, error: 'not_authed' });
  });

  it('rejects an unknown token with invalid_auth and a missing one with not_authed', async () => {
    const stranger = new WebClient('xoxb-not-a-real-token', { slackApiUrl: fake.url, retryConfig: { retries: 0 }, logger: quietLogger() });
    expect((await platformError(stranger.auth.test())).error).toBe('invalid_auth');
    const anonymous = new WebClient(undefined, { slackApiUrl: fake.url, retryConfig: { retries: 0 }, logger: quietLogger() });
    expect((await platformError(anonymous.chat.postMessage({ channel: C, text: 'x' }))).error).toBe('not_authed');
  });

  it('serves auth.test, users, usergroups, conversations, ephemeral and permalinks', async () => {
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true, user_id: fake.bot.userId, bot_id: fake.bot.botId, team_id: fake.team.id, url: 'https://patchwarden-test.slack.com/' });
    await expect(client.users.info({ user: LEAD })).resolves.toMatchObject({ user: { id: LEAD, name: 'lena', real_name: 'Lena Lead', tz: 'Europe/Berlin' } });
    expect((await platformError(client.users.info({ user: 'U0NOBODY' }))).error).toBe('user_not_found');
    fake.addUsergroup({ id: 'S0LEADS', handle: 'leads', users: [LEAD] });
    await expect(client.usergroups.users.list({ usergroup: 'S0LEADS' })).resolves.toMatchObject({ users: [LEAD] });
    expect((await platformError(client.usergroups.users.list({ usergroup: 'S0NONE' }))).error).toBe('no_such_subteam');
    const dm = await client.conversations.open({ users: LEAD });
    expect(dm.channel?.id).toMatch(/^D/);
    await expect(client.conversations.open({ users: LEAD })).resolves.toMatchObject({ already_open: true, channel: { id: dm.channel?.id } });
    await expect(client.conversations.info({ channel: C })).resolves.toMatchObject({ channel: { id: C, name: 'patches', is_channel: true } });
    const eph = await client.chat.postEphemeral({ channel: C, user: LEAD, text: 'only you' });
    expect(fake.ephemerals({ user: LEAD })).toEqual([expect.objectContaining({ channel: C, text: 'only you', message_ts: eph.message_ts })]);
    const { ts } = await client.chat.postMessage({ channel: C, text: 'x' });
    await expect(client.chat.getPermalink({ channel: C, message_ts: ts as string }))
      .resolves.toMatchObject({ permalink: `https://patchwarden-test.slack.com/archives/${C}/p${(ts as string).replace('.', '')}` });
  });
});

const MESSAGE_LIMITS: Array<[string, unknown[], string]> = [
  ['51 blocks', Array.from({ length: 51 }, (_, i) => section(`b${i}`)), '[ERROR] no more than 50 items allowed [json-pointer:/blocks]'],
  ['section text 3001', [section(text(3001))], '[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
  ['empty text object', [section('')], '[ERROR] must be more than 0 characters [json-pointer:/blocks/0/text/text]'],
  ['11 section fields', [{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) }], '[ERROR] no more than 10 items allowed [json-pointer:/blocks/0/fields]'],
  ['section field 2001', [{ type: 'section', fields: [{ type: 'mrkdwn', text: text(2001) }] }], '[ERROR] must be less than 2001 characters [json-pointer:/blocks/0/fields/0/text]'],
  ['header 151', [{ type: 'header', text: { type: 'plain_text', text: text(151) } }], '[ERROR] must be less than 151 characters [json-pointer:/blocks/0/text/text]'],
  ['header in mrkdwn', [{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }], '[ERROR] must be plain_text [json-pointer:/blocks/0/text/type]'],
  ['button text 76', [actions(button({ text: { type: 'plain_text', text: text(76) } }))], '[ERROR] must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]'],
  ['button value 2001', [actions(button({ value: text(2001) }))], '[ERROR] must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]'],
  ['button url 3001', [actions(button({ url: `https://x/${text(2992)}` }))], '[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/elements/0/url]'],
  ['action_id 256', [actions(button({ action_id: text(256) }))], '[ERROR] must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]'],
  ['block_id 256', [section('s', text(256))], '[ERROR] must be less than 256 characters [json-pointer:/blocks/0/block_id]'],
  ['duplicate block_id', [section('a', 'same'), section('b', 'same')], '[ERROR] duplicate block_id "same": block_id must be unique within a message or view [json-pointer:/blocks/1/block_id]'],
  ['duplicate action_id in a block', [actions(button(), button())], '[ERROR] duplicate action_id "go": action_id must be unique within its block [json-pointer:/blocks/0/elements/1/action_id]'],
  ['26 actions elements', [actions(...Array.from({ length: 26 }, (_, i) => button({ action_id: `a${i}` })))], '[ERROR] no more than 25 items allowed [json-pointer:/blocks/0/elements]'],
  ['11 context elements', [{ type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'c' })) }], '[ERROR] no more than 10 items allowed [json-pointer:/blocks/0/elements]'],
  ['option text 76', [actions({ type: 'static_select', action_id: 's', options: [option(text(76), 'v')] })], '[ERROR] must be less than 76 characters [json-pointer:/blocks/0/elements/0/options/0/text/text]'],
  ['option value 76', [actions({ type: 'static_select', action_id: 's', options: [option('t', text(76))] })], '[ERROR] must be less than 76 characters [json-pointer:/blocks/0/elements/0/options/0/value]'],
  ['101 select options', [actions({ type: 'static_select', action_id: 's', options: Array.from({ length: 101 }, (_, i) => option(`o${i}`)) })], '[ERROR] no more than 100 items allowed [json-pointer:/blocks/0/elements/0/options]'],
  ['6 overflow options', [actions({ type: 'overflow', action_id: 'o', options: Array.from({ length: 6 }, (_, i) => option(`o${i}`)) })], '[ERROR] no more than 5 items allowed [json-pointer:/blocks/0/elements/0/options]'],
  ['confirm title 101', [actions(button({ confirm: { title: { type: 'plain_text', text: text(101) }, text: { type: 'mrkdwn', text: 'sure?' }, confirm: { type: 'plain_text', text: 'Yes' }, deny: { type: 'plain_text', text: 'No' } } }))], '[ERROR] must be less than 101 characters [json-pointer:/blocks/0/elements/0/confirm/title/text]'],
  ['confirm text 301', [actions(button({ confirm: { title: { type: 'plain_text', text: 't' }, text: { type: 'mrkdwn', text: text(301) }, confirm: { type: 'plain_text', text: 'Yes' }, deny: { type: 'plain_text', text: 'No' } } }))], '[ERROR] must be less than 301 characters [json-pointer:/blocks/0/elements/0/confirm/text/text]'],
  ['unknown block type', [{ type: 'sectoin', text: { type: 'mrkdwn', text: 'x' } }], '[ERROR] failed to match all allowed schemas (unsupported block type "sectoin") [json-pointer:/blocks/0/type]'],
];

describe('Block Kit limits on messages (chat.postMessage)', () => {
  it.each(MESSAGE_LIMITS)('rejects %s with invalid_blocks', async (_name, blocks, message) => {
    const data = await platformError(client.chat.postMessage({ channel: C, text: 'fallback', blocks: blocks as never }));
    expect(data.error).toBe('invalid_blocks');
    expect(data.response_metadata?.messages).toEqual([message]);
    expect(fake.messages(C)).toHaveLength(0);
  });

  it('accepts every limit exactly at its maximum', async () => {
    const blocks = [section(text(3000)), { type: 'header', text: { type: 'plain_text', text: text(150) } },
      actions(...Array.from({ length: 25 }, (_, i) => button({ action_id: `a${i}`, text: { type: 'plain_text', text: text(75) }, value: text(2000) }))),
      ...Array.from({ length: 47 }, (_, i) => section(`b${i}`))];
    expect(blocks).toHaveLength(50);
    await expect(client.chat.postMessage({ channel: C, text: text(40_000), blocks })).resolves.toMatchObject({ ok: true });
    await expect(client.chat.update({ channel: C, ts: fake.messages(C)[0]?.ts as string, blocks: [section(text(3001))] }))
      .rejects.toMatchObject({ data: { error: 'invalid_blocks' } });
  });
});

const VIEW_LIMITS: Array<[string, Record<string, unknown>, string]> = [
  ['101 blocks', modal({ blocks: Array.from({ length: 101 }, (_, i) => section(`b${i}`)) }), '[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]'],
  ['title 25', modal({ title: { type: 'plain_text', text: text(25) } }), '[ERROR] must be less than 25 characters [json-pointer:/view/title/text]'],
  ['submit 25', modal({ submit: { type: 'plain_text', text: text(25) } }), '[ERROR] must be less than 25 characters [json-pointer:/view/submit/text]'],
  ['close 25', modal({ close: { type: 'plain_text', text: text(25) } }), '[ERROR] must be less than 25 characters [json-pointer:/view/close/text]'],
  ['input block without submit', modal({ blocks: [input()] }), '[ERROR] missing required field: submit (required when the view has an input block) [json-pointer:/view]'],
  ['private_metadata 3001', modal({ private_metadata: text(3001) }), '[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]'],
  ['callback_id 256', modal({ callback_id: text(256) }), '[ERROR] must be less than 256 characters [json-pointer:/view/callback_id]'],
  ['input label 2001', modal({ submit: { type: 'plain_text', text: 'Save' }, blocks: [input({ label: { type: 'plain_text', text: text(2001) } })] }), '[ERROR] must be less than 2001 characters [json-pointer:/view/blocks/0/label/text]'],
  ['input hint 2001', modal({ submit: { type: 'plain_text', text: 'Save' }, blocks: [input({ hint: { type: 'plain_text', text: text(2001) } })] }), '[ERROR] must be less than 2001 characters [json-pointer:/view/blocks/0/hint/text]'],
  ['button in an input block', modal({ submit: { type: 'plain_text', text: 'Save' }, blocks: [input({ element: button() })] }), '[ERROR] failed to match all allowed schemas (element type "button" is not allowed in a input block) [json-pointer:/view/blocks/0/element]'],
];

describe('Block Kit limits on views and single-use trigger_ids', () => {
  it.each(VIEW_LIMITS)('views.open rejects %s with invalid_arguments', async (_name, view, message) => {
    const data = await platformError(client.views.open({ trigger_id: fake.issueTriggerId({ user: LEAD }), view: view as never }));
    expect(data.error).toBe('invalid_arguments');
    expect(data.response_metadata?.messages).toEqual([message]);
    expect(fake.views()).toHaveLength(0);
  });

  it('answers a view over 250 kB with view_too_large, and a home tab of 101 blocks with invalid_arguments', async () => {
    const big = modal({ blocks: Array.from({ length: 100 }, (_, i) => section(`${i}${text(2900)}`)) });
    expect((await platformError(client.views.open({ trigger_id: fake.issueTriggerId({ user: LEAD }), view: big as never }))).error).toBe('view_too_large');
    const home = { type: 'home', blocks: Array.from({ length: 101 }, (_, i) => section(`b${i}`)) };
    expect(await platformError(client.views.publish({ user_id: LEAD, view: home as never })))
      .toMatchObject({ error: 'invalid_arguments', response_metadata: { messages: ['[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]'] } });
    await client.views.publish({ user_id: LEAD, view: { type: 'home', blocks: home.blocks.slice(1) } as never });
    expect(fake.homeView(LEAD)?.view.blocks).toHaveLength(100);
  });

  it('accepts a trigger_id once, refuses reuse, unknown ids and expired ones', async () => {
    const trigger = fake.issueTriggerId({ user: LEAD });
    const opened = await client.views.open({ trigger_id: trigger, view: modal({ private_metadata: '{"id":"PW-1"}' }) as never });
    expect(opened.view).toMatchObject({ type: 'modal', callback_id: 'assess', private_metadata: '{"id":"PW-1"}', root_view_id: opened.view?.id });
    expect((await platformError(client.views.open({ trigger_id: trigger, view: modal() as never }))).error).toBe('exchanged_trigger_id');
    expect((await platformError(client.views.open({ trigger_id: '1.2.nope', view: modal() as never }))).error).toBe('invalid_trigger_id');
    const late = fake.issueTriggerId({ user: LEAD });
    fake.advanceClock(3001);
    expect((await platformError(client.views.open({ trigger_id: late, view: modal() as never }))).error).toBe('expired_trigger_id');
    expect(fake.openViews(LEAD).map((v) => v.id)).toEqual([opened.view?.id]);
  });

  it('stacks at most 3 views and checks hash on views.update', async () => {
    const root = await client.views.open({ trigger_id: fake.issueTriggerId({ user: LEAD }), view: modal({ external_id: 'pw-1-assess' }) as never });
    const push = () => client.views.push({ trigger_id: fake.issueTriggerId({ user: LEAD, viewId: root.view?.id as string }), view: modal({ callback_id: 'pushed' }) as never });
    await push();
    await push();
    expect((await platformError(push())).error).toBe('push_limit_reached');
    expect(fake.openViews(LEAD)).toHaveLength(3);
    const hash = root.view?.hash as string;
    const updated = await client.views.update({ external_id: 'pw-1-assess', hash, view: modal({ external_id: 'pw-1-assess', title: { type: 'plain_text', text: 'Updated' } }) as never });
    expect(updated.view).toMatchObject({ id: root.view?.id, title: { text: 'Updated' } });
    expect((await platformError(client.views.update({ view_id: root.view?.id as string, hash, view: modal() as never }))).error).toBe('hash_conflict');
    expect((await platformError(client.views.update({ view_id: 'V0NOPE', view: modal() as never }))).error).toBe('not_found');
    expect(fake.view(root.view?.id as string)?.versions).toHaveLength(2);
  });
});

describe('files', () => {
  it('filesUploadV2 goes getUploadURLExternal -> upload -> completeUploadExternal and lands in the thread', async () => {
    const parent = await client.chat.postMessage({ channel: C, text: 'Digest November' });
    const csv = Buffer.from('id,severity\nPW-1,high\nPW-2,critical\n');
    const result = await client.filesUploadV2({ channel_id: C, thread_ts: parent.ts as string, file: csv, filename: 'remediations.csv', title: 'All remediations', initial_comment: 'Full list' });
    expect(result.ok).toBe(true);
    expect(fake.calls().map((c) => c.method)).toEqual(['chat.postMessage', 'files.getUploadURLExternal', 'files.completeUploadExternal']);
    expect(fake.calls('files.getUploadURLExternal')[0]?.args).toMatchObject({ filename: 'remediations.csv', length: String(csv.length) });
    const [file] = fake.files();
    expect(file).toMatchObject({ name: 'remediations.csv', title: 'All remediations', filetype: 'csv', completed: true, channels: [C] });
    expect(file?.bytes?.equals(csv)).toBe(true);
    const [reply] = fake.replies(C, parent.ts as string);
    expect(reply).toMatchObject({ text: 'Full list', files: [file?.id] });
    expect(fake.messages(C)).toHaveLength(1);

    const info = await client.files.info({ file: file?.id as string });
    expect(info.file).toMatchObject({ id: file?.id, name: 'remediations.csv', size: csv.length, mimetype: 'text/csv' });
    const download = await fetch(info.file?.url_private_download as string, { headers: { authorization: `Bearer ${fake.botToken}` } });
    expect(Buffer.from(await download.arrayBuffer()).equals(csv)).toBe(true);
  });

  it('refuses an upload of the wrong length, and completing a file that was never uploaded or never issued', async () => {
    const { upload_url, file_id } = await client.files.getUploadURLExternal({ filename: 'a.log', length: 10 });
    expect(upload_url).toMatch(new RegExp(`^${fake.origin}/upload/v1/`));
    expect((await fetch(upload_url as string, { method: 'POST', body: 'short' })).status).toBe(400);
    expect((await platformError(client.files.completeUploadExternal({ files: [{ id: file_id as string }] }))).error).toBe('file_not_found');
    expect((await platformError(client.files.completeUploadExternal({ files: [{ id: 'F0NOPE' }] }))).error).toBe('file_not_found');
    expect((await platformError(client.files.getUploadURLExternal({ filename: 'a.log' } as never))).response_metadata?.messages).toEqual(['[ERROR] missing required field: length']);
  });

  it('serves url_private with a valid token, and the HTML sign-in page (200) without one or when told to', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const file = fake.addFile({ name: 'staging.png', bytes: png, user: LEAD });
    expect(file).toMatchObject({ name: 'staging.png', filetype: 'png', mimetype: 'image/png', size: png.length, user: LEAD });
    const get = (auth?: string) => fetch(file.url_private as string, auth ? { headers: { authorization: auth } } : {});
    const ok = await get(`Bearer ${fake.botToken}`);
    expect(ok.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await ok.arrayBuffer()).equals(png)).toBe(true);
    for (const res of [await get(), await get('Bearer xoxb-wrong')]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain('<!DOCTYPE html>');
    }
    fake.nonFileDownload(file.id as string);
    const html = await get(`Bearer ${fake.botToken}`);
    expect([html.status, html.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
  });
});

describe('rate limits and failures on demand', () => {
  it('answers 429 with Retry-After, surfaced as a rate-limit error', async () => {
    fake.rateLimit('chat.postMessage', { times: 1, retryAfterSeconds: 7 });
    const strict = new WebClient(fake.botToken, { slackApiUrl: fake.url, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger: quietLogger() });
    const error = (await strict.chat.postMessage({ channel: C, text: 'x' }).catch((e: unknown) => e)) as WebAPIRateLimitedError;
    expect(error.code).toBe(ErrorCode.RateLimitedError);
    expect(error.retryAfter).toBe(7);
    expect(fake.calls('chat.postMessage')[0]).toMatchObject({ status: 429, response: { ok: false, error: 'ratelimited' } });
    await expect(strict.chat.postMessage({ channel: C, text: 'x' })).resolves.toMatchObject({ ok: true });
  });

  it('fails the next call with any ok:false error, or with an HTTP status', async () => {
    fake.failNext('users.info', 'fatal_error');
    expect((await platformError(client.users.info({ user: LEAD }))).error).toBe('fatal_error');
    await expect(client.users.info({ user: LEAD })).resolves.toMatchObject({ ok: true });
    fake.failHttp('chat.update', 503);
    const error = (await client.chat.update({ channel: C, ts: '1.2', text: 'x' }).catch((e: unknown) => e)) as WebAPIHTTPError;
    expect([error.code, error.statusCode]).toEqual([ErrorCode.HTTPError, 503]);
  });
});

describe('the driver against a real Bolt app', () => {
  const signingSecret = 'test-signing-secret';
  let app: App;
  let events: Array<{ kind: string; body: Record<string, unknown>; context?: Record<string, unknown> }>;
  let driver: ReturnType<typeof createSlackDriver>;
  let settled: Promise<void>;
  let settle: () => void;

  beforeEach(async () => {
    events = [];
    settled = new Promise((resolve) => (settle = resolve));
    app = new App({ signingSecret, token: fake.botToken, logger: quietLogger(), clientOptions: { slackApiUrl: fake.url, retryConfig: { retries: 0 } } });
    app.command('/patch', async ({ ack, command, client: c, respond }) => {
      await ack();
      events.push({ kind: 'command', body: command as unknown as Record<string, unknown> });
      await c.views.open({ trigger_id: command.trigger_id, view: modal({ submit: { type: 'plain_text', text: 'Save' }, private_metadata: 'PW-1',
        blocks: [input(), input({ block_id: 'b_sev', label: { type: 'plain_text', text: 'Severity' }, element: { type: 'static_select', action_id: 'severity', options: [option('High', 'high'), option('Low', 'low')] } }),
          input({ block_id: 'b_files', label: { type: 'plain_text', text: 'Evidence' }, element: { type: 'file_input', action_id: 'evidence', filetypes: ['png'] } })] }) as never });
      await respond({ text: `Opened ${command.text}`, response_type: 'ephemeral' });
      settle();
    });
    app.action('assess', async ({ ack, body, client: c }) => {
      await ack();
      events.push({ kind: 'action', body: body as unknown as Record<string, unknown> });
      const b = body as unknown as { channel: { id: string }; message: { ts: string } };
      await c.chat.update({ channel: b.channel.id, ts: b.message.ts, text: 'PW-1 being assessed' });
      settle();
    });
    app.view('assess', async ({ ack, view, body }) => {
      events.push({ kind: 'view', body: body as unknown as Record<string, unknown> });
      const rationale = view.state.values.b_in?.rationale?.value;
      await ack(rationale ? undefined : { response_action: 'errors', errors: { b_in: 'A rationale is required' } });
      settle();
    });
    app.event('app_home_opened', async ({ event, client: c, context }) => {
      events.push({ kind: 'event', body: event as unknown as Record<string, unknown>, context: context as Record<string, unknown> });
      await c.views.publish({ user_id: event.user, view: { type: 'home', blocks: [section(`Queue of <@${event.user}>`)] } });
      settle();
    });
    const server = await app.start({ port: 0, host: '127.0.0.1' });
    driver = createSlackDriver({ botUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`, signingSecret, fake });
  });
  afterEach(() => app.stop());

  it('acks a slash command with every field intact; the listener opens a modal and responds', async () => {
    const res = await driver.slashCommand({ command: '/patch', text: 'assess PW-1', user_id: LEAD, channel_id: C });
    expect(res.status).toBe(200);
    expect(res.sent.contentType).toBe('application/x-www-form-urlencoded');
    await settled;
    expect(events[0]?.body).toMatchObject({ command: '/patch', text: 'assess PW-1', user_id: LEAD, user_name: 'lena', channel_id: C, channel_name: 'patches',
      team_id: fake.team.id, api_app_id: fake.bot.appId, trigger_id: res.sent.payload.trigger_id, response_url: res.sent.payload.response_url });
    expect(fake.views({ callbackId: 'assess', user: LEAD })).toHaveLength(1);
    expect(fake.responses(res.sent.payload.response_url as string)).toEqual([expect.objectContaining({ body: { text: 'Opened assess PW-1', response_type: 'ephemeral' }, contentType: 'application/json' })]);
    expect(fake.calls('auth.test').length).toBeGreaterThan(0);
  });

  it('delivers a button click on a real message to its listener, which updates that message in place', async () => {
    const posted = await client.chat.postMessage({ channel: C, text: 'PW-1', blocks: [section('PW-1'), actions(button({ action_id: 'assess', value: 'PW-1' }))] });
    const message = fake.message(C, posted.ts as string);
    const res = await driver.blockAction({ user: LEAD, action_id: 'assess', message: message as NonNullable<typeof message> });
    expect(res.status).toBe(200);
    await settled;
    expect(events[0]?.body).toMatchObject({ type: 'block_actions', user: { id: LEAD, username: 'lena' }, channel: { id: C },
      container: { type: 'message', message_ts: posted.ts, channel_id: C }, message: { ts: posted.ts },
      actions: [{ type: 'button', action_id: 'assess', value: 'PW-1', block_id: message?.blocks && (message.blocks[1] as { block_id: string }).block_id }] });
    expect(fake.messages(C)).toHaveLength(1);
    expect(fake.message(C, posted.ts as string)?.versions.map((v) => v.text)).toEqual(['PW-1', 'PW-1 being assessed']);
  });

  it('submits the modal the bot opened with real state.values; errors keep it open, a bare ack closes it', async () => {
    await driver.slashCommand({ command: '/patch', text: 'assess PW-1', user_id: LEAD, channel_id: C });
    await settled;
    const [opened] = fake.views({ callbackId: 'assess' });
    const file = fake.addFile({ name: 'staging.png', bytes: 'png-bytes', user: LEAD });
    const missing = await driver.viewSubmission({ user: LEAD, view: opened as NonNullable<typeof opened>, inputs: { severity: 'high' } });
    expect([missing.status, missing.body, missing.viewResponseProblems]).toEqual([200, { response_action: 'errors', errors: { b_in: 'A rationale is required' } }, []]);
    expect(fake.openViews(LEAD)).toHaveLength(1);

    const done = await driver.viewSubmission({ user: LEAD, view: opened as NonNullable<typeof opened>, inputs: { rationale: 'KEV listed', severity: 'high', evidence: [file] } });
    expect([done.status, done.body]).toEqual([200, '']);
    expect(fake.openViews(LEAD)).toHaveLength(0);
    const submitted = events.filter((e) => e.kind === 'view').at(-1)?.body as { view: Record<string, unknown> };
    expect(submitted.view).toMatchObject({ id: opened?.id, callback_id: 'assess', private_metadata: 'PW-1', hash: opened?.view.hash, state: { values: {
      b_in: { rationale: { type: 'plain_text_input', value: 'KEV listed' } },
      b_sev: { severity: { type: 'static_select', selected_option: option('High', 'high') } },
      b_files: { evidence: { type: 'file_input', files: [expect.objectContaining({ id: file.id, url_private_download: file.url_private_download })] } } } } });
    expect(() => stateValuesFor(opened?.view ?? {}, { severity: 'medium' })).toThrow(/no option with value "medium"/);
  });

  it('delivers app_home_opened in an event_callback envelope, with retry headers exposed to the listener', async () => {
    const res = await driver.event({ type: 'app_home_opened', user: LEAD, tab: 'home' }, { retryNum: 1, retryReason: 'http_timeout' });
    expect(res.status).toBe(200);
    await settled;
    expect(res.sent.payload).toMatchObject({ type: 'event_callback', team_id: fake.team.id, api_app_id: fake.bot.appId, event_id: expect.stringMatching(/^Ev/), event_time: expect.any(Number) });
    expect(events[0]?.body).toMatchObject({ type: 'app_home_opened', user: LEAD, tab: 'home', channel: fake.dmChannel(LEAD) });
    expect(events[0]?.context).toMatchObject({ retryNum: 1, retryReason: 'http_timeout' });
    expect(fake.homeView(LEAD)?.view.blocks).toEqual([expect.objectContaining({ text: { type: 'mrkdwn', text: `Queue of <@${LEAD}>` } })]);
  });

  it('gets 401 for a bad signature and for a stale timestamp, and the listener never runs', async () => {
    const bad = await driver.slashCommand({ command: '/patch', text: 'status', user_id: LEAD, channel_id: C }, { badSignature: true });
    const stale = await driver.event({ type: 'app_home_opened', user: LEAD }, { staleTimestamp: true });
    expect([bad.status, stale.status]).toEqual([401, 401]);
    const good = await driver.redeliver(bad);
    expect(good.status).toBe(200);
    await settled;
    expect(events.map((e) => e.kind)).toEqual(['command']);
  });
});
