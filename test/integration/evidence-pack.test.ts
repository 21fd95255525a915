/**
 * The evidence pack of a seeded month (test/support/evidence-seed.ts) built against a real SQLite store and read back
 * from the zip: the manifest verifies, every remediation of the period has its row, the four findings are answered
 * as worked out by hand for the seed, and each remediation shows as it stood at the month's end.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createEvidencePack, type PackResult } from '../../src/app/evidence/build-pack.js';
import { parsePeriod } from '../../src/app/evidence/period.js';
import { verifyPack } from '../../src/app/evidence/verify-pack.js';
import { parseCsv } from '../support/csv-parse.js';
import { SEED, seedEvidencePeriod } from '../support/evidence-seed.js';
import { SEED_INVENTORY } from '../support/evidence-seed-inventory.js';
import { tempStore, type TempStore } from '../support/temp-store.js';
import { readZip } from '../support/zip-read.js';

const GENERATED = new Date('2026-12-10T08:00:00.000Z');

/** The remediation ids linked from one section of the page (between its heading and the next one). */
function linkedIn(html: string, sectionId: string): string[] {
  const start = html.indexOf(`id="${sectionId}"`);
  const rest = html.slice(start + 1);
  const end = rest.search(/<h[23] id="/);
  return [...(end < 0 ? rest : rest.slice(0, end)).matchAll(/href="#(PW-\d+)"/g)].map((m) => m[1]!);
}

describe('the evidence pack of a seeded month', () => {
  let t: TempStore;
  let ids: Record<string, string>;
  let result: PackResult;
  let files: Map<string, Buffer>;
  const idsOf = (keys: readonly string[]) => keys.map((k) => ids[k]!);
  const text = (name: string) => files.get(name)!.toString('utf8');
  const csv = (name: string) => parseCsv(text(name));

  beforeAll(async () => {
    t = await tempStore();
    ids = await seedEvidencePeriod(t.store);
    const period = parsePeriod({ month: SEED.period }, 'UTC', GENERATED);
    if (!period.ok) throw new Error(period.error.reason);
    const pack = createEvidencePack({
      store: t.store, policy: { timezone: 'UTC', inventory: { staleScanDays: 30 }, advisories: { reviewWithinDays: 7 } }, sources: { github: true, snyk: true, ssm: false },
      printer: null, toolVersion: '0.1.0', now: () => GENERATED,
    });
    result = await pack({ period: period.value, out: join(t.dir, 'pack.zip'), by: 'U0AUDITOR' });
    files = await readZip(result.path);
  });
  afterAll(() => t.dispose());

  it('verifies: every file against the manifest, the audit segment link by link', async () => {
    const v = await verifyPack(result.path);
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.matched).toBe(result.manifest.files.length);
    expect([...files.keys()].sort()).toEqual([...result.manifest.files.map((f) => f.path), 'manifest.json'].sort());
    expect(result.manifest).toMatchObject({ generatedBy: 'U0AUDITOR', period: { label: '2026-11', from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z', cutOff: '2026-12-01T00:00:00.000Z' } });
  });

  it('holds every remediation open at some moment of the month, and no other, in every list', () => {
    const population = idsOf(SEED.population);
    expect(csv('remediations.csv').slice(1).map((r) => r[0]).sort()).toEqual([...population].sort());
    expect(result.manifest.counts.remediations).toBe(population.length);
    const html = text('index.html');
    for (const id of population) expect(html).toContain(`<section class="remediation" id="${id}">`);
    for (const id of idsOf(SEED.outside)) expect(html).not.toContain(`id="${id}"`);
  });

  it('answers the four common findings as the seed says, with the population behind each', () => {
    const html = text('index.html');
    expect(linkedIn(html, 'finding-sla')).toEqual(idsOf(SEED.slaMissed));
    expect(html).toContain(`3 remediations of the ${SEED.slaInScope} whose SLA came due or was met in the period missed it; 1 of them with a documented exception`);
    expect(html).toContain('risk accepted by U0LEAD');
    expect(linkedIn(html, 'finding-changes')).toEqual(idsOf(SEED.untested));
    expect(html).toContain(`Population: the ${SEED.changes} deployments started in the period`);
    expect(linkedIn(html, 'finding-unresolved').sort()).toEqual(idsOf(SEED.unresolved).sort());
    expect(html).toContain('1 high or critical remediation open at the period end without an owner (of 5)');
    for (const [kind, assets] of Object.entries({ lostAgent: SEED_INVENTORY.lostAgent, dependabotDisabled: SEED_INVENTORY.dependabotDisabled, unowned: SEED_INVENTORY.unowned })) {
      for (const a of assets) expect(`${kind}: ${html.slice(html.indexOf('id="finding-inventory"'), html.indexOf('id="finding-unresolved"'))}`).toContain(a);
    }
    expect(html).toMatch(/AWS Systems Manager<\/td><td>OFF/);
    expect(html).toMatch(/Snyk<\/td><td>on<\/td><td>2<\/td><td>1<\/td>/);
  });

  it('answers for the month’s advisories: each reviewed, covered or still waiting, the late ones marked', () => {
    const html = text('index.html');
    const section = html.slice(html.indexOf('id="advisories"'), html.indexOf('id="remediations"'));
    expect(section).toContain('5 advisories read in the period or awaiting review in it; 1 still awaiting review at its end; 2 reviewed later than 7 days, or not yet and past it.');
    expect(section).toContain('not applicable — U0LEAD 2026-11-05 10:00: We run no such service.');
    expect(section).toContain('covered: a remediation shares its CVE');
    expect(section).toContain('Bulletin adv-0ct-open');
    for (const settled of ['Bulletin adv-0ct<', 'Bulletin adv-0ct-cve', 'Bulletin adv-0ct-base']) expect(section).not.toContain(settled);
    expect(section).not.toContain('Bulletin adv-base');
    expect(section).toContain('Also read in the period: 1 advisory recorded as its feed’s baseline');
  });

  it('lists emergency changes with their retroactive approvals, one given only after the month', () => {
    const html = text('index.html');
    expect(linkedIn(html, 'emergency')).toEqual(idsOf(SEED.emergencies));
    expect(html).toContain('3 emergency changes; 1 without a retroactive approval in time');
    expect(html).toContain('none by the period end; given after it by U0LEAD2 2026-12-02 09:00');
    const block = html.slice(html.indexOf('<section class="remediation" id="PW-15"'), html.indexOf('</section>', html.indexOf('id="PW-15"')));
    expect(block).toContain('<strong>Approval</strong>: none before its emergency change; the retroactive approval is under Deployments.');
    expect(block).toContain('approved afterwards by U0LEAD2 2026-11-13 09:00');
  });

  it('shows a remediation as it stood at the month’s end, not as it is now', async () => {
    const q = csv('remediations.csv').find((r) => r[0] === ids.q)!;
    expect(q.slice(2, 5)).toEqual(['medium', 'assessed', 'history']);
    expect((await t.store.remediations.get(ids.q!))).toMatchObject({ severity: 'critical', state: 'tested' });
    expect(text('index.html')).not.toContain('q-late.log');
    expect(csv('remediations.csv').find((r) => r[0] === ids.o)![3]).toBe('reopened');
  });

  it('copies every evidence file as stored, each matching its recorded SHA-256', async () => {
    const evidence = result.manifest.files.filter((f) => f.path.startsWith('test-evidence/'));
    expect(evidence).toHaveLength(SEED.evidenceFiles);
    for (const f of evidence) {
      const stored = await t.store.evidence.get(f.sha256);
      expect(files.get(f.path)).toEqual(stored!.bytes);
    }
    expect(evidence.map((f) => f.path)).toContain(`test-evidence/${ids.f}/f-screenshot.png`);
    expect(text('index.html')).toContain(`href="test-evidence/${ids.f}/f-smoke.log"`);
    expect(result.problems).toEqual(['report.pdf was not printed: no Chromium was found (set CHROMIUM_PATH); index.html holds the same page']);
  });

  it('writes the evidence CSVs from the records the runs left', () => {
    const approvals = csv('change-approvals.csv');
    expect(approvals[0]).toEqual(['remediation', 'decision', 'approver', 'decided_at', 'change_ticket', 'window', 'window_starts_at', 'deployed_at', 'reason']);
    expect(approvals).toHaveLength(SEED.changeApprovalRows + 1);
    expect(approvals.find((r) => r[0] === ids.h)).toEqual([ids.h, 'approved', 'U0APPROVER', '2026-11-05T09:00:00.000Z', 'CHG-2002', 'Weekly patch window', '2026-11-14T22:00:00.000Z', '2026-11-14T23:30:00.000Z', 'Green CI']);
    expect(approvals.filter((r) => r[0] === ids.j).map((r) => r.slice(1, 3))).toEqual([['retroactive_approval', 'U0LEAD2']]);
    const prs = csv('dependabot-merged-prs.csv');
    expect(prs.slice(1).map((r) => r[6]).sort()).toEqual(idsOf(SEED.mergedPrs).sort());
    expect(prs.find((r) => r[6] === ids.h)!.slice(0, 6)).toEqual(['acme/api', '412', 'https://github.com/acme/api/pull/412', '2026-11-14T23:00:00.000Z', 'dependabot-merger', '#12']);
    const ssm = csv('ssm-patch-compliance.csv');
    expect(ssm.slice(1)).toHaveLength(SEED.complianceRows);
    expect(ssm[1]!.slice(0, 10)).toEqual(['i-0abc000000000001', 'web-1', 'pb-0123456789abcdef0', 'web', '412', '0', '0', 'Install', '2026-11-01T09:00:00.000Z', '2026-11-08T09:00:00.000Z']);
    const snyk = csv('snyk-report.csv');
    expect(snyk.slice(1).map((r) => ({ issue: r[0], status: r[5] }))).toEqual(SEED_INVENTORY.snykRows);
    expect(snyk[1]!.slice(2, 7)).toEqual(['acme/api:package.json', 'express', 'high', 'open', '2026-09-01T00:00:00.000Z']);
    expect(csv('advisories.csv').slice(1).map((r) => [r[0], r[7], r[12]])).toEqual(SEED_INVENTORY.advisories);
    expect(csv('advisories.csv').find((r) => r[0] === 'adv-cve')![11]).toBe('PW-11');
    const inventory = csv('inventory.csv');
    expect(inventory.find((r) => r[0] === 'ssm:i-0abc000000000003')![10]).toBe('SSM agent lost');
  });

  it('keeps the month’s audit events with the chain’s head and verdict, and records the export', async () => {
    const [first, ...events] = text('audit-log.jsonl').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(first).toMatchObject({ format: 'patchwarden-audit-segment/1', verification: { ok: true }, chainHead: result.manifest.auditChain.head });
    expect(events.length).toBe(result.manifest.counts.auditEvents);
    // One contiguous stretch of the chain, from the first event dated in November to the last: every November event
    // is in it (an older one written meanwhile, such as a late record of October, rides along).
    const seqs = events.map((e) => e.seq as number);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    const november = [];
    for await (const e of t.store.audit.stream()) if (e.at >= '2026-11-01' && e.at < '2026-12-01') november.push(e.seq);
    expect(november.every((seq) => seqs.includes(seq))).toBe(true);
    expect([events[0]!.at, events.at(-1)!.at].every((at) => (at as string) >= '2026-11-01' && (at as string) < '2026-12-01')).toBe(true);
    const head = await t.store.audit.head();
    expect(head).toMatchObject({ action: 'evidence.pack_exported', actor: 'U0AUDITOR', data: { sha256: result.sha256, remediations: SEED.population.length } });
    expect(readFileSync(result.path).length).toBe(result.size);
  });
});

describe('the evidence pack when Chromium fails while the rest is written', () => {
  it('is complete without report.pdf, says why, and verifies; Chromium’s work folder is gone', async () => {
    const t = await tempStore();
    try {
      await seedEvidencePeriod(t.store);
      const period = parsePeriod({ month: SEED.period }, 'UTC', GENERATED);
      if (!period.ok) throw new Error(period.error.reason);
      let folder = '';
      const pack = createEvidencePack({
        store: t.store, policy: { timezone: 'UTC', inventory: { staleScanDays: 30 }, advisories: { reviewWithinDays: 7 } }, sources: { github: true, snyk: true, ssm: true },
        printer: { print: async (html) => { folder = dirname(html); throw new Error('Chromium exited with code 1'); } }, toolVersion: '0.1.0', now: () => GENERATED,
      });
      const result = await pack({ period: period.value, out: join(t.dir, 'pack.zip'), by: 'U0AUDITOR' });
      expect(result.problems).toEqual(['report.pdf could not be printed: Chromium exited with code 1']);
      expect(result.manifest.notes).toEqual(result.problems);
      expect(result.manifest.files.map((f) => f.path)).not.toContain('report.pdf');
      expect(result.manifest.files.map((f) => f.path)).toContain('index.html');
      await expect(verifyPack(result.path)).resolves.toMatchObject({ ok: true, problems: [] });
      expect(folder).not.toBe('');
      expect(existsSync(folder)).toBe(false);
    } finally {
      await t.dispose();
    }
  });
});
