/**
 * The whole bot with the SSM and GitHub fakes behind it, for deploying: the real sources (fast retries, static AWS
 * credentials), deploy work that polls in milliseconds, the sync to create remediations from the fakes' population,
 * and helpers to bring a remediation to the state a test starts from and to wait for the runner.
 */
import type { DeployTiming } from '../../src/app/deploy/deploy-deps.js';
import type { Remediation } from '../../src/domain/remediation.js';
import type { RemediationState } from '../../src/domain/remediation-state.js';
import { ok } from '../../src/domain/result.js';
import { writeVersioned } from '../../src/app/write-versioned.js';
import { CHANNEL, PEOPLE, startHarness, type Harness, type HarnessOptions } from '../support/bot-harness.js';
import type { FakeGithub } from '../support/github/fake-github.js';
import { small } from '../support/population/presets.js';
import { startFakeSsm, type FakeSsm, type FakeSsmOptions } from '../support/ssm/fake-ssm.js';
import { TEST_RETRY } from './sources-support.js';
import { ACTION, VIEW } from '../../src/slack/ids.js';
import type { ViewRecord } from '../support/slack/fake-state.js';
import { messageOf, until } from './workflow-support.js';

export const DEPLOY_GITHUB_TOKEN = 'gh-deploy-token-5c2a';

/** Deploy work that waits milliseconds, not minutes (a day to verify stays a day: tests move the clock for that). */
export const FAST: Partial<DeployTiming> = { pollFirstMs: 5, pollMaxMs: 20, verifyFirstMs: 5, verifyMaxMs: 20, blockedRetryMs: 20 };

export interface DeployFakes {
  readonly ssm?: FakeSsm;
  readonly github?: FakeGithub;
  readonly org?: string;
  /** The network between the bot and GitHub (a test that loses an answer); the real fetch otherwise. */
  readonly githubFetch?: typeof fetch;
}

/** The sources' environment for the fakes (a second replica or a restarted bot is started with the same). */
export const deployEnv = (fakes: DeployFakes): Record<string, string> => ({
  ...(fakes.ssm ? { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_SSM: fakes.ssm.url } : {}),
  ...(fakes.github ? { GITHUB_TOKEN: DEPLOY_GITHUB_TOKEN, GITHUB_ORG: fakes.org ?? 'acme', GITHUB_API_URL: fakes.github.url } : {}),
});

/** The start options of a deploying bot: fast retries, static AWS credentials, deploy work polling in milliseconds. */
export const deployStart = (fakes: DeployFakes = {}): NonNullable<HarnessOptions['start']> => ({
  sources: { clientOverrides: { retry: TEST_RETRY, awsCredentials: { accessKeyId: 'test', secretAccessKey: 'test' }, ...(fakes.githubFetch ? { githubFetch: fakes.githubFetch } : {}) } },
  deploy: { timing: FAST },
});

export async function deployHarness(fakes: DeployFakes, options: Omit<HarnessOptions, 'env' | 'start'> = {}): Promise<Harness> {
  return startHarness({ ...options, env: deployEnv(fakes), start: deployStart(fakes) });
}

export interface SsmWorld {
  readonly h: Harness;
  readonly ssm: FakeSsm;
}

/**
 * The bot and an SSM fake serving small() for a describe block (or for each test, with `each`), synced before the
 * tests so the OS-patch remediations exist; `ready` adjusts the fake first (an instance back online).
 */
export function useSsmBot(options: Omit<HarnessOptions, 'env' | 'start'> & { readonly fake?: FakeSsmOptions; readonly each?: boolean; readonly ready?: (ssm: FakeSsm) => void } = {}): SsmWorld {
  let world: SsmWorld | null = null;
  const { fake, each, ready, ...harness } = options;
  (each ? beforeEach : beforeAll)(async () => {
    const ssm = await startFakeSsm(small(), fake);
    ready?.(ssm);
    const h = await deployHarness({ ssm }, harness);
    await syncNow(h);
    world = { h, ssm };
  });
  (each ? afterEach : afterAll)(async () => {
    await world?.h.close();
    await world?.ssm.close();
  });
  const get = (): SsmWorld => {
    if (!world) throw new Error('the SSM bot starts before the tests');
    return world;
  };
  return { get h() { return get().h; }, get ssm() { return get().ssm; } };
}

/** Runs the monitor's sync as its schedule would, so the fakes' findings become remediations. */
export async function syncNow(h: Harness): Promise<void> {
  const outcome = await h.running.jobs.runNow('sync');
  if (outcome.status !== 'done') throw new Error(`sync: ${JSON.stringify(outcome)}`);
}

