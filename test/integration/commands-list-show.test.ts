/** `/patch list …`, `/patch show PW-n`, the Timeline button, help and unknown words, over real HTTP. */
import { createHash } from 'node:crypto';
import type { Remediation } from '../../src/domain/remediation.js';
import { addDays, instant } from '../../src/domain/time.js';
import { ACTION } from '../../src/slack/ids.js';
import { validateMessageBlocks } from '../support/slack/block-kit-limits.js';
import type { MessageRecord } from '../support/slack/fake-slack.js';
import { aTest } from '../support/builders.js';
import { CHANNEL, PEOPLE, startHarness, type Harness } from '../support/bot-harness.js';
import { blockText, eventually, patch } from '../support/patch-command.js';

const NOW = new Date('2026-11-02T09:00:00.000Z');
const day = (n: number): string => instant(addDays(NOW, n));
const listed = (blocks: unknown): string[] => [...blockText(blocks).matchAll(/\*(PW-\d+)\*/g)].map((m) => m[1]!);

describe('/patch list', () => {
  let h: Harness;
  let r: Record<string, Remediation>;
  beforeAll(async () => {
    h = await startHarness({ now: NOW });
    r = {
      a: await h.seed({ severity: 'critical', owner: PEOPLE.engineer.id, dueAt: day(-2) }),
      b: await h.seed({ severity: 'high', owner: PEOPLE.engineer.id, dueAt: day(-1), state: 'assessed' }),
      c: await h.seed({ severity: 'high', owner: null, dueAt: day(-5), state: 'testing' }),
      d: await h.seed({ severity: 'medium', owner: PEOPLE.engineer2.id, dueAt: day(3) }),
      e: await h.seed({ severity: 'low', owner: PEOPLE.engineer.id, dueAt: day(30) }),
      closed: await h.seed({ severity: 'critical', state: 'verified', closedAt: day(-1), resolution: 'deployed', dueAt: day(-3) }),
    };
  });
  afterAll(() => h.close());

  it.each([
    ['', ['c', 'a', 'b', 'd', 'e']],
    ['open', ['c', 'a', 'b', 'd', 'e']],
    ['overdue', ['c', 'a', 'b']],
    ['critical', ['a']],
    ['high medium', ['c', 'b', 'd']],
    ['overdue high', ['c', 'b']],
  ])('`list %s` lists those, due date first, closed ones never', async (words, expected) => {
    const answer = await patch(h, PEOPLE.manager.id, `list ${words}`.trim());
    expect(listed(answer.responses[0]?.blocks)).toEqual(expected.map((k) => r[k]!.id));
    expect(answer.responses[0]?.response_type).toBe('ephemeral');
  });

  it('`list mine` is what the person asking owns', async () => {
    expect(listed((await patch(h, PEOPLE.engineer.id, 'list mine')).responses[0]?.blocks)).toEqual([r.a!.id, r.b!.id, r.e!.id]);
    expect(listed((await patch(h, PEOPLE.engineer2.id, 'list mine')).responses[0]?.blocks)).toEqual([r.d!.id]);
    expect(blockText((await patch(h, PEOPLE.manager.id, 'list mine')).responses[0]?.blocks)).toContain('Nothing matches `/patch list mine`.');
  });

  it('an unknown filter word says which words work', async () => {
    const answer = await patch(h, PEOPLE.manager.id, 'list urgent');
    expect(answer.responses[0]?.text).toContain('`urgent` is not something I can list by');
    expect(answer.responses[0]?.text).toContain('`overdue`');
  });

  it('the Timeline button answers with the timeline, only to the person', async () => {
    const answer = await patch(h, PEOPLE.manager.id, 'list critical');
    const list = answer.responses[0]!;
    const message = { channel: CHANNEL, ts: '1795000000.000100', text: list.text ?? '', blocks: list.blocks } as unknown as MessageRecord;
    const click = await h.driver.blockAction({ user: PEOPLE.manager.id, action_id: ACTION.timeline, message });
    const url = String(click.sent.payload.response_url);
    await eventually(() => h.fake.responses(url).length === 1, 5000, 'the timeline');
    const [timeline] = h.fake.responses(url).map((x) => x.body as { blocks: unknown; response_type: string; replace_original: boolean });
    expect(timeline).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(blockText(timeline?.blocks)).toContain(`${r.a!.id} timeline`);
  });
});

describe('/patch list pages', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ now: NOW });
    for (let i = 0; i < 45; i += 1) await h.seed({ dueAt: day(i + 1), severity: i % 2 ? 'high' : 'low' });
  });
  afterAll(() => h.close());

  it('shows 20 at a time, says how many more and how to narrow, and pages on', async () => {
    const first = (await patch(h, PEOPLE.manager.id, 'list')).responses[0]!;
    expect(listed(first.blocks)).toHaveLength(20);
    expect(validateMessageBlocks(first.blocks)).toEqual([]);
    const text = blockText(first.blocks);
    expect(text).toContain('Showing 1–20 of 45. 25 more: `/patch list open 2` for the next page.');
    expect(text).toContain('Narrow it with `overdue`, `mine`, `critical`, `high`, `medium`, `low`');
    const third = (await patch(h, PEOPLE.manager.id, 'list open page 3')).responses[0]!;
    expect(listed(third.blocks)).toHaveLength(5);
    expect(blockText(third.blocks)).toContain('Showing 41–45 of 45.');
    const high2 = (await patch(h, PEOPLE.manager.id, 'list high 2')).responses[0]!;
    expect(listed(high2.blocks)).toHaveLength(2);
    expect(blockText(high2.blocks)).toContain('page 2 of 2');
    // Past the last page: the last page.
    expect(blockText((await patch(h, PEOPLE.manager.id, 'list 99')).responses[0]?.blocks)).toContain('Showing 41–45 of 45.');
  });
});

