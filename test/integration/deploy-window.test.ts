/**
 * On the real clock and the real schedule (no clock injection): a policy window whose cron starts within a minute;
 * a lead schedules the remediation into it over HTTP, and when the minute comes the deploy job's tick deploys it,
 * follows the run and verifies it.
 */
import { nextMinuteWindow, osPatches, putInState, scheduleIntoFirstWindow, stateOf, useSsmBot } from './deploy-support.js';
import { postMessage } from './workflow-support.js';

describe('a maintenance window on the real clock', () => {
  const window = nextMinuteWindow();
  const world = useSsmBot({
    realClock: true,
    policy: { maintenanceWindows: [{ id: 'now', name: 'The next minute', cron: window.cron, timezone: 'UTC', durationMinutes: 15, environments: ['production'] }] },
  });

  it('deploys when the window starts, by the schedule alone', async () => {
    const { h, ssm } = world;
    const r = await putInState(h, (await osPatches(h, 'production')).id, 'approved');
    const posted = await postMessage(h, r);
    await scheduleIntoFirstWindow(h, posted);
    const scheduled = await stateOf(h, r.id, 'scheduled');
    expect(scheduled.schedule!.startsAt).toBe(window.startsAt.toISOString());
    expect(ssm.commands).toHaveLength(0);

    const verified = await stateOf(h, r.id, 'verified', 120_000);
    expect(ssm.knobs.sendCommandCounts).toEqual({ 'AWS-RunPatchBaseline:Install': 1 });
    const started = Date.parse(verified.deployments[0]!.startedAt);
    expect(started).toBeGreaterThanOrEqual(window.startsAt.getTime());
    expect(verified.deployments[0]!.by).toBe('system:deploy');
  }, 180_000);
});
