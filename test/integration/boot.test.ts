import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSlackDriver, signSlackRequest as signatureOf } from '../support/slack/driver.js';
import { startFakeSlack, type FakeSlack } from '../support/slack/fake-slack.js';
import { spawnBot, type BotProcess } from '../support/spawn-bot.js';

describe('starting the bot (npm start)', () => {
  it('with an empty environment exits non-zero and names every missing variable', async () => {
    const bot = spawnBot({});
    expect(await bot.exited).toBe(1);
    const text = bot.stderr();
    for (const name of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'PATCH_CHANNEL']) expect(text).toContain(name);
    expect(text).toContain('manifest.json');
    expect(text).toContain('README.md');
  });

  describe('with Slack credentials', () => {
    let fake: FakeSlack;
    let bot: BotProcess;
    let dir: string;
    const signingSecret = 'test-signing-secret';

    beforeAll(async () => {
      fake = await startFakeSlack();
      dir = mkdtempSync(join(tmpdir(), 'pw-boot-'));
      bot = spawnBot({ SLACK_BOT_TOKEN: fake.botToken, SLACK_SIGNING_SECRET: signingSecret, PATCH_CHANNEL: 'C0PATCHES', SLACK_API_URL: fake.url, PORT: '0', LOG_LEVEL: 'info' }, dir);
    });

    afterAll(async () => {
      await bot.stop();
      await fake.close();
    });

    it('checks its token with auth.test on the configured Slack API, then serves /healthz on SQLite by default', async () => {
      const port = await bot.waitForPort();
      expect(fake.calls('auth.test')).toHaveLength(1);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      expect(existsSync(join(dir, 'data', 'patchwarden.db'))).toBe(true);
    });

    it('refuses a request with a bad signature or a stale timestamp with 401', async () => {
      const port = await bot.waitForPort();
      const driver = createSlackDriver({ botUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret, fake });
      const challenge = { type: 'url_verification', challenge: 'c-123', token: 'x' };
      expect((await driver.event({ type: 'app_home_opened', user: 'U1', tab: 'home' }, { badSignature: true })).status).toBe(401);
      expect((await driver.event({ type: 'app_home_opened', user: 'U1', tab: 'home' }, { staleTimestamp: true })).status).toBe(401);
      // A correctly signed request does get through the same door.
      const ok = await fetch(`http://127.0.0.1:${port}/slack/events`, signed(signingSecret, JSON.stringify(challenge)));
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ challenge: 'c-123' });
    });

    it('logs no token or secret', async () => {
      await bot.waitForPort();
      expect(bot.stdout() + bot.stderr()).not.toContain(fake.botToken);
      expect(bot.stdout() + bot.stderr()).not.toContain(signingSecret);
    });
  });

  it('exits with a clear message when Slack rejects the token', async () => {
    const fake = await startFakeSlack();
    try {
      const bot = spawnBot({ SLACK_BOT_TOKEN: 'xoxb-revoked', SLACK_SIGNING_SECRET: 's', PATCH_CHANNEL: 'C0PATCHES', SLACK_API_URL: fake.url, PORT: '0' });
      expect(await bot.exited).toBe(1);
      expect(bot.stdout()).toMatch(/Slack did not accept SLACK_BOT_TOKEN \(auth\.test: invalid_auth\)/);
      expect(bot.stdout()).not.toContain('xoxb-revoked');
    } finally {
      await fake.close();
    }
  });
});

function signed(secret: string, body: string): RequestInit {
  const ts = Math.floor(Date.now() / 1000);
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signatureOf(secret, ts, body) },
    body,
  };
}
