/**
 * The evidence pack of a period, streamed to a zip file (see README.md for what is in it and why it can be trusted).
 * Reads: the audit log once to verify it and find the population, then the remediations as they stood at the
 * cut-off a batch at a time, once per file that needs them. Writes the zip beside `out` and renames it into place
 * when complete, then records `evidence.pack_exported` in the audit log.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { instant } from '../../domain/time.js';
import type { PdfPrinter, Store } from '../ports.js';
import { createInventoryReport } from '../reports/inventory-report.js';
import { createAnalysis } from './analysis.js';
import { ADVISORIES_HEADER, advisoriesOf, advisoryRow } from './advisories.js';
import { segmentLines } from './audit-segment.js';
import { advisoriesSection } from './html-advisories.js';
import { CHANGE_APPROVALS_HEADER, changeRows } from './csv-changes.js';
import { INVENTORY_HEADER, inventoryRows, SNYK_HEADER, snykRows } from './csv-assets.js';
import { REMEDIATIONS_HEADER, remediationRow } from './csv-remediations.js';
import { complianceRows, MERGED_PRS_HEADER, mergedPrRows, SSM_COMPLIANCE_HEADER } from './csv-runs.js';
import { copyEvidence, placeFiles, type EvidenceCheck } from './evidence-files.js';
import { instantFormat, links } from './html-format.js';
import { renderPage } from './html-page.js';
import { MANIFEST_FORMAT, MANIFEST_PATH, type Manifest } from './manifest.js';
import { createPackWriter } from './pack-zip.js';
import { csvText, recordsOf, remediationBlocks, rowsOf } from './pack-content.js';
import { cutOff as cutOffOf, type Period } from './period.js';
import { laterApprovals, packProblems, sourcesOf, type PackSources } from './pack-notes.js';
import { printReport, type Printed } from './print-report.js';
import { populationIds, scanAuditLog, segmentHeader } from './scan.js';

/**
 * Above this many remediations the printed report holds the summary and the findings only: the list and every
 * remediation's block would be thousands of pages, which take Chromium minutes. index.html always holds them all.
 */
export const PRINTED_BLOCKS_MAX = 500;

export type PackPhase = 'audit' | 'evidence' | 'csv' | 'page' | 'pdf' | 'done';

export interface PackProgress {
  readonly phase: PackPhase;
  readonly done: number;
  readonly total: number;
}

export interface EvidencePackDeps {
  readonly store: Store;
  /** The period's days are the policy time zone's; the inventory's gaps are judged by its staleScanDays. */
  readonly policy: { readonly timezone: string; readonly inventory: { readonly staleScanDays: number }; readonly advisories: { readonly reviewWithinDays: number } };
  readonly sources: PackSources;
  /** Null: no Chromium here; the pack then has no report.pdf and says why. */
  readonly printer: PdfPrinter | null;
  readonly toolVersion: string;
  readonly now: () => Date;
}

export interface PackRequest {
  readonly period: Period;
  /** The zip to write (replaced if it exists). */
  readonly out: string;
  /** Who asked: a Slack user id, or `system:cli`. */
  readonly by: string;
  readonly onProgress?: (p: PackProgress) => void;
}

export interface PackResult {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
  readonly manifest: Manifest;
  /** What the reader must know: a broken chain, evidence that no longer matches, no PDF… (also in the pack). */
  readonly problems: readonly string[];
}

export type EvidencePack = (request: PackRequest) => Promise<PackResult>;

