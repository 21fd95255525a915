import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../../src/logger.js';
import { createSlackApp } from '../../src/slack/create-app.js';
import { startFakeSlack, type FakeSlack } from '../support/slack/fake-slack.js';

describe('/healthz while the bot starts', () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  afterAll(async () => fake.close());

  it('answers 503 "starting" until the bot is ready (reports warm), then 200 "ok"; 503 "unavailable" when the store fails', async () => {
    let ready = false;
    let storeUp = true;
    const app = createSlackApp({
      slack: { botToken: fake.botToken, signingSecret: 'health-secret', appToken: null, channel: 'C0PATCHES', port: 0, apiUrl: fake.url },
      logger: createLogger('silent'),
      ready: () => ready,
      healthy: async () => {
        if (!storeUp) throw new Error('store down');
        return true;
      },
      clientOptions: { retryConfig: { retries: 0 } },
    });
    await app.init();
    const server = (await app.start(0)) as Server;
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`;
      const health = async () => {
        const res = await fetch(url);
        return [res.status, await res.json()];
      };
      expect(await health()).toEqual([503, { status: 'starting' }]);
      ready = true;
      expect(await health()).toEqual([200, { status: 'ok' }]);
      storeUp = false;
      expect(await health()).toEqual([503, { status: 'unavailable' }]);
    } finally {
      await app.stop();
    }
  });
});
