/**
 * How deploy events reach people: each event's Slack effects (the remediation's one message updated, the event's
 * line in its thread) recorded with the step that causes it, then done by the outbox (src/app/outbox). An emergency
 * change's start names the other leads (users and user groups of the policy's `roles.lead`), who must approve it.
 */
import type { Announcer, DeployEvent } from '../../app/deploy/deploy-events.js';
import type { OutboxDrainer } from '../../app/outbox/drain-outbox.js';
import type { EffectInput } from '../../app/outbox/effects.js';
import type { Logger } from '../../logger.js';
import { remediationEffects } from '../posting/publish-remediation.js';
import { deployNote } from './deploy-notes.js';

/** The leads who may approve an emergency change made by `by`: the policy's lead principals but that person. */
export const otherLeads = (leads: readonly string[], by: string): string[] => leads.filter((p) => p !== by);

/** The effects an event owes: the message updated, and its line in the thread when it has one. */
export function deployEffects(e: DeployEvent, timeZone: string, leads: readonly string[]): readonly EffectInput[] {
  const emergency = e.kind === 'deploy_started' ? e.r.deployments.at(-1)?.emergency : undefined;
  const note = deployNote(e, timeZone, emergency ? otherLeads(leads, emergency.by) : []);
  return note === null ? [{ kind: 'remediation.message', subject: e.r.id }] : remediationEffects(e.r.id, note);
}

export interface AnnouncerDeps {
  readonly outbox: OutboxDrainer;
  readonly leads: readonly string[];
  readonly timeZone: string;
  readonly logger: Logger;
}

export function createAnnouncer({ outbox, leads, timeZone, logger }: AnnouncerDeps): Announcer {
  return {
    effects: (e) => deployEffects(e, timeZone, leads),
    async flush(id) {
      try {
        await outbox.drain([id]);
      } catch (e) {
        logger.warn({ err: e, remediationId: id }, 'could not do the Slack effects of a deploy step now; the outbox job retries them');
      }
    },
  };
}
