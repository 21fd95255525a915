/**
 * Deciding from Slack alone, against the small() population synced through the real adapters and fakes into the
 * bot's own store: `/patch show` names each source of a merged remediation with its link, a patch run's patches and
 * hosts by name; Windows and Linux missing patches are separate remediations; the assess modal shows the same
 * essentials; the thread of a message holds the findings; owners come from the policy's rules.
 */
import type { Remediation } from '../../src/domain/remediation.js';
import { createLogger } from '../../src/logger.js';
import { createSync } from '../../src/app/sync/sync.js';
import { createSources } from '../../src/sources/create-sources.js';
import { ACTION, VIEW } from '../../src/slack/ids.js';
import { CHANNEL, PEOPLE, startHarness, type Harness } from '../support/bot-harness.js';
import { startFakeEpss, type FakeEpss } from '../support/feeds/fake-epss.js';
import { startFakeKev, type FakeKev } from '../support/feeds/fake-kev.js';
import { startFakeGithub, type FakeGithub } from '../support/github/fake-github.js';
import { blockText, patch } from '../support/patch-command.js';
import { buildPopulation } from '../support/population/build-population.js';
import { SMALL_FACTS, SMALL_OPTIONS } from '../support/population/presets.js';
import { startFakeSnyk, type FakeSnyk } from '../support/snyk/fake-snyk.js';
import { startFakeSsm, type FakeSsm } from '../support/ssm/fake-ssm.js';
import { FINDINGS_NOTE } from '../support/thread-notes.js';
import { aFinding } from '../support/builders.js';
import { parseCsv } from '../support/csv-parse.js';
import { FINDINGS_CSV_HEADER } from '../../src/slack/posting/findings-csv.js';
import { recordingSleep, TEST_RETRY } from './sources-support.js';
import { GITHUB_TOKEN, SNYK_TOKEN } from './sync-support.js';
import { messageOf, openHome, postMessage, until } from './workflow-support.js';

