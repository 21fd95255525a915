/**
 * `patchwarden sync` and `patchwarden inventory` through runCli with the real wiring (config from the environment,
 * the SQLite file, createSources) against the GitHub, Snyk, KEV and EPSS fakes; and the progress renderers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SyncProgress } from '../../src/app/sync/report.js';
import type { CliIo } from '../../src/cli/command.js';
import { runCli } from '../../src/cli/index.js';
import { plainProgress, terminalProgress } from '../../src/cli/sync-progress.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import { generateAdvisories } from '../support/feeds/advisory-xml.js';
import { startFakeAdvisoryFeed } from '../support/feeds/fake-advisory-feed.js';
import { startFakeEpss, type FakeEpss } from '../support/feeds/fake-epss.js';
import { startFakeKev, type FakeKev } from '../support/feeds/fake-kev.js';
import { startFakeGithub, type FakeGithub } from '../support/github/fake-github.js';
import { SMALL_EXPECTED, SMALL_FACTS, small } from '../support/population/presets.js';
import { startFakeSnyk, type FakeSnyk } from '../support/snyk/fake-snyk.js';
import { GITHUB_TOKEN, SNYK_TOKEN } from './sync-support.js';

function capture(env: CliIo['env'], isTTY = false): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (s) => (out += s), stderr: (s) => (err += s), env, isTTY, out: () => out, err: () => err };
}

describe('patchwarden sync and inventory', () => {
  const population = small();
  let dir: string;
  let fakes: { github: FakeGithub; snyk: FakeSnyk; kev: FakeKev; epss: FakeEpss };
  let env: CliIo['env'];
  beforeAll(async () => {
    const [github, snyk, kev, epss] = await Promise.all([
      startFakeGithub(population, { token: GITHUB_TOKEN }),
      startFakeSnyk(population, { token: SNYK_TOKEN }),
      startFakeKev(population),
      startFakeEpss(population),
    ]);
    fakes = { github, snyk, kev, epss };
  });
  afterAll(() => Promise.all(Object.values(fakes).map((f) => f.close())));
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pw-cli-sync-'));
    writeFileSync(join(dir, 'policy.yaml'), 'inventory:\n  staleScanDays: 30\nadvisories:\n  feeds: []\n');
    env = {
      PATCHWARDEN_DB: join(dir, 'pw.db'),
      PATCHWARDEN_CONFIG: join(dir, 'policy.yaml'),
      GITHUB_TOKEN, GITHUB_ORG: population.github.org, GITHUB_API_URL: fakes.github.url,
      SNYK_TOKEN, SNYK_ORG_ID: population.snyk.orgId, SNYK_API_URL: fakes.snyk.url,
      KEV_URL: fakes.kev.feedUrl, EPSS_URL: fakes.epss.apiUrl,
    };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('syncs every configured source, prints a line per source and a summary table, exit 0', async () => {
    const io = capture(env);
    await expect(runCli(['sync'], io)).resolves.toBe(0);
    expect(io.out()).toContain('GitHub: started');
    expect(io.out()).toMatch(/Snyk: done, \d+ issues/);
    expect(io.out()).toMatch(/Sync completed in [\d.]+ s/);
    expect(io.out()).toMatch(new RegExp(`github\\s+ok\\s+\\d+\\s+-\\s+5\\s+5\\s+${SMALL_EXPECTED.github.alerts}\\s+${SMALL_EXPECTED.github.alerts}`));
    expect(io.out()).toMatch(/Remediations: \d+ created, \d+ updated, 0 closed, 0 reopened\./);
    expect(io.err()).toBe('');
  });

  it('reads the advisory feeds with a progress line each; a first read records the older history as the baseline', async () => {
    // Three years of bulletins, one every third day: the ten published within 30 days are reviewed; the rest are the baseline.
    const at = (i: number) => new Date(Date.now() - (i * 3 + 0.5) * 86_400_000).toISOString();
    const items = generateAdvisories(400).map((item, i) => ({ ...item, published: at(i), updated: at(i) }));
    const feed = await startFakeAdvisoryFeed({ items });
    try {
      writeFileSync(join(dir, 'policy.yaml'), `advisories:\n  feeds:\n    - name: AWS Security Bulletins\n      url: ${feed.rssUrl}\n`);
      const io = capture(env);
      await expect(runCli(['sync', '--source', 'advisories'], io)).resolves.toBe(0);
      expect(io.out()).toContain('AWS Security Bulletins (advisory feed): started');
      expect(io.out()).toContain('AWS Security Bulletins (advisory feed): done, 400 / 400 advisories (10 new, 390 recorded as the baseline)');
      expect(io.out()).toMatch(/AWS Security Bulletins\s+ok\s+1\s+400\s+400\s+0\s+390/);
      expect(io.out()).toContain('10 new advisories to review, posted by the bot.');
      const store = await openSqliteStore({ path: join(dir, 'pw.db') });
      try {
        await expect(store.advisories.count({ baseline: true })).resolves.toBe(390);
        // What the bot's outbox posts when it next drains: one message for each of the 10, none for the baseline.
        expect(await store.outbox.list()).toHaveLength(10);
      } finally {
        await store.close();
      }
    } finally {
      await feed.close();
    }
  });

  it('syncs only the sources asked for, and refuses an unknown one (exit 2)', async () => {
    const io = capture(env);
    await expect(runCli(['sync', '--source', 'snyk'], io)).resolves.toBe(0);
    expect(io.out()).not.toContain('GitHub');
    const bad = capture(env);
    await expect(runCli(['sync', '--source', 'jira'], bad)).resolves.toBe(2);
    expect(bad.err()).toContain('--source takes github, snyk, ssm, advisories; got jira');
  });

  it('exits 1 naming the failed source while the other one still syncs', async () => {
    fakes.snyk.knobs.staysDown({ status: 401 });
    try {
      const io = capture(env);
      await expect(runCli(['sync'], io)).resolves.toBe(1);
      expect(io.out()).toMatch(/Sync completed with failures/);
      expect(io.out()).toMatch(/snyk\s+FAILED/);
      expect(io.out()).toMatch(/snyk failed: .*401/i);
      expect(io.out()).toMatch(/github\s+ok/);
    } finally {
      fakes.snyk.knobs.recover();
    }
  });

  it('exits 1 when a sync is already running (the job lease is held)', async () => {
    const store = await openSqliteStore({ path: env.PATCHWARDEN_DB! });
    await store.leases.acquire('sync', 'the-bot', 60_000, new Date());
    await store.close();
    const io = capture(env);
    await expect(runCli(['sync'], io)).resolves.toBe(1);
    expect(io.err()).toContain('a sync is already running');
  });

  it('says so when no source is configured', async () => {
    const io = capture({ PATCHWARDEN_DB: env.PATCHWARDEN_DB, PATCHWARDEN_CONFIG: env.PATCHWARDEN_CONFIG });
    await expect(runCli(['sync'], io)).resolves.toBe(1);
    expect(io.err()).toContain('no source is configured');
  });

  it('lists every asset and the coverage gaps after a sync; --json; --fail-on-gaps', async () => {
    const none = capture(env);
    await expect(runCli(['inventory'], none)).resolves.toBe(1);
    expect(none.err()).toContain('run patchwarden sync first');

    await runCli(['sync'], capture(env));
    const io = capture(env);
    await expect(runCli(['inventory'], io)).resolves.toBe(0);
    const out = io.out();
    expect(out).toMatch(/Inventory at .* UTC: 8 assets, 8 in scope, \d+ open findings/);
    expect(out).toContain('github:acme/api');
    expect(out).toContain('! 1 repository with Dependabot alerts disabled');
    expect(out).toContain(`github:${SMALL_FACTS.disabledRepo}`);
    expect(out).toMatch(/! \d+ in-scope assets? not scanned in 30 days/);

    const json = capture(env);
    await expect(runCli(['inventory', '--json', '--fail-on-gaps'], json)).resolves.toBe(1);
    type Gap = { asset: { name: string } };
    const parsed = JSON.parse(json.out()) as { assets: { id: string; openFindings: number }[]; gaps: { dependabotDisabled: Gap[]; staleScan: Gap[] } };
    expect(parsed.assets).toHaveLength(8);
    expect(parsed.gaps.dependabotDisabled.map((g) => g.asset.name)).toEqual([SMALL_FACTS.disabledRepo]);
    expect(parsed.gaps.staleScan.map((g) => g.asset.name)).toContain(SMALL_FACTS.staleSnykProject);
  });

  it('names every asset (a Snyk project by its name) and says which owners: rule gave each owner; with a default no asset is unowned', async () => {
    writeFileSync(join(dir, 'policy.yaml'), 'owners:\n  - repository: "acme/api"\n    owner: U0APIOWNER\n  - default: S0PLATFORM\n');
    await runCli(['sync'], capture(env));
    const io = capture(env);
    await expect(runCli(['inventory'], io)).resolves.toBe(0);
    const out = io.out();
    const row = (name: string) => out.split('\n').find((l) => l.startsWith(`${name} `)) ?? '';
    expect(row(SMALL_FACTS.overlaps[0].snykProject)).toMatch(/^acme\/api:package\.json\s+snyk:project:[0-9a-f-]+\s+application\s+snyk\s+-\s+U0APIOWNER\s+owners\[0\] repository acme\/api/);
    expect(row('acme/web')).toMatch(/github:acme\/web\s+repository\s+github\s+-\s+S0PLATFORM\s+owners default/);
    expect(out).not.toContain('with open findings but no owner');

    const json = capture(env);
    await runCli(['inventory', '--json'], json);
    const parsed = JSON.parse(json.out()) as { assets: { owner: string | null; ownerRule: string | null }[]; gaps: { unowned: unknown[] } };
    expect(parsed.gaps.unowned).toEqual([]);
    expect(parsed.assets.every((a) => a.owner !== null && a.ownerRule !== null)).toBe(true);
  });
});

describe('sync progress on the terminal and in a log', () => {
  const p = (over: Partial<SyncProgress>): SyncProgress => ({ source: 'github', state: 'running', done: 0, total: null, unit: 'alerts', ...over });

  it('redraws one bar per source in place', () => {
    let t = 0;
    let screen = '';
    const view = terminalProgress((s) => (screen += s), () => t);
    view.update(p({}));
    view.update(p({ source: 'ssm', unit: 'instances', total: 100, done: 0 }));
    t = 500;
    view.update(p({ source: 'ssm', unit: 'instances', total: 100, done: 50 }));
    t = 1500;
    view.update(p({ done: 1200, state: 'done' }));
    view.stop();
    const frames = screen.split('\x1b[2A');
    const last = frames.at(-1)!;
    expect(last).toMatch(/GitHub\s+█{24}\s+1,200 alerts\s+1\.5 s\s+done/);
    expect(last).toMatch(/AWS SSM\s+█{12}░{12}\s+50 \/ 100 instances/);
  });

  it('writes a line when a source starts, every few seconds, and when it ends', () => {
    let t = 0;
    let log = '';
    const view = plainProgress((s) => (log += s), () => t, 5000);
    view.update(p({}));
    t = 1000;
    view.update(p({ done: 100 }));
    t = 6000;
    view.update(p({ done: 900 }));
    view.update(p({ source: 'snyk', unit: 'issues', state: 'failed', done: 10 }));
    view.update(p({ done: 1000, state: 'done' }));
    expect(log).toBe(['GitHub: started', 'GitHub: 900 alerts so far', 'Snyk: FAILED, 10 issues', 'GitHub: done, 1,000 alerts', ''].join('\n'));
  });

  it('has a line (and a bar) for each advisory feed, beside the sources', () => {
    const feed = (name: string, over: Partial<SyncProgress> = {}) => p({ source: 'advisories', feed: name, unit: 'advisories', ...over });
    let log = '';
    const plain = plainProgress((s) => (log += s), () => 0, 5000);
    plain.update(feed('AWS Security Bulletins'));
    plain.update(feed('Debian Security', { state: 'done', note: 'unchanged since the last read' }));
    plain.update(feed('AWS Security Bulletins', { state: 'done', done: 5, total: 5, note: '5 new' }));
    expect(log).toBe(['AWS Security Bulletins (advisory feed): started', 'Debian Security (advisory feed): done, 0 advisories (unchanged since the last read)', 'AWS Security Bulletins (advisory feed): done, 5 / 5 advisories (5 new)', ''].join('\n'));
    let screen = '';
    const terminal = terminalProgress((s) => (screen += s), () => 0);
    terminal.update(p({}));
    terminal.update(feed('AWS Security Bulletins', { state: 'done', done: 5, total: 5, note: '5 new' }));
    terminal.stop();
    expect(screen.split('\x1b[2A').at(-1)).toMatch(/AWS Security Bulletins\s+█{24}\s+5 \/ 5 advisories \(5 new\)/);
  });
});
