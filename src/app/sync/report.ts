/**
 * What a sync run reports and records: per source its status, counts and error; for the run the remediations it
 * created, updated, closed and reopened. Kept in store.kv (`sync-runs`) and in the `sync.completed` audit event.
 */
import type { AdvisoryFeedReport } from '../advisories/feed-intake.js';
import type { VulnerabilitySource } from '../ports.js';

export type SourceName = VulnerabilitySource['name'];

export interface SourceCounts {
  assetsSeen: number;
  assetsWritten: number;
  findingsSeen: number;
  findingsNew: number;
  findingsChanged: number;
  /** Findings that went from open to fixed or dismissed (reported so, or missing from a complete scan). */
  findingsClosed: number;
  remediationsCreated: number;
  pages: number;
  /** HTTP requests the source made, when it reports them. */
  requests: number | null;
}

export type SourceStatus = 'ok' | 'failed';

export interface SourceReport {
  readonly source: SourceName;
  readonly status: SourceStatus;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly counts: SourceCounts;
  /** Why it failed (the run still completed for the other sources). */
  readonly error: string | null;
}

export interface RemediationCounts {
  created: number;
  updated: number;
  closed: number;
  reopened: number;
}

export interface SyncReport {
  /** `sync:<startedAt>`: the subject of its audit event and its key in `sync-runs`. */
  readonly id: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** ok: every source synced; partial: some failed; failed: all did. */
  readonly status: 'ok' | 'partial' | 'failed';
  readonly sources: readonly SourceReport[];
  /** The advisory feeds read by this run (a failed one is a warning, not a failed run). */
  readonly advisories: readonly AdvisoryFeedReport[];
  /** Advisories newly linked to a remediation by a shared CVE. */
  readonly advisoryLinks: number;
  /** New advisories awaiting review given their message by this run, and those still owed one (later runs). */
  readonly advisoryMessages: { readonly recorded: number; readonly waiting: number };
  readonly remediations: RemediationCounts;
  /** Findings whose KEV due date changed because CISA's catalogue did (stored findings, not in any page). */
  readonly kevUpdated: number;
  /** Remediations carried over from an interrupted run and brought up to date by this one. */
  readonly recovered: number;
  /** Problems that did not fail a source: an enrichment feed down, a remediation that could not be refreshed. */
  readonly warnings: readonly string[];
  /** Who asked for it: `system:sync` for the schedule, a Slack user id, `cli`. */
  readonly requestedBy: string;
}

/** Progress of one source as its pages come in, or of one advisory feed (`source: 'advisories'`, `feed` its name). */
export interface SyncProgress {
  readonly source: SourceName | 'advisories';
  /** The advisory feed's name, for `source: 'advisories'`. */
  readonly feed?: string;
  readonly state: 'running' | 'done' | 'failed';
  readonly done: number;
  readonly total: number | null;
  readonly unit: string;
  /** Said after the counts (an advisory feed: what was new, or that it was unchanged). */
  readonly note?: string;
}

/** One line per source and per advisory feed: what progress views key their lines by. */
export const progressKey = (p: Pick<SyncProgress, 'source' | 'feed'>): string => (p.feed !== undefined ? `feed:${p.feed}` : p.source);

export const emptyCounts = (): SourceCounts => ({
  assetsSeen: 0,
  assetsWritten: 0,
  findingsSeen: 0,
  findingsNew: 0,
  findingsChanged: 0,
  findingsClosed: 0,
  remediationsCreated: 0,
  pages: 0,
  requests: null,
});

export const emptyRemediationCounts = (): RemediationCounts => ({ created: 0, updated: 0, closed: 0, reopened: 0 });

export function runStatus(sources: readonly SourceReport[]): SyncReport['status'] {
  const failed = sources.filter((s) => s.status === 'failed').length;
  if (failed === 0) return 'ok';
  return failed === sources.length ? 'failed' : 'partial';
}

/** The kv namespace of run records: `latest`, one per run id, and `in-progress` while a run is under way. */
export const SYNC_RUNS = 'sync-runs';
/** The kv namespace of each source's cursor, keyed by source name. */
export const SYNC_CURSORS = 'sync-cursors';
/** The kv namespace of the sync's own state (the KEV catalogue fingerprint). */
export const SYNC_STATE = 'sync-state';
