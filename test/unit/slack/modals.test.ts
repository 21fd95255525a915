/** The workflow's modals as pure builders: what they show, and Slack's limits whatever the data. */
import { slotOptionValue as slotKey } from '../../../src/slack/views/slot-option.js';
import type { SlotOption } from '../../../src/domain/maintenance.js';
import type { FindingsDetail } from '../../../src/app/reports/findings-detail.js';
import type { Asset } from '../../../src/domain/asset.js';
import type { Finding } from '../../../src/domain/finding.js';
import type { EvidenceFile, Remediation } from '../../../src/domain/remediation.js';
import { DEFAULT_SLA } from '../../../src/domain/sla.js';
import { encodeModalMetadata } from '../../../src/slack/ids.js';
import { approvalModal } from '../../../src/slack/views/approval-modal.js';
import { assessModal } from '../../../src/slack/views/assess-modal.js';
import { riskModal } from '../../../src/slack/views/risk-modal.js';
import { testEvidenceModal } from '../../../src/slack/views/test-evidence-modal.js';
import { aFinding, aRemediation, anAsset, aTest } from '../../support/builders.js';
import { validateView } from '../../support/slack/block-kit-limits.js';

const tz = 'Europe/Berlin';
const now = new Date('2026-11-02T09:00:00Z');
const meta = encodeModalMetadata({ r: 'PW-123456789', ch: 'C0PATCHES', ts: '1700000000.000100' });
const strict = { strictActionIds: true };

const file = (i: number, name = `screenshot-${i}.png`): EvidenceFile => ({ sha256: `${i}`.padStart(64, 'a'), size: 1_234_567 + i, name, mimeType: 'image/png', slackFileId: `F${i}` });
const slot = (i: number, windowId = `w${i % 7}`, windowName = `Window ${i % 7}`): SlotOption => ({
  slot: { windowId, windowName, startsAt: new Date(now.getTime() + (i + 1) * 3_600_000).toISOString(), endsAt: new Date(now.getTime() + (i + 2) * 3_600_000).toISOString() },
  meetsDueDate: i % 3 !== 0,
});

/** A remediation as large as the data ever gets: long title, hundreds of CVEs, many tests of ten long-named files. */
const huge = () =>
  aRemediation({
    id: 'PW-123456789',
    state: 'tested',
    title: 'Upgrade '.repeat(800),
    cves: Array.from({ length: 500 }, (_, i) => `CVE-2026-${10000 + i}`),
    assetIds: Array.from({ length: 500 }, (_, i) => `github:acme/repo-${i}`),
    kevDueAt: '2026-11-20T00:00:00.000Z',
    tests: Array.from({ length: 40 }, (_, i) => aTest({ notes: 'n'.repeat(3000), environment: 'e'.repeat(300), files: Array.from({ length: 10 }, (_, j) => file(i * 10 + j, `${'x'.repeat(300)}-${j}.log`)) })),
  });

const detailOf = (r: Remediation, findings: Finding[] = [], assets: Asset[] = []): FindingsDetail => ({ remediation: r, findings, assets: new Map(assets.map((a) => [a.id, a])) });
/** 300 findings with every field at its longest. */
const heavyDetail = (r: Remediation): FindingsDetail =>
  detailOf(r, Array.from({ length: 300 }, (_, i) => aFinding({ id: `github:acme/api:alert:${i}`, title: 't'.repeat(500), package: 'p'.repeat(300), manifest: 'm'.repeat(300), vulnerableRange: '< 9'.repeat(50), url: `https://github.com/${'x'.repeat(2000)}`, cves: Array.from({ length: 9 }, (_, k) => `CVE-2026-${k}${i}`) })));