/** The OS-patch remediation of an environment (one per environment, or per baseline: the first). */
export async function osPatches(h: Harness, environment: string): Promise<Remediation> {
  const found = (await h.store.remediations.list()).find((r) => r.remedy.kind === 'os_patches' && r.remedy.environment === environment);
  if (!found) throw new Error(`no OS-patch remediation for ${environment}`);
  return found;
}

/** The remediation of a Dependabot alert (`acme/api`, alert 1). */
export async function ofAlert(h: Harness, repository: string, alert: number): Promise<Remediation> {
  const id = `github:${repository}:alert:${alert}`;
  const found = (await h.store.remediations.list()).find((r) => r.findingIds.includes(id));
  if (!found) throw new Error(`no remediation for ${id}`);
  return found;
}

/**
 * Test setup: puts a remediation in a state as if the earlier steps had been taken (assessed by a lead, a passing
 * test by an engineer, approved by another lead). The steps themselves are tested in the workflow suites.
 */
export async function putInState(h: Harness, id: string, state: RemediationState, extra: Partial<Remediation> = {}): Promise<Remediation> {
  const at = h.now().toISOString();
  const written = await writeVersioned(h.store.remediations, id, (r) => ok({
    next: {
      ...r,
      state,
      decisions: ['approved', 'scheduled', 'failed'].includes(state) ? [{ decision: 'approved' as const, by: 'U0LEAD2', at, reason: 'tested in staging', changeTicket: 'CHG-7' }] : r.decisions,
      ...extra,
    },
    events: [{ at, actor: 'system:test', action: 'remediation.updated', subject: id, data: { setUpAs: state } }],
  }));
  if (!written.ok) throw new Error(`putInState: ${JSON.stringify(written.error)}`);
  return written.value.after;
}

/** Waits until the remediation is in `state` (the runner works in the background). */
export const stateOf = (h: Harness, id: string, state: RemediationState, timeoutMs = 15_000): Promise<Remediation> =>
  until(async () => {
    const r = await h.store.remediations.get(id);
    return r?.state === state ? r : null;
  }, `${id} to be ${state}`, timeoutMs);

/** Runs the deploy sweep as the minute's tick would, then waits for the work it started. */
export async function sweep(h: Harness): Promise<void> {
  const outcome = await h.running.jobs.runNow('deploy');
  if (outcome.status !== 'done') throw new Error(`deploy sweep: ${JSON.stringify(outcome)}`);
  await h.running.deployRunner.idle();
}

/** The remediation's thread as people read it, without the findings note its first message brings. */
export const threadOf = (h: Harness, ts: string): string[] => h.fake.replies(CHANNEL, ts).map((m) => m.text).filter((t) => !t.startsWith('What is behind '));

/** Audit actions about one remediation from a point on. */
export const actionsOf = async (h: Harness, id: string, after = 0): Promise<string[]> =>
  (await h.store.audit.bySubject(id)).filter((e) => e.seq > after).map((e) => e.action);

/**
 * A lead presses Schedule (Reschedule after a failure) on the remediation's message and submits the modal with its
 * first window; the modal as it was opened.
 */
export async function scheduleIntoFirstWindow(h: Harness, posted: Remediation): Promise<ViewRecord> {
  const opened = h.fake.views({ callbackId: VIEW.approval, user: PEOPLE.lead.id }).length;
  await h.driver.blockAction({ user: PEOPLE.lead.id, message: messageOf(h, posted), action_id: ACTION.approve });
  const modal = await until(() => h.fake.views({ callbackId: VIEW.approval, user: PEOPLE.lead.id })[opened], 'the schedule modal');
  const blocks = modal.view.blocks as { block_id: string; element?: { option_groups?: { options: { value: string }[] }[] } }[];
  const slot = blocks.find((b) => b.block_id === 'window')!.element!.option_groups![0]!.options[0]!;
  await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: { window: slot.value } });
  return modal;
}

/** A maintenance window starting at the next whole minute at least `leadMs` away, as a daily cron in UTC. */
export function nextMinuteWindow(leadMs = 15_000): { cron: string; startsAt: Date } {
  const now = Date.now();
  let start = Math.ceil(now / 60_000) * 60_000;
  if (start - now < leadMs) start += 60_000;
  const d = new Date(start);
  return { cron: `${d.getUTCMinutes()} ${d.getUTCHours()} * * *`, startsAt: d };
}
