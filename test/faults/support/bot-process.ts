/**
 * The bot as its own OS process (src/main.ts under tsx, as `npm start` runs it), so that it can be killed with
 * SIGKILL at any moment and started again on the same store: a fake Slack in front of which sits a tripwire, the
 * policy file in a temp folder, LOG_LEVEL=debug with every line it writes kept (to check that no secret is in
 * any). Outside sources are whatever `env` points at (behind their own tripwires).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { DEFAULT_POLICY, PEOPLE, SIGNING_SECRET, CHANNEL } from '../../support/bot-harness.js';
import { createSlackDriver, type SlackDriver } from '../../support/slack/driver.js';
import { startFakeSlack, type FakeSlack } from '../../support/slack/fake-slack.js';
import { spawnBot, type BotProcess } from '../../support/spawn-bot.js';
import type { StoreTarget } from './store-target.js';
import { startTripwire, type Tripwire } from './tripwire.js';

export interface BotWorld {
  readonly slack: FakeSlack;
  /** Between the bot and the Slack fake. */
  readonly slackWire: Tripwire;
  readonly store: StoreTarget;
  /** Every line every run of the bot wrote, stdout and stderr. */
  logs(): string[];
  /** Starts the bot (again) and waits until it listens. */
  start(): Promise<RunningBot>;
  close(): Promise<void>;
}

export interface RunningBot {
  readonly process: BotProcess;
  readonly driver: SlackDriver;
  /** SIGKILL, and wait for it to be gone. */
  kill(): Promise<void>;
  /** SIGTERM (a graceful stop). */
  stop(): Promise<void>;
}

export interface BotWorldOptions {
  readonly store: StoreTarget;
  /** Merged over the harness's DEFAULT_POLICY at the top level. */
  readonly policy?: Record<string, unknown>;
  /** Sources and feeds (their URLs, tokens). */
  readonly env?: Record<string, string>;
}

export async function startBotWorld(opts: BotWorldOptions): Promise<BotWorld> {
  const slack = await startFakeSlack();
  for (const p of Object.values(PEOPLE)) slack.addUser({ id: p.id, name: p.name, tz: 'Europe/Berlin' });
  slack.addUsergroup({ id: 'S0ENGINEERS', handle: 'engineers', users: [PEOPLE.engineer.id, PEOPLE.engineer2.id] });
  slack.addChannel({ id: CHANNEL, name: 'patches' });
  const slackWire = await startTripwire(slack.url);
  const dir = mkdtempSync(join(tmpdir(), 'pw-faults-bot-'));
  const policyPath = join(dir, 'patchwarden.config.yaml');
  writeFileSync(policyPath, stringify({ ...DEFAULT_POLICY, ...opts.policy }));
  const runs: BotProcess[] = [];
  const env = {
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slackWire.url,
    PATCH_CHANNEL: CHANNEL,
    PORT: '0',
    PATCHWARDEN_CONFIG: policyPath,
    LOG_LEVEL: 'debug',
    KEV_URL: '',
    EPSS_URL: '',
    ...opts.store.env,
    ...opts.env,
  };
  return {
    slack,
    slackWire,
    store: opts.store,
    logs: () => runs.flatMap((r) => `${r.stdout()}\n${r.stderr()}`.split('\n')).filter(Boolean),
    async start() {
      const proc = spawnBot(env, dir);
      runs.push(proc);
      const port = await proc.waitForPort(60_000);
      return {
        process: proc,
        driver: createSlackDriver({ botUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret: SIGNING_SECRET, fake: slack }),
        kill: async () => {
          if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
          await proc.exited;
        },
        stop: async () => void (await proc.stop()),
      };
    },
    async close() {
      for (const r of runs) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
      await Promise.all(runs.map((r) => r.exited));
      await slackWire.close();
      await slack.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
