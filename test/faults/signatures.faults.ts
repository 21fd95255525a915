/**
 * Requests that are not Slack's: every kind of delivery (deliveries.ts), forged with another secret, signed more
 * than 5 minutes ago (what a replay of a captured request is by then), changed after signing, unsigned or signed
 * in a wrong format. Each is a 401 with nothing recorded: no event, not even a refusal, and no call to Slack. A
 * replay within the 5 minutes is Slack's own retry: it is answered and recorded once.
 */
import { encodeModalMetadata, VIEW } from '../../src/slack/ids.js';
import { CHANNEL, PEOPLE, SIGNING_SECRET } from '../support/bot-harness.js';
import { payloadContext, viewSubmissionPayload } from '../support/slack/payloads.js';
import { stateValuesFor } from '../support/slack/state-values.js';
import { auditActions, postMessage, settled, until } from '../integration/workflow-support.js';
import { stagedBot, type Base } from './support/deliveries.js';
import { sendRaw, type RawRequest } from './support/raw-request.js';
import { snapshot } from './support/state-snapshot.js';
import { faultTally } from './support/tally.js';

const FORM = 'application/x-www-form-urlencoded';

/** The body Slack would send for a base, and its content type. */
function wire(b: Base): { body: string; contentType: string } {
  const d = b.delivered;
  if (d.kind === 'form') return { body: new URLSearchParams(d.fields).toString(), contentType: FORM };
  if (d.kind === 'payload') return { body: new URLSearchParams({ payload: JSON.stringify(d.payload) }).toString(), contentType: FORM };
  return { body: JSON.stringify(d.body), contentType: 'application/json' };
}

const now = () => Math.floor(Date.now() / 1000);

/** The ways a request can fail to be Slack's. */
const FORGERIES: { name: string; make: (body: string) => Partial<RawRequest> }[] = [
  { name: 'signed with another secret', make: () => ({ secret: 'not-the-signing-secret' }) },
  { name: 'signed 6 minutes ago (a replay of a captured request)', make: () => ({ timestamp: now() - 6 * 60 }) },
  { name: 'signed 301 s ago', make: () => ({ timestamp: now() - 301 }) },
  { name: 'body changed after signing', make: (body) => ({ signedBody: body, body: `${body.slice(0, -1)}${body.endsWith('a') ? 'b' : 'a'}` }) },
  { name: 'body extended after signing', make: (body) => ({ signedBody: body, body: `${body}&user_id=U0LEAD` }) },
  { name: 'not signed', make: () => ({ signature: null }) },
  { name: 'a signature of another format', make: () => ({ signature: `v1=${'0'.repeat(64)}` }) },
  { name: 'a timestamp that is not a number', make: () => ({ headers: { 'x-slack-request-timestamp': 'yesterday' } }) },
];

describe('forged, stale and altered requests', () => {
  const tally = faultTally('signatures');
  const bot = stagedBot();

  it.each(FORGERIES.map((f) => [f.name, f] as const))('%s: 401 for every kind of delivery, nothing recorded, nothing said', async (_name, forgery) => {
    const { h, all, before } = bot;
    const url = `http://127.0.0.1:${h.running.port}/slack/events`;
    const calls = h.fake.calls().length;
    const statuses: string[] = [];
    for (const b of all) {
      const { body, contentType } = wire(b);
      tally.injected();
      const res = await sendRaw(url, { body, contentType, secret: SIGNING_SECRET, ...forgery.make(body) });
      if (res.status !== 401 || res.text !== '') statuses.push(`${b.name}: ${res.status} ${res.text.slice(0, 60)}`);
    }
    await settled(h);
    expect(statuses).toEqual([]);
    expect(await snapshot(h.store)).toEqual(before);
    expect(h.fake.calls().length).toBe(calls);
    tally.survived(all.length);
  });

  it('a replay within the 5 minutes (Slack’s retry) is answered, and the step recorded once', async () => {
    const { h } = bot;
    const r = await postMessage(h, await h.seed({ state: 'new' }));
    const modal = [...h.fake.views({ callbackId: VIEW.assess })].at(-1)!;
    const view = { ...modal.view, private_metadata: encodeModalMetadata({ r: r.id, ch: CHANNEL, ts: r.message!.ts }) };
    const payload = viewSubmissionPayload(payloadContext({ fake: h.fake }), PEOPLE.lead.id, view, stateValuesFor(view, { severity: 'high', known_exploit: 'no', business_impact: 'low', rationale: 'Internal only.' }));
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const signed = { body, contentType: FORM, secret: SIGNING_SECRET, timestamp: now() };
    const url = `http://127.0.0.1:${h.running.port}/slack/events`;
    tally.injected(3);
    const answers = [await sendRaw(url, signed), await sendRaw(url, signed), await sendRaw(url, { ...signed, headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } })];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await until(async () => (await h.store.remediations.get(r.id))!.state === 'assessed', 'the assessment');
    await settled(h);
    expect((await auditActions(h, r.id)).filter((a) => a === 'remediation.assessed')).toHaveLength(1);
    tally.survived(3);
  });

  it('no secret in any debug log line', () => {
    const { h, logs } = bot;
    tally.logsChecked(logs.lines(), [h.fake.botToken, ...h.fake.responses().map((r) => r.url)]);
  });
});
