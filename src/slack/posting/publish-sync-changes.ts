/**
 * What a sync changed, in the channel: a remediation it held for a lead (every open finding dismissed at the
 * source) gets its message with the Confirm / Reject buttons, posted if it had none, and a line in its thread saying
 * who dismissed it and why; one whose dismissal the source withdrew, or that the sync closed or reopened, has its
 * message brought up to date. At most MAX_SYNC_MESSAGES per run (a lead's App Home lists the rest).
 */
import type { Sync } from '../../app/sync/sync.js';
import type { Written } from '../../app/write-versioned.js';
import { dismissalHeldNote, dismissalWithdrawnNote } from '../workflow/thread-notes.js';
import type { RemediationPublisher } from './publish-remediation.js';

export const MAX_SYNC_MESSAGES = 30;

const held = (w: Written): boolean => w.after.state === 'dismissal_review';
const withdrawn = (w: Written): boolean => w.before.state === 'dismissal_review' && w.after.upstreamDismissal?.decision?.outcome === 'withdrawn';

export function createSyncChangePublisher(publisher: RemediationPublisher): (changed: readonly Written[]) => Promise<void> {
  return async (changed) => {
    const first = changed.filter(held);
    const rest = changed.filter((w) => !held(w) && (withdrawn(w) || w.before.message !== null));
    for (const w of [...first, ...rest].slice(0, MAX_SYNC_MESSAGES)) {
      const note = held(w) ? dismissalHeldNote(w.after) : withdrawn(w) ? dismissalWithdrawnNote(w.after) : undefined;
      await publisher.publish(w.after, note);
    }
  };
}

/** The sync, with what it changed published after each run (the schedule's and `/patch sync`'s alike). */
export const publishingSync = (sync: Sync, publish: (changed: readonly Written[]) => Promise<void>): Sync =>
  (opts = {}) => sync({ ...opts, onStateChanged: publish });
