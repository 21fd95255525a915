/**
 * A scheduled deployment and the bot's processes. Two replicas on one store, one Slack and one SSM when the window
 * starts: both sweep at the same moment (the deploy job, and each runner kicking the remediation itself), and again
 * while SendCommand's answer is on its way; SSM gets one SendCommand, the remediation one deployment, its thread one
 * note per step. And a schedule survives a restart: a bot stopped before the window and a new one started on the
 * same store file deploys when the window starts, on the real clock and its own cron.
 */
import { createLogger } from '../../src/logger.js';
import { startPatchwarden, type Running } from '../../src/main.js';
import type { SsmRun } from '../../src/domain/run-records.js';
import { CHANNEL, type Harness } from '../support/bot-harness.js';
import { small } from '../support/population/presets.js';
import { startFakeSsm, type FakeSsm } from '../support/ssm/fake-ssm.js';
import { actionsOf, deployHarness, deployStart, nextMinuteWindow, osPatches, putInState, scheduleIntoFirstWindow, stateOf, syncNow, threadOf } from './deploy-support.js';
import { postMessage, settled, until } from './workflow-support.js';

const SUNDAY = { id: 'prod-sunday', name: 'Production, Sunday 22:00', cron: '0 22 * * 0', durationMinutes: 240, environments: ['production'] };

/** Another process of the bot on the same config (store file, Slack, SSM), on the given clock. */
const anotherBot = (h: Harness, ssm: FakeSsm, options: { now: () => Date; scheduleJobs: boolean }): Promise<Running> =>
  startPatchwarden(h.config, createLogger('silent'), { clientOptions: { retryConfig: { retries: 0 } }, ...options, ...deployStart({ ssm }) });

describe('two replicas on one store when a window starts', () => {
  let ssm: FakeSsm;
  let h: Harness;
  let b: Running;
  beforeAll(async () => {
    ssm = await startFakeSsm(small());
    h = await deployHarness({ ssm }, { policy: { maintenanceWindows: [SUNDAY] } });
    await syncNow(h);
    b = await anotherBot(h, ssm, { now: h.now, scheduleJobs: false });
  });
  afterAll(async () => {
    await b.stop();
    await h.close();
    await ssm.close();
  });

  it('one SendCommand, one deployment, one note per step', async () => {
    const r = await putInState(h, (await osPatches(h, 'production')).id, 'approved');
    const posted = await postMessage(h, r);
    await scheduleIntoFirstWindow(h, posted);
    expect((await stateOf(h, r.id, 'scheduled')).schedule).toMatchObject({ startsAt: '2026-11-08T21:00:00.000Z' });

    // The window starts: both replicas' deploy jobs, and both runners, at the same moment.
    h.setNow(new Date('2026-11-08T21:00:10.000Z'));
    const replicas = [h.running, b];
    const bothSweep = () => Promise.all(replicas.flatMap((x) => [x.jobs.runNow('deploy'), x.deployRunner.sweep()]));
    ssm.knobs.holdAnswers({ operation: 'SendCommand' });
    const swept = await bothSweep();
    expect(swept.filter((o) => typeof o === 'object' && o.status !== 'done' && o.status !== 'skipped')).toEqual([]);
    // And again while the command's answer is on its way back (the next minute's sweep).
    await until(() => ssm.knobs.held === 1, 'SendCommand reaching SSM');
    await bothSweep();
    ssm.knobs.releaseHeld();
    const verified = await stateOf(h, r.id, 'verified');
    await Promise.all(replicas.map((x) => x.deployRunner.idle()));
    await Promise.all(replicas.map((x) => x.jobs.runNow('outbox')));
    await settled(h);

    expect(ssm.knobs.sendCommandCounts).toEqual({ 'AWS-RunPatchBaseline:Install': 1 });
    expect(verified.deployments).toHaveLength(1);
    expect((verified.deployments[0]!.record as SsmRun).commandIds).toEqual([ssm.commands[0]!.id]);
    const actions = await actionsOf(h, r.id);
    for (const once of ['remediation.deployment_started', 'ssm.command_sent', 'remediation.deployed', 'remediation.verified']) {
      expect(actions.filter((a) => a === once)).toEqual([once]);
    }
    expect(h.fake.messages(CHANNEL).filter((m) => m.text.startsWith(`${r.id} `))).toHaveLength(1);
    const notes = threadOf(h, posted.message!.ts);
    for (const step of ['patchwarden started the deployment', ':white_check_mark: Deployed:', ':white_check_mark: Verified:']) {
      expect(notes.filter((t) => t.startsWith(step))).toHaveLength(1);
    }
    await expect(h.store.outbox.list()).resolves.toEqual([]);
  });
});

describe('a schedule across a restart, on the real clock', () => {
  const window = nextMinuteWindow(30_000);
  let ssm: FakeSsm;
  let h: Harness;
  let restarted: Running | null = null;
  beforeAll(async () => {
    ssm = await startFakeSsm(small());
    h = await deployHarness({ ssm }, {
      realClock: true,
      policy: { maintenanceWindows: [{ id: 'soon', name: 'The next minute', cron: window.cron, timezone: 'UTC', durationMinutes: 15, environments: ['production'] }] },
    });
    await syncNow(h);
  });
  afterAll(async () => {
    await restarted?.stop();
    await h.close();
    await ssm.close();
  });

  it('a bot stopped before the window and a new one started on the same store file: deployed when the window starts', async () => {
    const r = await putInState(h, (await osPatches(h, 'production')).id, 'approved');
    const posted = await postMessage(h, r);
    await scheduleIntoFirstWindow(h, posted);
    expect((await stateOf(h, r.id, 'scheduled')).schedule!.startsAt).toBe(window.startsAt.toISOString());
    await h.running.stop();
    expect(Date.now()).toBeLessThan(window.startsAt.getTime());

    // A new bot on the same store file: nothing at its start (the window is not open yet), then its cron at the minute.
    const bot = await anotherBot(h, ssm, { now: () => new Date(), scheduleJobs: true });
    restarted = bot;
    await bot.deployRunner.idle();
    expect(ssm.commands).toHaveLength(0);
    const verified = await until(async () => {
      const x = await bot.store.remediations.get(r.id);
      return x?.state === 'verified' ? x : null;
    }, 'verified after the window started', 120_000);

    expect(ssm.knobs.sendCommandCounts).toEqual({ 'AWS-RunPatchBaseline:Install': 1 });
    expect(verified.deployments).toHaveLength(1);
    expect(verified.deployments[0]!.by).toBe('system:deploy');
    expect(Date.parse(verified.deployments[0]!.startedAt)).toBeGreaterThanOrEqual(window.startsAt.getTime());
    expect(ssm.commands[0]!.requestedAt.getTime()).toBeGreaterThanOrEqual(window.startsAt.getTime());
    await settled(h);
    expect(threadOf(h, posted.message!.ts).filter((t) => t.startsWith('patchwarden started the deployment in *The next minute*'))).toHaveLength(1);
  }, 180_000);
});
