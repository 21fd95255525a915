/**
 * On the real clock and the real schedule (no clock injection): a policy window whose cron starts within a minute;
 * a lead schedules the remediation into it over HTTP, and when the minute comes the deploy job's tick deploys it,
 * follows the run and verifies it.
 */
import { ACTION, VIEW } from '../../src/slack/ids.js';
import { PEOPLE } from '../support/bot-harness.js';
import { osPatches, putInState, stateOf, useSsmBot } from './deploy-support.js';
import { messageOf, postMessage, until } from './workflow-support.js';

/** The next whole minute at least 15 s away, as a daily cron in UTC. */
function nextMinute(): { cron: string; startsAt: Date } {
  const now = Date.now();
  let start = Math.ceil(now / 60_000) * 60_000;
  if (start - now < 15_000) start += 60_000;
  const d = new Date(start);
  return { cron: `${d.getUTCMinutes()} ${d.getUTCHours()} * * *`, startsAt: d };
}

describe('a maintenance window on the real clock', () => {
  const window = nextMinute();
  const world = useSsmBot({
    realClock: true,
    policy: { maintenanceWindows: [{ id: 'now', name: 'The next minute', cron: window.cron, timezone: 'UTC', durationMinutes: 15, environments: ['production'] }] },
  });

  it('deploys when the window starts, by the schedule alone', async () => {
    const { h, ssm } = world;
    const r = await putInState(h, (await osPatches(h, 'production')).id, 'approved');
    const posted = await postMessage(h, r);
    await h.driver.blockAction({ user: PEOPLE.lead.id, message: messageOf(h, posted), action_id: ACTION.approve });
    const modal = await until(() => h.fake.views({ callbackId: VIEW.approval, user: PEOPLE.lead.id })[0], 'the schedule modal');
    const slot = (modal.view.blocks as { block_id: string; element?: { option_groups?: { options: { value: string }[] }[] } }[]).find((b) => b.block_id === 'window')!.element!.option_groups![0]!.options[0]!;
    await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: { window: slot.value } });
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
