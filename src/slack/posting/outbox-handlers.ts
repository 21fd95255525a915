/**
 * Every kind of Slack effect the outbox holds (src/app/outbox/effects.ts), and the handler here that does it. A new
 * kind: its handler in this folder, one line here.
 */
import type { EffectHandlers } from '../../app/outbox/drain-outbox.js';
import type { SlackDeps } from '../deps.js';
import { createAdvisoryMessages } from './advisory-messages.js';
import { createDigestEffects } from './digest-effects.js';
import { createRemediationMessages } from './publish-remediation.js';
import { createReminderRoundup } from './reminder-roundup.js';
import { createSlackMessages } from './slack-messages.js';
import { createThreadFindings } from './thread-findings.js';

export function createEffectHandlers(deps: Pick<SlackDeps, 'client' | 'channel' | 'store' | 'roles' | 'messageContext' | 'now' | 'logger'>): EffectHandlers {
  const remediations = createRemediationMessages({ client: deps.client, channel: deps.channel, store: deps.store, context: deps.messageContext, logger: deps.logger });
  const messages = createSlackMessages(deps.client, deps.channel);
  const digest = createDigestEffects(deps.client, deps.store);
  const advisories = createAdvisoryMessages({ ...deps, timeZone: () => deps.messageContext().timeZone });
  return {
    'remediation.message': remediations.message,
    'remediation.note': remediations.note,
    'remediation.findings': createThreadFindings({ client: deps.client, store: deps.store, timeZone: () => deps.messageContext().timeZone }),
    'advisory.message': advisories.message,
    'advisory.note': advisories.note,
    'slack.dm': messages.dm,
    'slack.post': messages.post,
    'reminder.roundup': createReminderRoundup(deps),
    'digest.anchor': digest.anchor,
    'digest.csv': digest.csv,
  } satisfies Required<EffectHandlers>;
}