describe('the Assess modal', () => {
  const build = (r = aRemediation({ id: 'PW-7', kevDueAt: '2026-11-20T00:00:00.000Z' }), epss: number | null = 0.4231) =>
    assessModal({ r, severity: r.sourceSeverity, dueAt: '2026-11-20T00:00:00.000Z', epss, detail: detailOf(r), sla: DEFAULT_SLA, timeZone: tz, privateMetadata: meta });

  it('names what is behind it: each source with its link, the asset by name, versions, EPSS, KEV; a patch run its patches and hosts', () => {
    const web = anAsset({ id: 'github:acme/web', name: 'acme/web', kind: 'repository' });
    const project = anAsset({ id: 'snyk:project:p1', name: 'acme/web:package.json', kind: 'application', source: 'snyk', attributes: { repository: 'acme/web' } });
    const r = aRemediation({ id: 'PW-1' });
    const findings = [
      aFinding({ id: 'github:acme/web:alert:3', assetId: web.id, reference: 'alert #3', url: 'https://github.com/acme/web/security/dependabot/3', manifest: 'package-lock.json', vulnerableRange: '< 4.17.21', fixedIn: '4.17.21', cves: ['CVE-2021-23337'], epss: 0.0123, kevDueAt: '2026-11-20T00:00:00.000Z' }),
      aFinding({ id: 'snyk:u-1', source: 'snyk', assetId: project.id, reference: 'SNYK-JS-LODASH-1040724', url: 'https://security.snyk.io/vuln/SNYK-JS-LODASH-1040724', installedVersion: '4.17.4', fixedIn: null, cves: ['CVE-2021-23337'] }),
    ];
    const text = JSON.stringify(assessModal({ r, severity: 'high', dueAt: r.dueAt, epss: null, detail: detailOf(r, findings, [web, project]), sla: DEFAULT_SLA, timeZone: tz, privateMetadata: meta }));
    expect(text).toContain('<https://github.com/acme/web/security/dependabot/3|Dependabot alert #3> · *acme/web* · `package-lock.json` · lodash (&lt; 4.17.21) → 4.17.21');
    expect(text).toContain('EPSS 1.2%');
    expect(text).toContain('KEV, CISA due Fri 20 Nov 2026');
    expect(text).toContain('<https://security.snyk.io/vuln/SNYK-JS-LODASH-1040724|Snyk SNYK-JS-LODASH-1040724> · *acme/web:package.json* · lodash 4.17.4 → 4.17.21 (per another source)');
    const box = anAsset({ id: 'ssm:i-0abc', name: 'dc-1', kind: 'instance', source: 'ssm', lastScannedAt: '2026-10-30T00:00:00.000Z', attributes: { platformName: 'Microsoft Windows Server 2022 Datacenter', pingStatus: 'Online' } });
    const run = aRemediation({ id: 'PW-2', remedy: { kind: 'os_patches', environment: 'production', patchIds: ['KB5034129'] } });
    const kb = aFinding({ id: 'ssm:i-0abc:KB5034129', source: 'ssm', assetId: box.id, package: 'KB5034129', title: '2026-01 Cumulative Update (KB5034129)', severity: 'critical', cvss: null, epss: null, cves: ['CVE-2026-1'] });
    const patchText = JSON.stringify(assessModal({ r: run, severity: 'high', dueAt: run.dueAt, epss: null, detail: detailOf(run, [kb], [box]), sla: DEFAULT_SLA, timeZone: tz, privateMetadata: meta }));
    expect(patchText).toContain('*KB5034129* · 2026-01 Cumulative Update (KB5034129) · :red_circle: Critical · CVE-2026-1 · missing on 1 host');
    expect(patchText).toContain('*dc-1 (i-0abc)* · Microsoft Windows Server 2022 Datacenter · last scan Fri 30 Oct 2026 · 1 patch missing');
  });

  it('cuts a long list of findings with "and N more" and where the rest is, within the limits', () => {
    const r = huge();
    const view = assessModal({ r, severity: 'high', dueAt: r.dueAt, epss: null, detail: heavyDetail(r), sla: DEFAULT_SLA, timeZone: tz, privateMetadata: meta });
    expect(JSON.stringify(view)).toContain(`and 294 more: \`/patch show ${r.id} findings\` lists every one`);
    expect(validateView(view, strict)).toEqual([]);
  });

  it('shows exploitability, pre-fills the source severity and owner, and says the due date it gives', () => {
    const view = build();
    const text = JSON.stringify(view);
    expect(text).toContain('*On CISA’s KEV catalogue*, CISA due Fri 20 Nov 2026');
    expect(text).toContain('EPSS 42.3% (chance of exploitation in the next 30 days)');
    expect(text).toContain('Due *Fri 20 Nov 2026* for high severity (30 days from detection, or CISA’s KEV date if earlier). Changing the severity recomputes it.');
    const severity = view.blocks.find((b) => b.block_id === 'severity');
    expect(severity).toMatchObject({ dispatch_action: true, element: { initial_option: { value: 'high' } } });
    expect(view.blocks.find((b) => b.block_id === 'owner')).toMatchObject({ element: { type: 'users_select', initial_user: 'U0OWNER' } });
    expect(view.blocks.find((b) => b.block_id === 'known_exploit')).toMatchObject({ element: { initial_option: { value: 'yes' } } });
    expect(validateView(view, strict)).toEqual([]);
  });

  it('stays within limits with the largest data', () => {
    const view = build(huge(), null);
    expect(view.title.text).toBe('Assess PW-123456789');
    expect(JSON.stringify(view)).toContain('EPSS score unknown');
    expect(validateView(view, strict)).toEqual([]);
  });
});

describe('the test evidence modal', () => {
  it('offers the non-production environments and a file_input with the allowed kinds', () => {
    const view = testEvidenceModal({ r: aRemediation({ id: 'PW-3' }), environments: ['staging'], timeZone: tz, privateMetadata: meta });
    expect(view.title.text).toBe('Test evidence PW-3');
    expect(view.blocks.find((b) => b.block_id === 'files')).toMatchObject({ optional: true, element: { type: 'file_input', filetypes: ['png', 'jpg', 'jpeg', 'pdf', 'txt', 'log'], max_files: 10 } });
    expect(view.blocks.find((b) => b.block_id === 'environment')).toMatchObject({ element: { initial_option: { value: 'staging' } } });
    expect(validateView(view, strict)).toEqual([]);
  });

  it('stays within limits with a long id, many environments and a long history', () => {
    const envs = Array.from({ length: 150 }, (_, i) => `env-${i}`);
    const view = testEvidenceModal({ r: huge(), environments: [...envs, 'x'.repeat(80)], timeZone: tz, privateMetadata: meta });
    expect(view.title.text).toBe('Test evidence');
    expect(validateView(view, strict)).toEqual([]);
  });
});

