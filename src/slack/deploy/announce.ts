/**
 * How deploy events reach people: the remediation's one message updated in place, and the event's line in its
 * thread (through the publisher, as every step). An emergency change's start names the other leads, who must approve it.
 */
import type { Announce, DeployEvent } from '../../app/deploy/deploy-events.js';
import type { RoleResolver } from '../../app/role-resolver.js';
import type { Logger } from '../../logger.js';
import type { RemediationPublisher } from '../posting/publish-remediation.js';
import { deployNote } from './deploy-notes.js';

export interface AnnounceDeps {
  readonly publisher: RemediationPublisher;
  readonly roles: Pick<RoleResolver, 'usersWith'>;
  readonly timeZone: string;
  readonly logger: Logger;
}

/** The leads who may approve an emergency change made by `by`. */
export async function otherLeads(roles: Pick<RoleResolver, 'usersWith'>, by: string, logger: Logger): Promise<string[]> {
  try {
    return (await roles.usersWith('lead')).filter((u) => u !== by);
  } catch (e) {
    logger.warn({ err: e }, 'could not look up the leads to name');
    return [];
  }
}

/** The note an event adds to the thread, with the other leads named when it starts an emergency change. */
export async function noteFor(e: DeployEvent, deps: Omit<AnnounceDeps, 'publisher'>): Promise<string | null> {
  const emergency = e.kind === 'deploy_started' ? e.r.deployments.at(-1)?.emergency : undefined;
  const others = emergency ? await otherLeads(deps.roles, emergency.by, deps.logger) : [];
  return deployNote(e, deps.timeZone, others);
}

export function createAnnounce(deps: AnnounceDeps): Announce {
  return async (e) => {
    await deps.publisher.publish(e.r, (await noteFor(e, deps)) ?? undefined);
  };
}