describe('/patch show', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ now: NOW });
  });
  afterAll(() => h.close());

  it('shows the record and the audit trail: who did what when, files with SHA-256, decisions, the window', async () => {
    const bytes = 'staging smoke test log';
    const sha = createHash('sha256').update(bytes).digest('hex');
    const r = await h.seed({
      state: 'scheduled',
      assessment: { by: PEOPLE.lead.id, at: day(-5), severity: 'high', kevListed: false, epss: 0.12, knownExploit: true, businessImpact: 'high', rationale: 'Internet-facing API', owner: PEOPLE.engineer.id, dueAt: day(20) },
      tests: [aTest({ by: PEOPLE.engineer.id, at: day(-3), files: [{ sha256: sha, size: bytes.length, name: 'smoke.log', mimeType: 'text/plain', slackFileId: 'F1' }] })],
      decisions: [{ decision: 'approved', by: PEOPLE.lead2.id, at: day(-2), reason: 'Green in staging', changeTicket: 'CHG-1042' }],
      schedule: { windowId: 'prod-saturday', windowName: 'Production, Saturday 22:00', startsAt: day(5), endsAt: day(5.2), by: PEOPLE.lead2.id, at: day(-2) },
    });
    await h.store.audit.append([
      { at: day(-5), actor: PEOPLE.lead.id, action: 'remediation.assessed', subject: r.id, data: { from: 'new', to: 'assessed', rationale: 'Internet-facing API' } },
      { at: day(-2), actor: PEOPLE.lead2.id, action: 'remediation.approved', subject: r.id, data: { from: 'tested', to: 'approved', reason: 'Green in staging' } },
    ]);
    const answer = await patch(h, PEOPLE.auditor.id, `show ${r.id.toLowerCase()}`);
    const text = blockText(answer.responses[0]?.blocks);
    expect(text).toContain(`${r.id} timeline`);
    expect(text).toContain(`*Assessed* Wed 28 Oct 10:00 by <@${PEOPLE.lead.id}>: high, business impact high, known exploit, EPSS 0.12, owner <@${PEOPLE.engineer.id}>`);
    expect(text).toContain(`smoke.log · sha256 \`${sha}\``);
    expect(text).toContain(`*Approved* Sat 31 Oct 10:00 by <@${PEOPLE.lead2.id}> · change CHG-1042. _Green in staging_`);
    expect(text).toContain('*Window* Production, Saturday 22:00: Sat 7 Nov 10:00');
    expect(text).toContain(`<@${PEOPLE.lead.id}> · remediation.assessed (new → assessed)`);
    expect(text).toContain(`<@${PEOPLE.lead2.id}> · remediation.approved (tested → approved) · _Green in staging_`);
    expect(text).toContain('*Audit trail* (3 events)');
  });

  it('a long trail keeps within 50 blocks, newest events kept, and says how many were left out', async () => {
    const r = await h.seed({});
    const events = Array.from({ length: 2000 }, (_, i) => ({ at: day(-1), actor: PEOPLE.engineer.id, action: 'evidence.uploaded' as const, subject: r.id, data: { reason: `upload number ${i} `.repeat(8) } }));
    await h.store.audit.append(events);
    const answer = await patch(h, PEOPLE.manager.id, `show ${r.id}`);
    const blocks = answer.responses[0]?.blocks ?? [];
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(validateMessageBlocks(blocks)).toEqual([]);
    const text = blockText(blocks);
    expect(text).toMatch(/\d+ earlier events not shown/);
    expect(text).toContain(`#${(await h.store.audit.head())!.seq}\``);
  });

  it('an unknown id, or none, gets a sentence', async () => {
    await patch(h, PEOPLE.manager.id, 'show PW-9999', { responses: 0, ephemerals: 1 });
    expect(h.fake.ephemerals({ user: PEOPLE.manager.id }).at(-1)?.text).toBe('There is no remediation PW-9999.');
    expect((await patch(h, PEOPLE.manager.id, 'show')).responses[0]?.text).toBe('Which remediation? For example `/patch show PW-12`, or `/patch show PW-12 findings` for every finding.');
  });
});

describe('/patch help and unknown words', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ now: NOW });
  });
  afterAll(() => h.close());

  it.each([['help'], ['']])('`/patch %s` lists every subcommand', async (text) => {
    const body = blockText((await patch(h, PEOPLE.engineer.id, text)).responses[0]?.blocks);
    for (const sub of ['status [public]', 'list [open|overdue|mine|critical|high|medium|low] [page]', 'show PW-12 [findings]', 'inventory', 'digest', 'help']) {
      expect(body).toContain(`\`/patch ${sub}\``);
    }
    expect(body).not.toContain('no patchwarden role');
  });

  it('an unknown word answers with the help', async () => {
    const body = blockText((await patch(h, PEOPLE.manager.id, 'deploy everything')).responses[0]?.blocks);
    expect(body).toContain('I don’t know `deploy`. Here is what `/patch` can do:');
    expect(body).toContain('`/patch status [public]`');
  });

  it('a person with no role gets the help with a sentence on how roles are set', async () => {
    const body = blockText((await patch(h, PEOPLE.stranger.id, 'help')).responses[0]?.blocks);
    expect(body).toContain('You have no patchwarden role yet');
    expect(body).toContain('set in the patchwarden policy file');
  });
});