describe('deciding from Slack alone, on a synced population', () => {
  // small(), with eight instances: two Windows and four Linux ones in production.
  const population = buildPopulation({ ...SMALL_OPTIONS, instances: 8 });
  let h: Harness;
  let fakes: [FakeGithub, FakeSnyk, FakeSsm, FakeKev, FakeEpss];
  let all: Remediation[];

  beforeAll(async () => {
    fakes = await Promise.all([startFakeGithub(population, { token: GITHUB_TOKEN }), startFakeSnyk(population, { token: SNYK_TOKEN }), startFakeSsm(population), startFakeKev(population), startFakeEpss(population)]);
    const [github, snyk, ssm, kev, epss] = fakes;
    h = await startHarness({
      now: new Date(population.now),
      policy: { owners: [{ repository: 'acme/api', owner: PEOPLE.engineer.id }, { environment: 'staging', owner: PEOPLE.engineer2.id }, { default: PEOPLE.lead2.id }] },
      env: {
        GITHUB_TOKEN, GITHUB_ORG: population.github.org, GITHUB_API_URL: github.url, SNYK_TOKEN, SNYK_ORG_ID: population.snyk.orgId, SNYK_API_URL: snyk.url,
        AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_SSM: ssm.url, KEV_URL: kev.feedUrl, EPSS_URL: epss.apiUrl,
      },
    });
    const logger = createLogger('silent');
    const { sources, feeds } = createSources(h.config, { kv: h.store.kv, logger, now: h.now, sleep: recordingSleep().sleep, clientOverrides: { retry: TEST_RETRY, awsCredentials: { accessKeyId: 'test', secretAccessKey: 'test' } } });
    const report = await createSync({ store: h.store, sources, feeds, sla: h.config.policy.sla, owners: h.config.policy.owners, now: h.now, logger })();
    expect(report.status).toBe('ok');
    all = await h.store.remediations.list();
  });
  afterAll(async () => {
    await h.close();
    await Promise.all(fakes.map((f) => f.close()));
  });

  const overlap = SMALL_FACTS.overlaps[0];
  const merged = () => all.find((r) => r.key === `repo:${overlap.repo}|npm:${overlap.package}`)!;
  const patchRuns = () => all.filter((r) => r.remedy.kind === 'os_patches');
  const show = async (text: string) => blockText((await patch(h, PEOPLE.manager.id, `show ${text}`)).responses[0]?.blocks);

  it('/patch show on a merged remediation names both sources with their links, the assets by name, versions and owner', async () => {
    const r = merged();
    expect(r.findingIds.some((id) => id.startsWith('github:')) && r.findingIds.some((id) => id.startsWith('snyk:'))).toBe(true);
    const text = await show(r.id);
    expect(text).toContain(`<https://github.com/${overlap.repo}/security/dependabot/${overlap.alertNumber}|Dependabot alert #${overlap.alertNumber}>`);
    expect(text).toMatch(/<https:\/\/security\.snyk\.io\/vuln\/SNYK-JS-LODASH-\d+\|Snyk SNYK-JS-LODASH-\d+>/);
    expect(text).toContain(`*${overlap.snykProject}*`);
    expect(text).toContain(`*${overlap.repo}* · \`package-lock.json\``);
    expect(text).toMatch(/lodash \d+\.\d+\.\d+ → \d+\.\d+\.\d+/);
    expect(text).toContain(overlap.cve);
    expect(text).toContain('first detected');
    expect(r).toMatchObject({ owner: PEOPLE.engineer.id, ownerRule: 'owners[0] repository acme/api' });
  });

  it('Windows and Linux missing patches in one environment are separate remediations, titled by what they install', () => {
    const production = patchRuns().filter((r) => r.remedy.kind === 'os_patches' && r.remedy.environment === 'production');
    const platforms = production.map((r) => (r.remedy.kind === 'os_patches' ? r.remedy.platform ?? null : null));
    expect(platforms.some((p) => p?.startsWith('Windows'))).toBe(true);
    expect(platforms.some((p) => p !== null && !p.startsWith('Windows'))).toBe(true);
    const windows = production.find((r) => r.remedy.kind === 'os_patches' && r.remedy.platform?.startsWith('Windows'))!;
    expect(windows.title).toMatch(/^Install KB\d+, KB\d+, KB\d+( and \d+ more)? on production Windows Server 2022 \(2 instances\)$/);
    for (const r of patchRuns()) expect(r.title).not.toMatch(/missing OS patch/);
  });

  it('/patch show on a patch run names each patch and each host by name, with its id', async () => {
    for (const r of patchRuns()) {
      const text = await show(`${r.id} findings`);
      const findings = await h.store.findings.list({ remediationId: r.id, state: 'open' });
      const assets = await h.store.assets.getMany(r.assetIds);
      for (const f of findings) expect(text).toContain(f.package.split('.x86_64')[0]!);
      for (const a of assets) expect(text).toContain(`*${a.name} (${a.id.slice(4)})*`);
      // The Name tag where SSM can read it (hybrid nodes), else the computer name.
      for (const a of assets) {
        const i = population.ssm.instances.find((x) => `ssm:${x.instanceId}` === a.id)!;
        expect(a.name).toBe(i.instanceId.startsWith('mi-') ? i.tags.Name : i.computerName);
      }
    }
  });

  it('the assess modal and the thread of the message show the same essentials', async () => {
    const posted = await postMessage(h, merged());
    const [first] = h.fake.replies(CHANNEL, posted.message!.ts);
    expect(first?.text).toMatch(FINDINGS_NOTE);
    expect(blockText(first?.blocks)).toContain(`Dependabot alert #${overlap.alertNumber}`);
    await h.driver.blockAction({ user: PEOPLE.lead.id, message: messageOf(h, posted), action_id: ACTION.assess });
    const modal = await until(() => h.fake.views({ callbackId: VIEW.assess, user: PEOPLE.lead.id })[0], 'the assess modal');
    const text = blockText(modal.view.blocks);
    expect(text).toContain(`|Dependabot alert #${overlap.alertNumber}>`);
    expect(text).toMatch(/\|Snyk SNYK-JS-LODASH-\d+>/);
    expect(text).toContain(`*${overlap.snykProject}*`);
  });

  it('a long list is cut with "and N more": the whole of it is a CSV in the thread and `/patch show PW-n findings`', async () => {
    const r = merged();
    const extra = Array.from({ length: 40 }, (_, i) => aFinding({ id: `github:${overlap.repo}:alert:${900 + i}`, assetId: `github:${overlap.repo}`, remediationId: r.id, reference: `alert #${900 + i}`, url: `https://github.com/${overlap.repo}/security/dependabot/${900 + i}` }));
    await h.store.commit({ findings: extra, events: extra.map((f) => ({ at: h.now().toISOString(), actor: 'system:test', action: 'finding.detected' as const, subject: f.id, data: {} })) });
    // Its message forgotten, as if it had none yet: the next one posted is a first message, with its findings.
    const fresh = (await h.store.remediations.get(r.id))!;
    const forgotten = await h.store.remediations.update({ ...fresh, message: null }, fresh.version, []);
    if (!forgotten.ok) throw new Error(forgotten.error.code);
    const posted = await postMessage(h, forgotten.value);
    const thread = h.fake.replies(CHANNEL, posted.message!.ts);
    expect(blockText(thread[0]?.blocks)).toMatch(/and \d+ more: every one is in the CSV below/);
    const csv = h.fake.files().find((f) => f.name === `${r.id.toLowerCase()}-findings.csv` && f.completed)!;
    const rows = parseCsv(csv.bytes!.toString('utf8'));
    expect(rows[0]).toEqual([...FINDINGS_CSV_HEADER]);
    expect(rows).toHaveLength(1 + r.findingIds.length + extra.length);
    expect(rows.map((row) => row[3])).toContain(`Dependabot alert #${overlap.alertNumber}`);
    const listed = await patch(h, PEOPLE.manager.id, `show ${r.id} findings`);
    const text = blockText(listed.responses[0]?.blocks);
    for (const f of extra) expect(text).toContain(`|Dependabot alert #${f.id.split(':').at(-1)}>`);
  });

  it('the digest’s lists and the App Home name the instances and Snyk projects of each line, never their ids alone', async () => {
    const assets = new Map((await h.store.assets.list()).map((a) => [a.id, a]));
    const named = (r: Remediation) => r.assetIds.filter((id) => /^(ssm|snyk):/.test(id));
    const expectNamed = (text: string, r: Remediation) => {
      for (const id of named(r)) {
        const a = assets.get(id)!;
        expect(text).toContain(id.startsWith('ssm:') ? `${a.name} (${id.slice(4)})` : `Snyk ${a.name}`);
      }
    };
    const osAndSnyk = all.filter((r) => named(r).length > 0);
    expect(osAndSnyk.filter((r) => r.remedy.kind === 'os_patches').length).toBeGreaterThanOrEqual(3);
    expect(osAndSnyk.filter((r) => r.findingIds.every((id) => id.startsWith('snyk:'))).length).toBeGreaterThanOrEqual(2);

    // The digest: its summary's lists and the complete list in its thread.
    await h.running.jobs.runNow('digest');
    const digest = h.fake.messages(CHANNEL).find((m) => m.text.startsWith('Patch digest'))!;
    const lines = [digest, ...h.fake.replies(CHANNEL, digest.ts)].flatMap((m) => blockText(m.blocks).split('\n')).filter((l) => l.startsWith('• *PW-'));
    for (const r of osAndSnyk) {
      const mine = lines.filter((l) => l.startsWith(`• *${r.id}* `));
      expect(mine.length).toBeGreaterThan(0);
      for (const line of mine) expectNamed(line, r);
    }
    expect(lines.join('\n')).not.toMatch(/ssm:|snyk:project:/);

    // The App Home of a lead: every item of its queues that is about instances or Snyk projects names them.
    const home = await openHome(h, PEOPLE.lead.id);
    const items = home.filter((b) => /^[a-zA-Z]+:PW-\d+$/.test(b.block_id));
    const shown = items.map((b) => ({ r: all.find((r) => r.id === b.block_id.split(':')[1])!, text: b.text!.text })).filter(({ r }) => named(r).length > 0);
    expect(shown.some(({ r }) => r.remedy.kind === 'os_patches')).toBe(true);
    expect(shown.some(({ r }) => r.findingIds.every((id) => id.startsWith('snyk:')))).toBe(true);
    for (const { r, text } of shown) expectNamed(text, r);
    expect(items.map((b) => b.text!.text).join('\n')).not.toMatch(/ssm:|snyk:project:/);
  });

  it('every asset has an owner and the rule that gave it; a patch run takes its environment rule or the default', async () => {
    const assets = await h.store.assets.list();
    expect(assets.every((a) => a.owner !== null && typeof a.ownerRule === 'string')).toBe(true);
    const staging = patchRuns().filter((r) => r.remedy.kind === 'os_patches' && r.remedy.environment === 'staging');
    for (const r of staging) expect(r).toMatchObject({ owner: PEOPLE.engineer2.id, ownerRule: 'owners[1] environment staging' });
  });
});
