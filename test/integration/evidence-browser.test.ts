/**
 * The pack's index.html in a real headless Chromium (the system's; CHROMIUM_PATH or the usual places, as the bot finds
 * it: .ci/run installs Debian's `chromium` when missing). It must render with no console error and no request of any
 * kind beyond its own file, and report.pdf must be Chromium's print of it. Screenshots go to test-output/evidence-pack/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createEvidencePack, type PackResult } from '../../src/app/evidence/build-pack.js';
import { parsePeriod } from '../../src/app/evidence/period.js';
import { createChromiumPrinter, launchChromium } from '../../src/browser/chromium-printer.js';
import { parseBaseConfig } from '../../src/config.js';
import { seedEvidencePeriod } from '../support/evidence-seed.js';
import { tempStore, type TempStore } from '../support/temp-store.js';
import { readZip } from '../support/zip-read.js';

const OUTPUT = join(process.cwd(), 'test-output', 'evidence-pack');
const GENERATED = new Date('2026-12-10T08:00:00.000Z');

/** The Chromium the bot would use; none is a failure here, not a skip (the pack's PDF needs one). */
function chromium(): string {
  const config = parseBaseConfig({ CHROMIUM_PATH: process.env['CHROMIUM_PATH'] }, () => null);
  const path = config.ok ? config.value.chromiumPath : null;
  if (!path) throw new Error('no Chromium found: apt-get install -y chromium (what .ci/run does), or set CHROMIUM_PATH');
  return path;
}

describe('the evidence pack in a real browser', () => {
  let t: TempStore;
  let unpacked: string;
  let result: PackResult;
  let executablePath: string;

  beforeAll(async () => {
    executablePath = chromium();
    t = await tempStore();
    await seedEvidencePeriod(t.store);
    const period = parsePeriod({ month: '2026-11' }, 'UTC', GENERATED);
    if (!period.ok) throw new Error(period.error.reason);
    const pack = createEvidencePack({
      store: t.store, policy: { timezone: 'UTC', inventory: { staleScanDays: 30 }, advisories: { reviewWithinDays: 7 } }, sources: { github: true, snyk: true, ssm: true },
      printer: createChromiumPrinter({ executablePath }), toolVersion: '0.1.0', now: () => GENERATED,
    });
    result = await pack({ period: period.value, out: join(t.dir, 'pack.zip'), by: 'U0AUDITOR' });
    unpacked = mkdtempSync(join(tmpdir(), 'pw-pack-open-'));
    for (const [name, bytes] of await readZip(result.path)) {
      mkdirSync(dirname(join(unpacked, name)), { recursive: true });
      writeFileSync(join(unpacked, name), bytes);
    }
    mkdirSync(OUTPUT, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await t?.dispose();
    if (unpacked) rmSync(unpacked, { recursive: true, force: true });
  });

  it('renders index.html with no console error and no request, and saves screenshots', async () => {
    const browser = await launchChromium({ executablePath });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
      const url = pathToFileURL(join(unpacked, 'index.html')).href;
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('request', (r) => {
        if (r.url() !== url) problems.push(`request: ${r.url()}`);
      });
      await page.goto(url, { waitUntil: 'load' });
      await page.screenshot({ path: join(OUTPUT, 'index-top.png') });
      await page.screenshot({ path: join(OUTPUT, 'index-full.png'), fullPage: true });
      await page.locator('section.remediation details > summary').first().click();
      await page.locator('section.remediation').first().screenshot({ path: join(OUTPUT, 'index-remediation.png') });
      await page.waitForTimeout(200); // anything the page would still fetch after load has been asked for by now
      expect(problems).toEqual([]);
      expect(await page.title()).toBe('Patch management evidence 2026-11');
      expect(await page.locator('h3#finding-sla').textContent()).toBe('1. Patches not applied within their SLA');
      expect(await page.locator('section.remediation').count()).toBe(result.manifest.counts.remediations);
    } finally {
      await browser.close();
    }
    expect(existsSync(join(OUTPUT, 'index-top.png'))).toBe(true);
  }, 60_000);

  it('holds report.pdf, Chromium’s print of the same page', async () => {
    const pdf = (await readZip(result.path)).get('report.pdf')!;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString('latin1')).toContain('Skia/PDF');
    expect(pdf.toString('latin1')).toMatch(/\/Title \(Patch management evidence 2026-11\)|\/Title <FEFF/);
    expect(result.manifest.files.map((f) => f.path)).toContain('report.pdf');
    expect(result.problems).toEqual([]);
    writeFileSync(join(OUTPUT, 'report.pdf'), pdf);
  });
});
