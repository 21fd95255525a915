/**
 * `/patch evidence` over the whole bot (signed requests, Bolt's HTTP receiver, the Slack fake, SQLite seeded with
 * test/support/evidence-seed.ts): one message in the person's DM updated in place as the pack is built, then the zip
 * uploaded there through files.getUploadURLExternal + completeUploadExternal with its SHA-256 in the message; leads,
 * managers and auditors only; a bad period or a pack already building said calmly.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyPack } from '../../src/app/evidence/verify-pack.js';
import { PEOPLE, startHarness, type Harness } from '../support/bot-harness.js';
import { SEED, seedEvidencePeriod } from '../support/evidence-seed.js';
import { blockText, eventually, patch } from '../support/patch-command.js';

describe('/patch evidence', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ now: new Date('2026-12-10T08:00:00.000Z'), policy: { timezone: 'UTC' }, env: { CHROMIUM_PATH: '' } });
    await seedEvidencePeriod(h.store);
  });
  afterEach(() => h.close());

  const dmMessages = (user: string) => h.fake.messages(h.fake.dmChannel(user));

  it.each([
    ['an auditor', PEOPLE.auditor.id],
    ['a manager', PEOPLE.manager.id],
  ])('sends %s the pack in a DM: a progress message updated in place, then the zip with its SHA-256', async (_who, user) => {
    const answer = await patch(h, user, `evidence ${SEED.period}`);
    expect(answer.responses[0]?.text).toBe(`Building the evidence pack for ${SEED.period}: I will send it to you in a direct message.`);
    await eventually(() => blockText(dmMessages(user)[0]?.blocks).includes('Ready'), 20_000, 'the pack in the DM');
    const [progress, fileMessage] = dmMessages(user);
    expect(dmMessages(user)).toHaveLength(2);
    expect(blockText(progress!.versions[0]!.blocks)).toContain(':white_small_square: Verifying the audit log');
    expect(progress!.versions.length).toBeGreaterThanOrEqual(2);

    const file = h.fake.files().find((f) => f.name === `patchwarden-evidence-${SEED.period}.zip`)!;
    expect(file.completed).toBe(true);
    const sha256 = createHash('sha256').update(file.bytes!).digest('hex');
    expect(blockText(progress!.blocks)).toContain(`SHA-256 \`${sha256}\``);
    expect(blockText(progress!.blocks)).toContain(`*Remediations*\n${SEED.population.length}`);
    expect(fileMessage).toMatchObject({ files: [file.id], text: `Evidence pack ${SEED.period} · sha256 ${sha256}` });
    expect(h.fake.calls('files.getUploadURLExternal')[0]!.args).toMatchObject({ filename: file.name, length: String(file.bytes!.length) });
    expect(h.fake.calls('files.completeUploadExternal')[0]!.args).toMatchObject({ channel_id: h.fake.dmChannel(user) });

    const path = join(h.dir, 'received.zip');
    writeFileSync(path, file.bytes!);
    await expect(verifyPack(path)).resolves.toMatchObject({ ok: true, problems: [] });
    await expect(h.store.audit.head()).resolves.toMatchObject({ action: 'evidence.pack_exported', actor: user, data: { sha256 } });
  });

  it('takes a range of days', async () => {
    await patch(h, PEOPLE.lead.id, 'evidence 2026-11-01 2026-11-15');
    await eventually(() => blockText(dmMessages(PEOPLE.lead.id)[0]?.blocks).includes('Ready'), 20_000, 'the pack in the DM');
    expect(h.fake.files().map((f) => f.name)).toEqual(['patchwarden-evidence-2026-11-01_2026-11-15.zip']);
  });

  it('refuses anyone else, audited, and builds nothing', async () => {
    await patch(h, PEOPLE.engineer.id, `evidence ${SEED.period}`, { responses: 0, ephemerals: 1 });
    expect(h.fake.ephemerals({ user: PEOPLE.engineer.id }).at(-1)?.text).toBe('Only a lead, a manager or an auditor can do that. Roles are set in the patchwarden policy file; ask your engineering lead.');
    const denied = (await h.store.audit.bySubject('/patch evidence')).map((e) => ({ actor: e.actor, action: e.action, permission: e.data.permission }));
    expect(denied).toEqual([{ actor: PEOPLE.engineer.id, action: 'access.denied', permission: 'evidence' }]);
    expect(h.fake.files()).toEqual([]);
    expect(dmMessages(PEOPLE.engineer.id)).toEqual([]);
  });

  it.each([
    ['evidence', 'Which period? Ask for a month, `/patch evidence 2026-11`, or a range of days'],
    ['evidence november', '“november” is not a period (a month is written YYYY-MM, such as 2026-11)'],
    ['evidence 2026-12-31 2026-12-01', '“2026-12-31 to 2026-12-01” is not a period (the last day comes before the first)'],
    ['evidence 2027-01', '“2027-01” is not a period (it has not started yet)'],
  ])('answers `/patch %s` with a sentence and builds nothing', async (text, sentence) => {
    await patch(h, PEOPLE.lead.id, text, { responses: 0, ephemerals: 1 });
    expect(h.fake.ephemerals({ user: PEOPLE.lead.id }).at(-1)?.text).toContain(sentence);
    expect(h.fake.files()).toEqual([]);
  });

  it('says a pack is being built when another one holds the lease', async () => {
    await h.store.leases.acquire('evidence-pack', 'another-replica', 60_000, h.now());
    await patch(h, PEOPLE.lead.id, `evidence ${SEED.period}`, { responses: 0, ephemerals: 1 });
    expect(h.fake.ephemerals({ user: PEOPLE.lead.id }).at(-1)?.text).toBe('An evidence pack is being built right now; one at a time keeps the bot responsive. Try again in a minute.');
    expect(h.fake.files()).toEqual([]);
  });

  it('says in the same message when the upload fails, and leaves no file behind', async () => {
    h.fake.failNext('files.getUploadURLExternal', 'ratelimited');
    await patch(h, PEOPLE.lead.id, `evidence ${SEED.period}`);
    await eventually(() => blockText(dmMessages(PEOPLE.lead.id)[0]?.blocks).includes('could not be made'), 20_000, 'the failure in the DM');
    expect(blockText(dmMessages(PEOPLE.lead.id)[0]?.blocks)).toContain('ratelimited');
    expect(h.fake.files()).toEqual([]);
  });
});
