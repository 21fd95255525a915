/**
 * The App Home over HTTP: each person's queue by role, refreshed on app_home_opened and after a step that touches
 * them, within Slack's limits for 1, 60 and 500 open remediations.
 */
import type { Remediation } from '../../src/domain/remediation.js';
import type { RemediationState } from '../../src/domain/remediation-state.js';
import { ACTION, VIEW } from '../../src/slack/ids.js';
import { aTest } from '../support/builders.js';
import { PEOPLE } from '../support/bot-harness.js';
import { messageOf, openHome, postMessage, settled, until, useHarness, type HomeBlock as Block } from './workflow-support.js';


describe('the App Home', () => {
  const h = useHarness();
  const home = (user: string) => openHome(h, user);
  const headers = (blocks: Block[]) => blocks.filter((b) => b.type === 'header').map((b) => b.text!.text);
  const ids = (blocks: Block[], section: string) => blocks.filter((b) => b.block_id.startsWith(`${section}:PW-`)).map((b) => b.block_id.split(':')[1]);

  describe('by role', () => {
    let rs: Record<string, Remediation>;
    beforeAll(async () => {
      const overdue = '2026-10-30T09:00:00.000Z';
      rs = {
        fresh: await h.seed({ state: 'new' }),
        theirs: await h.seed({ state: 'assessed', owner: PEOPLE.engineer.id, dueAt: '2026-12-30T09:00:00.000Z' }),
        others: await h.seed({ state: 'testing', owner: 'U0SOMEONE', dueAt: '2026-11-20T09:00:00.000Z' }),
        testedByLead: await h.seed({ state: 'tested', tests: [aTest({ by: PEOPLE.lead.id })] }),
        testedByEngineer: await h.seed({ state: 'tested', tests: [aTest({ by: PEOPLE.engineer.id })], dueAt: overdue, owner: PEOPLE.engineer2.id }),
      };
    });

    it('a lead: to assess, to test, to approve (not what they tested), overdue, and their roles', async () => {
      const blocks = await home(PEOPLE.lead.id);
      expect(headers(blocks)).toEqual(['Your patch queue', ':warning: Overdue (1)', ':mag: To assess (1)', ':test_tube: To test (2)', ':white_check_mark: To approve (1)']);
      expect(JSON.stringify(blocks)).toContain('Your role: *lead*');
      expect(ids(blocks, 'toApprove')).toEqual([rs.testedByEngineer!.id]);
      expect(ids(blocks, 'overdue')).toEqual([rs.testedByEngineer!.id]);
      expect(JSON.stringify(blocks.find((b) => b.block_id === `overdue:${rs.testedByEngineer!.id}`))).toContain(`owner <@${PEOPLE.engineer2.id}>`);
    });

    it('an engineer: to test, their own first, and overdue', async () => {
      const blocks = await home(PEOPLE.engineer.id);
      expect(headers(blocks)).toEqual(['Your patch queue', ':warning: Overdue (1)', ':test_tube: To test (2)']);
      expect(ids(blocks, 'toTest')).toEqual([rs.theirs!.id, rs.others!.id]);
    });

    it('an approver and a manager see what is theirs to see', async () => {
      expect(headers(await home(PEOPLE.approver.id))).toEqual(['Your patch queue', ':warning: Overdue (1)', ':white_check_mark: To approve (2)']);
      expect(headers(await home(PEOPLE.manager.id))).toEqual(['Your patch queue', ':warning: Overdue (1)']);
    });

    it('someone with no role is told how roles are given, and by whom', async () => {
      const text = JSON.stringify(await home(PEOPLE.stranger.id));
      expect(text).toContain('You don’t have a patchwarden role yet');
      expect(text).toContain(`Ask <@${PEOPLE.lead.id}>, <@${PEOPLE.lead2.id}> to add you.`);
    });

    it('a step refreshes the homes it touches: the actor’s and the engineers’ when work becomes testable', async () => {
      const r = await postMessage(h, rs.fresh!);
      await home(PEOPLE.engineer2.id);
      const published = (user: string) => h.fake.calls('views.publish').filter((c) => c.args.user_id === user).length;
      const [lead, eng2, mgr] = [published(PEOPLE.lead.id), published(PEOPLE.engineer2.id), published(PEOPLE.manager.id)];
      await h.driver.blockAction({ user: PEOPLE.lead.id, message: messageOf(h, r), action_id: ACTION.assess });
      const modal = await until(() => h.fake.views({ user: PEOPLE.lead.id, callbackId: VIEW.assess, open: true }).at(-1), 'the modal');
      await h.driver.viewSubmission({ user: PEOPLE.lead.id, view: modal, inputs: { business_impact: 'low', rationale: 'Dev dependency only.' } });
      await until(() => published(PEOPLE.engineer2.id) > eng2, 'the engineer’s home');
      await settled(h);
      expect(published(PEOPLE.lead.id)).toBeGreaterThan(lead);
      expect(published(PEOPLE.manager.id)).toBe(mgr); // nothing of theirs changed
      expect(ids(h.fake.homeView(PEOPLE.engineer2.id)!.view.blocks as Block[], 'toTest')).toContain(r.id);
    });
  });

});

describe('the App Home within Slack’s limits', () => {
  const h = useHarness();

  const STATES: RemediationState[] = ['new', 'assessed', 'testing', 'tested', 'reopened', 'approved'];
  let seeded = 0;
  const seedUpTo = async (n: number) => {
    for (; seeded < n; seeded += 1) {
      await h.seed({ state: STATES[seeded % STATES.length]!, title: `Upgrade a-package-with-a-rather-long-name-${seeded} `.repeat(8), dueAt: seeded % 3 === 0 ? '2026-10-01T00:00:00.000Z' : '2027-01-01T00:00:00.000Z' });
    }
  };

  it.each([1, 60, 500])('with %i open remediations, every role’s home is valid and says how many more there are', async (n) => {
    await seedUpTo(n);
    for (const user of [PEOPLE.lead.id, PEOPLE.engineer.id, PEOPLE.approver.id, PEOPLE.manager.id]) {
      const blocks = await openHome(h, user);
      expect(blocks.length).toBeLessThanOrEqual(100);
      if (n >= 60) expect(JSON.stringify(blocks)).toMatch(/…and [\d,]+ more: `\/patch list/);
    }
  });
});
