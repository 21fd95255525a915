/** What the cron jobs may use, built once in main.ts beside the listeners' deps (src/slack/deps.ts). */
import type { OutboxDrainer } from '../app/outbox/drain-outbox.js';
import type { Store } from '../app/ports.js';
import type { Sync } from '../app/sync/sync.js';
import type { ApplyStep } from '../app/workflow/apply-step.js';
import type { Policy } from '../policy.js';
import type { DigestPoster } from '../slack/posting/post-digest.js';
import type { RemediationPublisher } from '../slack/posting/publish-remediation.js';
import type { ReminderRun } from '../slack/posting/send-reminders.js';
import type { MessageContext } from '../slack/views/remediation-message.js';
import type { DeployRunner } from './deploy-runner.js';

export interface JobDeps {
  readonly store: Store;
  readonly policy: Policy;
  readonly now: () => Date;
  readonly applyStep: ApplyStep;
  /** The monitor's sync of every configured source. */
  readonly sync: Sync;
  /** Does the Slack effects recorded steps owe (src/app/outbox). */
  readonly outbox: OutboxDrainer;
  /** What the jobs post in Slack (src/slack/posting). */
  readonly slack: {
    readonly digest: DigestPoster;
    readonly sendReminders: (holds?: () => boolean) => Promise<ReminderRun>;
    /** Names advisories unreviewed past the review deadline to the leads, once each; how many it named. */
    readonly remindAdvisoryReviews: () => Promise<number>;
    readonly publisher: RemediationPublisher;
    readonly messageContext: () => MessageContext;
    readonly sendEmergencyReminders: () => Promise<number>;
  };
  /** Deploy work in the background, one remediation per lease (src/jobs/deploy-runner.ts). */
  readonly deployRunner: DeployRunner;
}
