import type { WebClient } from '@slack/web-api';
import type { EvidencePack } from '../app/evidence/build-pack.js';
import type { DeployServices } from '../app/deploy/deploy-services.js';
import type { OutboxDrainer } from '../app/outbox/drain-outbox.js';
import type { ApplyStep } from '../app/workflow/apply-step.js';
import type { Authorize } from '../app/workflow/authorize.js';
import type { FileDownloader } from '../app/workflow/evidence-intake.js';
import type { EnrichmentFeeds, Store } from '../app/ports.js';
import type { SharedReports } from '../app/reports/shared-report.js';
import type { RoleResolver } from '../app/role-resolver.js';
import type { Sync } from '../app/sync/sync.js';
import type { Policy } from '../policy.js';
import type { Logger } from '../logger.js';
import type { RemediationPublisher } from './posting/publish-remediation.js';
import type { Turns } from './turns.js';
import type { MessageContext } from './views/remediation-message.js';

/** What every listener may use, built once in main.ts and passed to each listener factory. */
export interface SlackDeps {
  readonly store: Store;
  readonly policy: Policy;
  /** The patch channel: digest and remediation threads. */
  readonly channel: string;
  readonly botToken: string;
  readonly client: WebClient;
  readonly roles: RoleResolver;
  readonly authorize: Authorize;
  readonly applyStep: ApplyStep;
  /** Does the Slack effects recorded steps owe (their messages, notes, reminders, digests: src/app/outbox). */
  readonly outbox: OutboxDrainer;
  /** Records and does a remediation's message and note for a step that did not record them with its own write. */
  readonly publisher: RemediationPublisher;
  /** CISA KEV and EPSS (cached by the sources): a remediation made by hand naming a KEV-listed CVE gets CISA's date. */
  readonly enrichment: EnrichmentFeeds;
  /** Downloads files people attach (test evidence) with the bot token. */
  readonly files: FileDownloader;
  /** The monitor's sync of every configured source (the schedule and `/patch sync` run it under the `sync` lease). */
  readonly sync: Sync;
  /** The auditor's evidence pack of a period (`/patch evidence`). */
  readonly evidencePack: EvidencePack;
  /** Status and inventory, each computed once per change of the store and shared by everyone asking. */
  readonly reports: SharedReports;
  /** The work after an ack takes turns, so a burst of requests is acked before any of it runs. */
  readonly turns: Turns;
  readonly messageContext: () => MessageContext;
  /** Deploying and verifying: staging runs, Deploy now, Mark deployed, emergency approvals, CI results, the runner. */
  readonly deploy: DeployServices;
  readonly now: () => Date;
  readonly logger: Logger;
}
