/**
 * `/patch sync [github|snyk|ssm]…` (leads): runs the sync now, under the same job lease as the schedule (a sync
 * already running is `job.busy`). Posts ONE message in the patch channel and updates it as the sources progress
 * (at most every few seconds: chat.update is rate-limited), ending with the run's summary.
 */
import { progressKey, type SourceName, type SyncProgress, type SyncReport } from '../../app/sync/report.js';
import { actorId } from '../../domain/roles.js';
import { runUnderLease } from '../../jobs/lease.js';
import { SYNC_JOB, SYNC_LEASE_MS } from '../../jobs/sync-job.js';
import type { SlackDeps } from '../deps.js';
import { createMessageUpdater } from '../posting/message-updater.js';
import { Refusal } from '../refusal.js';
import { syncFailedMessage, syncProgressMessage, syncSummaryMessage } from '../views/sync-progress.js';
import type { Subcommand } from './subcommand.js';

const SOURCES: readonly SourceName[] = ['github', 'snyk', 'ssm'];
/** Between two progress updates of the message. */
export const UPDATE_EVERY_MS = 3000;

/** Keeps the one message current: a source changing state shows at once, counts no more often than UPDATE_EVERY_MS. */
function messageUpdater(deps: SlackDeps, channel: string, ts: string, by: string) {
  const progress = new Map<string, SyncProgress>();
  const message = createMessageUpdater({ client: deps.client, channel, ts, logger: deps.logger, what: 'the sync message', everyMs: UPDATE_EVERY_MS });
  return {
    progress(p: SyncProgress): void {
      const changedState = progress.get(progressKey(p))?.state !== p.state;
      progress.set(progressKey(p), p);
      message.show(syncProgressMessage([...progress.values()], by), changedState);
    },
    finish: (report: SyncReport): Promise<void> => message.finish(syncSummaryMessage(report, by, deps.policy.timezone)),
    failed: (error: unknown): Promise<void> => message.finish(syncFailedMessage(error instanceof Error ? error.message : String(error), by)),
  };
}

export const syncCommand: Subcommand = {
  name: 'sync',
  usage: 'sync [github|snyk|ssm|advisories]',
  summary: 'pull assets and findings from GitHub, Snyk and SSM, and the advisory feeds, now; progress in the patch channel (leads)',
  permission: 'sync',
  lane: 'background',
  handler: (deps) => async ({ args, actor, respond }) => {
    const asked = args.map((a) => a.toLowerCase());
    const bad = asked.filter((a) => !SOURCES.includes(a as SourceName) && a !== 'advisories');
    if (bad.length > 0) {
      await respond({ response_type: 'ephemeral', text: `Unknown source ${bad.join(', ')}: \`/patch sync\` takes ${SOURCES.join(', ')} or advisories, or nothing for all.` });
      return;
    }
    const scope = asked.length > 0 ? { only: asked.filter((a): a is SourceName => SOURCES.includes(a as SourceName)), advisories: asked.includes('advisories') } : {};
    const by = actorId(actor);
    const outcome = await runUnderLease(deps.store, { name: SYNC_JOB, ttlMs: SYNC_LEASE_MS, now: deps.now, logger: deps.logger }, async (lease) => {
      const posted = await deps.client.chat.postMessage({ channel: deps.channel, ...syncProgressMessage([], by) });
      const ts = posted.ts ?? '';
      await respond({ response_type: 'ephemeral', text: `Sync started: progress in <#${posted.channel ?? deps.channel}>.` });
      const message = messageUpdater(deps, posted.channel ?? deps.channel, ts, by);
      try {
        const report = await deps.sync({ onProgress: (p) => message.progress(p), requestedBy: by, holds: lease.holds, ...scope });
        await message.finish(report);
        // What the sync recorded as owed (changed remediations' messages, new advisories'), while the lead looks.
        await deps.outbox.drain();
        return report;
      } catch (e) {
        // The store itself failed (a source failing is a report, not an error): say so where people are looking.
        await message.failed(e);
        throw e;
      }
    });
    if (outcome.status === 'skipped') throw new Refusal({ code: 'job.busy', job: 'sync' });
  },
};