describe('the approval modal', () => {
  const assets = [anAsset({ id: 'github:acme/api', name: 'acme/api', environment: 'production' })];

  it('shows the evidence file by file and the targets, and offers the windows meeting the due date first', () => {
    const r = aRemediation({ id: 'PW-9', state: 'tested', assetIds: ['github:acme/api', 'ssm:i-0abc'], tests: [aTest({ by: 'U0ENG', files: [file(1), file(2)] })] });
    const view = approvalModal({ r, mode: 'decide', slots: [slot(1), slot(2), slot(3)], targets: assets, detail: detailOf(r), timeZone: tz, privateMetadata: meta });
    const text = JSON.stringify(view);
    expect(text).toContain('• screenshot-1.png · 1.2 MB · sha256 `aaaaaaaaaaaa…`');
    expect(text).toContain('*pass* in staging by <@U0ENG>');
    expect(text).toContain('• acme/api (repository, production)\\n• ssm:i-0abc');
    const window = view.blocks.find((b) => b.block_id === 'window') as { optional?: boolean; element: { option_groups: { label: { text: string }; options: { text: { text: string } }[] }[] } };
    expect(window.optional).toBe(true);
    expect(window.element.option_groups.map((g) => [g.label.text, g.options.length])).toEqual([['Meets the due date (Tue 1 Dec 2026)', 2], ['After the due date (Tue 1 Dec 2026)', 1]]);
    expect(window.element.option_groups[0]!.options[0]!.text.text).toBe('Mon 2 Nov 12:00 · Window 1 · on time');
    expect(validateView(view, strict)).toEqual([]);
  });

  it('without the right to schedule, says a lead will; in schedule mode, offers windows only', () => {
    const r = aRemediation({ id: 'PW-9', state: 'tested', tests: [aTest()] });
    const noWindows = approvalModal({ r, mode: 'decide', slots: null, targets: [], detail: detailOf(r), timeZone: tz, privateMetadata: meta });
    expect(noWindows.blocks.some((b) => b.block_id === 'window')).toBe(false);
    const scheduled = aRemediation({ id: 'PW-9', state: 'scheduled', schedule: { ...slot(1).slot, by: 'U0LEAD', at: now.toISOString() } });
    const reschedule = approvalModal({ r: scheduled, mode: 'schedule', slots: [slot(1)], targets: [], detail: detailOf(scheduled), timeZone: tz, privateMetadata: meta });
    expect(reschedule.title.text).toBe('Reschedule PW-9');
    expect(reschedule.blocks.filter((b) => b.type === 'input').map((b) => b.block_id)).toEqual(['window']);
    expect(JSON.stringify(reschedule)).toContain('Now in *Window 1*, Mon 2 Nov 12:00.');
    expect(validateView(reschedule, strict)).toEqual([]);
  });

  it('stays within limits with 40 test runs, 500 targets and 150 windows with long names and ids', () => {
    const slots = Array.from({ length: 150 }, (_, i) => slot(i, `window-${'w'.repeat(80)}-${i % 50}`, 'N'.repeat(75)));
    for (const mode of ['decide', 'schedule'] as const) {
      const big = huge();
      const view = approvalModal({ r: big, mode, slots, targets: assets, detail: heavyDetail(big), timeZone: tz, privateMetadata: meta });
      expect(validateView(view, strict)).toEqual([]);
    }
    const keys = slots.map((s) => slotKey(s.slot));
    expect(new Set(keys).size).toBe(keys.length);
    expect(Math.max(...keys.map((k) => k.length))).toBeLessThanOrEqual(75);
  });
});

describe('the risk acceptance modal', () => {
  it('says the policy’s cap in the hint and suggests an expiry within it', () => {
    const view = riskModal({ r: aRemediation({ id: 'PW-4' }), maxDays: 90, now, timeZone: tz, privateMetadata: meta });
    const expiry = view.blocks.find((b) => b.block_id === 'expiry') as { element: { initial_date: string }; hint: { text: string } };
    expect(expiry.element.initial_date).toBe('2026-12-02');
    expect(expiry.hint.text).toBe('At most 90 days under the policy: no later than Sun 31 Jan 2027. It reopens at the start of that day (Europe/Berlin).');
    expect(validateView(view, strict)).toEqual([]);
    expect(validateView(riskModal({ r: huge(), maxDays: 7, now, timeZone: tz, privateMetadata: meta }), strict)).toEqual([]);
  });
});