export function createEvidencePack(deps: EvidencePackDeps): EvidencePack {
  const { store } = deps;
  return async ({ period, out, by, onProgress = () => undefined }) => {
    const generatedAt = deps.now();
    const cutOff = cutOffOf(period, generatedAt);
    const window = { from: period.from, cutOff };
    const scan = await scanAuditLog(store.audit, period, cutOff, (done, total) => onProgress({ phase: 'audit', done, total }));
    const ids = await populationIds(store.remediations, scan, period, cutOff);
    const missing: string[] = [];
    const records = recordsOf(store, ids, cutOff, scan.log.trails, (id) => missing.push(id));
    const time = instantFormat(deps.policy.timezone);
    const work = await mkdtemp(join(tmpdir(), 'patchwarden-pack-'));
    const partial = `${out}.partial`;
    const pack = createPackWriter(createWriteStream(partial), generatedAt);
    let printing: Promise<Printed> | null = null;
    try {
      const header = await segmentHeader(store.audit, scan, period, cutOff);
      await pack.add('audit-log.jsonl', () => segmentLines(store.audit, header));

      // Evidence first: the page says of each file whether its copy still matches.
      const analysis = createAnalysis(window);
      const checks = new Map<string, EvidenceCheck>();
      let seen = 0;
      for await (const rec of records()) {
        analysis.observe(rec);
        for (const placed of placeFiles(rec.remediation)) checks.set(placed.path, await copyEvidence(store.evidence, pack, placed));
        onProgress({ phase: 'evidence', done: (seen += 1), total: ids.length });
      }
      const result = analysis.result();

      const csvs: [string, () => AsyncIterable<string>][] = [
        ['remediations.csv', () => csvText(REMEDIATIONS_HEADER, rowsOf(records, (rec) => [remediationRow(rec, window)]))],
        ['change-approvals.csv', () => csvText(CHANGE_APPROVALS_HEADER, rowsOf(records, (rec) => changeRows(rec.remediation, window)))],
        ['dependabot-merged-prs.csv', () => csvText(MERGED_PRS_HEADER, rowsOf(records, (rec) => mergedPrRows(rec.remediation, window)))],
        ['ssm-patch-compliance.csv', () => csvText(SSM_COMPLIANCE_HEADER, rowsOf(records, (rec) => complianceRows(rec.remediation, window)))],
        ['snyk-report.csv', () => csvText(SNYK_HEADER, snykRows(store, window))],
      ];
      const advisories = await advisoriesOf(store, window, deps.policy.advisories.reviewWithinDays);
      csvs.push(['advisories.csv', () => csvText(ADVISORIES_HEADER, advisories.map(advisoryRow))]);
      const inventory = await createInventoryReport({ store, staleScanDays: deps.policy.inventory.staleScanDays, now: () => generatedAt })();
      const openFindings = new Map((await store.findings.countByAsset({ state: 'open' })).map((c) => [c.assetId, c.count]));
      csvs.push(['inventory.csv', () => csvText(INVENTORY_HEADER, inventoryRows(store, inventory, openFindings))]);

      const problems = packProblems(scan.verification, checks, result, missing);
      const pageHeader = { period, cutOff, generatedAt: instant(generatedAt), generatedBy: by, toolVersion: deps.toolVersion, verification: scan.verification, head: scan.head, problems };
      const findings = { analysis: result, inventory, sources: sourcesOf(deps.sources, scan.log.syncs), laterApprovals: await laterApprovals(store.remediations, result), time };
      /** The page; `linked: false` for the copy Chromium prints, which holds the blocks only of a short pack. */
      const page = (linked: boolean, progress?: (done: number) => void) => {
        const ctx = { ...findings, links: links(linked) };
        const blocks = linked || ids.length <= PRINTED_BLOCKS_MAX ? remediationBlocks(store, records, cutOff, { time, checks, links: ctx.links }, progress) : null;
        return renderPage(pageHeader, ctx, records(), blocks, advisoriesSection(advisories, { time, links: ctx.links, reviewWithinDays: deps.policy.advisories.reviewWithinDays }));
      };
      printing = printReport(deps.printer, () => page(false), work);

      for (const [i, [name, content]] of csvs.entries()) {
        onProgress({ phase: 'csv', done: i, total: csvs.length });
        await pack.add(name, content);
      }
      onProgress({ phase: 'page', done: 0, total: ids.length });
      await pack.add('index.html', () => page(true, (done) => onProgress({ phase: 'page', done, total: ids.length })));

      onProgress({ phase: 'pdf', done: 0, total: 1 });
      const printed = await printing;
      if ('pdf' in printed) await pack.add('report.pdf', () => createReadStream(printed.pdf), { compress: false });
      const notes = 'note' in printed ? [printed.note] : [];

      const manifest: Manifest = {
        format: MANIFEST_FORMAT,
        tool: { name: 'patchwarden', version: deps.toolVersion },
        generatedAt: instant(generatedAt),
        generatedBy: by,
        period: { label: period.label, from: period.from, to: period.to, cutOff, timeZone: period.timeZone },
        auditChain: { head: scan.head, verification: scan.verification, segment: header.segment },
        counts: { remediations: result.population, evidenceFiles: checks.size, evidenceProblems: [...checks.values()].filter((c) => c.status !== 'ok').length, auditEvents: header.segment?.count ?? 0 },
        notes,
        files: [...pack.entries],
      };
      await pack.add(MANIFEST_PATH, () => [`${JSON.stringify(manifest, null, 2)}\n`]);
      const whole = await pack.finish();
      await rename(partial, out);
      await store.audit.append([{ at: instant(deps.now()), actor: by, action: 'evidence.pack_exported', subject: `evidence:${period.label}`, data: { period: manifest.period, sha256: whole.sha256, size: whole.size, files: manifest.files.length, remediations: result.population, chainHead: scan.head } }]);
      onProgress({ phase: 'done', done: 1, total: 1 });
      return { path: out, ...whole, manifest, problems: [...problems, ...notes] };
    } catch (e) {
      await pack.abort(e);
      await rm(partial, { force: true });
      throw e;
    } finally {
      await printing; // Chromium may still be writing into the work folder
      await rm(work, { recursive: true, force: true });
    }
  };
}
