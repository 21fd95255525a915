/**
 * `patchwarden sync`: pulls assets and findings from every configured source now (or `--source` ones), under the
 * same job lease as the schedule and `/patch sync`, with a progress bar per source on a terminal (plain lines
 * otherwise), and a summary table at the end. Exit 0 when every source synced, 1 when one failed (the others are
 * still synced and recorded) or a sync was already running, 2 for usage.
 */
import { SYNC } from './commands.js';
import { parseArgs } from 'node:util';
import type { Sync } from '../app/sync/sync.js';
import { createSync } from '../app/sync/sync.js';
import type { SourceName, SyncReport } from '../app/sync/report.js';
import { runUnderLease } from '../jobs/lease.js';
import { SYNC_JOB, SYNC_LEASE_MS } from '../jobs/sync-job.js';
import { createLogger } from '../logger.js';
import { createSources } from '../sources/create-sources.js';
import { openStore } from '../store/open-store.js';
import { cliConfig } from './cli-config.js';
import { EXIT, type CliCommand, type CliIo } from './command.js';
import { plainProgress, terminalProgress } from './sync-progress.js';
import { plural, textTable } from './text-table.js';

const SOURCES: readonly SourceName[] = ['github', 'snyk', 'ssm'];
/** `--source advisories`: the policy's advisory feeds. */
const ADVISORIES = 'advisories';

export function renderSyncReport(r: SyncReport): string {
  const secs = ((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000).toFixed(1);
  const rows = r.sources.map((s) => {
    const c = s.counts;
    return [s.source, s.status === 'ok' ? 'ok' : 'FAILED', c.pages, c.requests, c.assetsSeen, c.assetsWritten, c.findingsSeen, c.findingsNew, c.findingsChanged, c.findingsClosed, c.remediationsCreated];
  });
  const m = r.remediations;
  const lines = [
    '',
    `Sync ${r.status === 'ok' ? 'completed' : r.status === 'partial' ? 'completed with failures' : 'FAILED'} in ${secs} s (${r.id})`,
    '',
    textTable(['SOURCE', 'STATUS', 'PAGES', 'REQUESTS', 'ASSETS', 'WRITTEN', 'FINDINGS', 'NEW', 'CHANGED', 'CLOSED', 'REMEDIATIONS NEW'], rows),
    '',
    ...(r.advisories.length > 0
      ? [
          textTable(['ADVISORY FEED', 'STATUS', 'REQUESTS', 'ITEMS', 'NEW', 'CHANGED', 'BASELINE'], r.advisories.map((f) => [f.feed, f.status === 'failed' ? 'FAILED' : f.status, f.requests, f.status === 'ok' ? f.read : '-', f.new, f.changed, f.baseline])),
          '',
          `Advisories: ${plural(r.advisoryLinks, 'new link')} to remediations by CVE; ${plural(r.advisoryMessages.recorded, 'new advisory', 'new advisories')} to review, posted by the bot${r.advisoryMessages.waiting > 0 ? ` (${r.advisoryMessages.waiting.toLocaleString('en-US')} more in later syncs)` : ''}.`,
          ...(r.advisories.some((f) => f.baseline > 0) ? ['The baseline: items a feed listed when its monitoring began, published before it; stored and listed, not reviewed one by one.'] : []),
        ]
      : []),
    `Remediations: ${m.created.toLocaleString('en-US')} created, ${m.updated.toLocaleString('en-US')} updated, ${m.closed.toLocaleString('en-US')} closed, ${m.reopened.toLocaleString('en-US')} reopened.`,
    ...(r.kevUpdated > 0 ? [`KEV catalogue changed: ${plural(r.kevUpdated, 'stored finding')} got a new due date.`] : []),
    ...(r.recovered > 0 ? [`Finished what an interrupted sync left: ${plural(r.recovered, 'remediation')} brought up to date.`] : []),
    ...r.sources.filter((s) => s.error).map((s) => `${s.source} failed: ${s.error}`),
    ...r.warnings.map((w) => `warning: ${w}`),
  ];
  return `${lines.join('\n')}\n`;
}

export type SyncFactory = (io: CliIo) => Promise<{ sync: Sync; names: readonly string[]; run: <T>(work: () => Promise<T>) => Promise<T | null>; close(): Promise<void> } | null>;

/** The real wiring: configuration, store, the configured sources, the job lease. */
const wire: SyncFactory = async (io) => {
  const config = cliConfig(io, 'sync');
  if (!config) return null;
  // Logs go to stderr, quietly unless LOG_LEVEL says otherwise: stdout is for the progress and the summary.
  const logger = createLogger(io.env['LOG_LEVEL'] || 'warn', { write: (s: string) => io.stderr(s) });
  const store = await openStore(config.store);
  const { sources, feeds, advisoryFeeds } = createSources(config, { kv: store.kv, logger });
  const now = () => new Date();
  return {
    sync: createSync({ store, sources, feeds, advisoryFeeds, firstRead: config.policy.advisories.firstRead, sla: config.policy.sla, owners: config.policy.owners, now, logger }),
    names: [...sources.map((s) => s.name), ...(advisoryFeeds.length > 0 ? [ADVISORIES] : [])],
    run: async (work) => {
      const outcome = await runUnderLease(store, { name: SYNC_JOB, ttlMs: SYNC_LEASE_MS, now, logger }, work);
      return outcome.status === 'done' ? outcome.value : null;
    },
    close: () => store.close(),
  };
};

export function syncCommand(factory: SyncFactory = wire): CliCommand {
  const command: CliCommand = {
    ...SYNC,
    run: async (args, io) => {
      let only: string[] | undefined;
      try {
        const { values } = parseArgs({ args: [...args], options: { source: { type: 'string', multiple: true } }, strict: true });
        const bad = (values.source ?? []).filter((s) => !SOURCES.includes(s as SourceName) && s !== ADVISORIES);
        if (bad.length > 0) throw new Error(`--source takes ${[...SOURCES, ADVISORIES].join(', ')}; got ${bad.join(', ')}`);
        only = values.source;
      } catch (e) {
        io.stderr(`${(e as Error).message}\nusage: patchwarden sync ${command.args}\n`);
        return EXIT.usage;
      }
      const wired = await factory(io);
      if (!wired) return EXIT.failed;
      try {
        const names = wired.names.filter((n) => !only || only.includes(n));
        if (names.length === 0) {
          io.stderr(only ? `not configured: ${only.join(', ')}\n` : 'no source is configured: set GITHUB_TOKEN and GITHUB_ORG, SNYK_TOKEN and SNYK_ORG_ID, or AWS_REGION, or list advisories.feeds in the policy (see README.md, "Configuration")\n');
          return EXIT.failed;
        }
        const progress = io.isTTY ? terminalProgress(io.stdout) : plainProgress(io.stdout);
        const sources = only?.filter((n): n is SourceName => n !== ADVISORIES);
        const scope = only ? { only: sources ?? [], advisories: only.includes(ADVISORIES) } : {};
        const report = await wired.run(() => wired.sync({ onProgress: (p) => progress.update(p), requestedBy: 'cli', ...scope }));
        progress.stop();
        if (!report) {
          io.stderr('a sync is already running (the bot’s schedule, /patch sync, or another patchwarden sync); try again when it ends\n');
          return EXIT.failed;
        }
        io.stdout(renderSyncReport(report));
        return report.status === 'ok' ? EXIT.ok : EXIT.failed;
      } finally {
        await wired.close();
      }
    },
  };
  return command;
}

export const sync = syncCommand();
