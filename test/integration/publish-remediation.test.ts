import { WebClient } from '@slack/web-api';
import { DEFAULT_SLA } from '../../src/domain/sla.js';
import { createLogger } from '../../src/logger.js';
import { createRemediationPublisher } from '../../src/slack/posting/publish-remediation.js';
import { aRemediation } from '../support/builders.js';
import { startFakeSlack, type FakeSlack } from '../support/slack/fake-slack.js';
import { tempStore, type TempStore } from '../support/temp-store.js';

describe('each remediation has one message, updated in place', () => {
  let fake: FakeSlack;
  let temp: TempStore;
  const channel = 'C0PATCHES';

  beforeEach(async () => {
    fake = await startFakeSlack();
    temp = await tempStore();
  });
  afterEach(async () => {
    await fake.close();
    await temp.dispose();
  });

  const publisher = () =>
    createRemediationPublisher({
      client: new WebClient(fake.botToken, { slackApiUrl: fake.url, retryConfig: { retries: 0 } }),
      channel,
      store: temp.store,
      context: () => ({ now: new Date('2026-11-10T12:00:00Z'), timeZone: 'UTC', sla: DEFAULT_SLA }),
      logger: createLogger('silent'),
    });

  it('posts it once, remembers where, then updates it and notes each step in its thread', async () => {
    const created = await temp.store.remediations.create(aRemediation({ id: 'PW-1' }), []);
    if (!created.ok) throw new Error('seed failed');
    const p = publisher();
    const posted = await p.publish(created.value);
    expect(posted.message).toEqual({ channel, ts: expect.any(String) });
    expect((await temp.store.remediations.get('PW-1'))?.message).toEqual(posted.message);

    const assessed = await temp.store.remediations.update({ ...posted, state: 'assessed' }, posted.version, []);
    if (!assessed.ok) throw new Error('update failed');
    await p.publish(assessed.value, 'Assessed by <@U0LEAD>');

    const messages = fake.messages(channel);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.versions).toHaveLength(2);
    expect(JSON.stringify(messages[0]!.blocks)).toContain('Assessed');
    expect(fake.replies(channel, posted.message!.ts).map((m) => m.text)).toEqual(['What is behind PW-1: 0 findings on 0 assets', 'Assessed by <@U0LEAD>']);
    expect(fake.calls('chat.postMessage').filter((c) => !c.args.thread_ts)).toHaveLength(1);
  });

  it('posts again when the message was deleted in Slack', async () => {
    const created = await temp.store.remediations.create(aRemediation({ id: 'PW-2', message: { channel, ts: '1700000000.000100' } }), []);
    if (!created.ok) throw new Error('seed failed');
    const republished = await publisher().publish(created.value);
    expect(republished.message?.ts).not.toBe('1700000000.000100');
    expect(fake.messages(channel)).toHaveLength(1);
  });

  it('a Slack outage leaves the recorded step alone', async () => {
    const created = await temp.store.remediations.create(aRemediation({ id: 'PW-3' }), []);
    if (!created.ok) throw new Error('seed failed');
    fake.failHttp('chat.postMessage', 500);
    const after = await publisher().publish(created.value);
    expect(after).toEqual(created.value);
    expect(await temp.store.remediations.get('PW-3')).toEqual(created.value);
  });
});
