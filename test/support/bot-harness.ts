/**
 * The whole bot, in-process, as users meet it: startPatchwarden() with Bolt's real HTTP receiver on a random
 * port (or, with `socketMode`, Bolt's Socket Mode receiver on the fake's WebSocket), the real WebClient pointed at the Slack fake, a real SQLite store in a temp folder, a policy with roles,
 * and a driver that signs requests exactly as Slack does. The clock is pinned and can be moved.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Store } from '../../src/app/ports.js';
import { parseConfig, type Config } from '../../src/config.js';
import type { Remediation } from '../../src/domain/remediation.js';
import { createLogger } from '../../src/logger.js';
import { startPatchwarden, type Running, type StartOptions } from '../../src/main.js';
import { aRemediation } from './builders.js';
import { createSlackDriver, type SlackDriver } from './slack/driver.js';
import { createSocketModeDriver, type SocketModeDriver } from './slack/socket-mode-driver.js';
import { startFakeSlack, type FakeSlack } from './slack/fake-slack.js';

export const CHANNEL = 'C0PATCHES';
export const SIGNING_SECRET = 'harness-signing-secret';

/** The people of the test workspace. Engineers come from a user group, as they usually do. */
export const PEOPLE = {
  lead: { id: 'U0LEAD', name: 'lena.lead' },
  lead2: { id: 'U0LEAD2', name: 'leo.lead' },
  engineer: { id: 'U0ENG', name: 'erin.engineer' },
  engineer2: { id: 'U0ENG2', name: 'eli.engineer' },
  approver: { id: 'U0APPROVER', name: 'ada.approver' },
  manager: { id: 'U0MGR', name: 'max.manager' },
  auditor: { id: 'U0AUDIT', name: 'audrey.auditor' },
  stranger: { id: 'U0STRANGER', name: 'sam.stranger' },
} as const;

export const DEFAULT_POLICY = {
  timezone: 'Europe/Berlin',
  // No advisory feed unless a test names one (the default is AWS's, on the internet).
  advisories: { feeds: [] },
  roles: { lead: [PEOPLE.lead.id, PEOPLE.lead2.id], engineer: ['S0ENGINEERS'], approver: [PEOPLE.approver.id], manager: [PEOPLE.manager.id], auditor: [PEOPLE.auditor.id] },
  maintenanceWindows: [
    { id: 'prod-saturday', name: 'Production, Saturday 22:00', cron: '0 22 * * 6', durationMinutes: 240, environments: ['production'] },
    { id: 'staging-daily', name: 'Staging, daily 07:00', cron: '0 7 * * *', durationMinutes: 60, environments: ['staging'] },
  ],
};

export interface HarnessOptions {
  /** Policy file content (merged over DEFAULT_POLICY at the top level). */
  readonly policy?: Record<string, unknown>;
  /** Extra environment (sources, feeds). */
  readonly env?: Record<string, string>;
  readonly now?: Date;
  /** The real clock instead of a pinned one (and jobs on their real cron schedule): for what must happen on time. */
  readonly realClock?: boolean;
  readonly logLevel?: string;
  /** Socket Mode (SLACK_APP_TOKEN set) instead of HTTP: drive it with `socket`, the fake's WebSocket. */
  readonly socketMode?: boolean;
  /** The sources' client settings and the deploy timing (tests against the SSM and GitHub fakes). */
  readonly start?: Pick<StartOptions, 'sources' | 'deploy'>;
}

export interface Harness {
  readonly fake: FakeSlack;
  /** Signed HTTP requests to /slack/events (HTTP mode). */
  readonly driver: SlackDriver;
  /** Envelopes over the fake's WebSocket (Socket Mode). */
  readonly socket: SocketModeDriver;
  readonly store: Store;
  readonly config: Config;
  readonly running: Running;
  readonly dir: string;
  now(): Date;
  setNow(d: Date): void;
  /** Stores a remediation (as the monitor would) and returns it as stored. */
  seed(overrides?: Partial<Remediation>): Promise<Remediation>;
  close(): Promise<void>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const fake = await startFakeSlack();
  for (const p of Object.values(PEOPLE)) fake.addUser({ id: p.id, name: p.name, tz: 'Europe/Berlin' });
  fake.addUsergroup({ id: 'S0ENGINEERS', handle: 'engineers', users: [PEOPLE.engineer.id, PEOPLE.engineer2.id] });
  fake.addChannel({ id: CHANNEL, name: 'patches' });
  const dir = mkdtempSync(join(tmpdir(), 'pw-harness-'));
  const policyText = stringify({ ...DEFAULT_POLICY, ...options.policy });
  const parsed = parseConfig(
    {
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.url,
      PATCH_CHANNEL: CHANNEL,
      PORT: '0',
      PATCHWARDEN_DB: join(dir, 'patchwarden.db'),
      PATCHWARDEN_CONFIG: join(dir, 'patchwarden.config.yaml'),
      KEV_URL: '',
      EPSS_URL: '',
      ...(options.socketMode ? { SLACK_APP_TOKEN: fake.socketMode.appToken } : {}),
      ...options.env,
    },
    (path) => (path.endsWith('patchwarden.config.yaml') ? policyText : null),
  );
  if (!parsed.ok) throw new Error(`harness config: ${parsed.error.join('; ')}`);
  let clock = options.now ?? new Date('2026-11-02T09:00:00.000Z');
  const running = await startPatchwarden(parsed.value, createLogger(options.logLevel ?? 'silent'), {
    clientOptions: { retryConfig: { retries: 0 } },
    now: options.realClock ? () => new Date() : () => clock,
    // Jobs run when a test says so (running.jobs.runNow), never on a real-time cron tick mid-test, unless the test
    // runs on the real clock to see them fire.
    scheduleJobs: options.realClock === true,
    ...options.start,
  });
  const driver = createSlackDriver({ botUrl: `http://127.0.0.1:${running.port}/slack/events`, signingSecret: SIGNING_SECRET, fake });
  if (options.socketMode) await fake.socketMode.waitForConnection();
  return {
    fake,
    driver,
    socket: createSocketModeDriver({ fake }),
    store: running.store,
    config: parsed.value,
    running,
    dir,
    now: options.realClock ? () => new Date() : () => clock,
    setNow: (d) => {
      clock = d;
    },
    async seed(overrides = {}) {
      const id = overrides.id ?? (await running.store.remediations.nextId());
      const created = await running.store.remediations.create(aRemediation({ ...overrides, id }), [
        { at: clock.toISOString(), actor: 'system:test', action: 'remediation.created', subject: id, data: {} },
      ]);
      if (!created.ok) throw new Error(`seed: ${created.error.code}`);
      return created.value;
    },
    async close() {
      await running.stop();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
