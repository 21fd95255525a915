/**
 * Keeps App Homes current: publishes a person's queue, and after a step refreshes the homes it touched — the
 * actor, the owners, and (bounded) the people whose queue it entered or left. Refreshes are coalesced: the homes
 * touched by a burst of steps are published once, shortly after, reading each queue's lists once for all of them.
 */
import { assetsOf } from '../../app/reports/assets-of.js';
import { QUEUE_STATES, type LoadHomeQueue, type QueryCache } from '../../app/reports/home-queue.js';
import { ROLES, rolesFor, type Role } from '../../domain/roles.js';
import { type Remediation } from '../../domain/remediation.js';
import { isClosed, type RemediationState } from '../../domain/remediation-state.js';
import { instant } from '../../domain/time.js';
import type { SlackDeps } from '../deps.js';
import { namedAssetIds } from '../views/asset-names.js';
import { homeView } from '../views/home.js';

export interface HomeRefresher {
  publish(userId: string): Promise<void>;
  /** After a step: the homes whose queue it changed. Failures are logged, never thrown (the step is recorded). */
  afterChange(before: Remediation, after: Remediation, actorId: string): Promise<void>;
  /** After a remediation is made (by hand, or from an advisory): the homes whose queue it entered. */
  afterCreate(created: Remediation, actorId: string): Promise<void>;
}

/** The most homes one step refreshes; the rest catch up when their owners open the Home tab. */
export const MAX_REFRESH = 25;
/** How long touched homes wait for the rest of a burst before they are published. */
export const REFRESH_DELAY_MS = 250;

/** Who sees each queue: whoever may do its work (the home queue shows a section by the same permission). */
const ROLES_SEEING: { states: readonly RemediationState[]; roles: readonly Role[] }[] = [
  { states: QUEUE_STATES.toAssess, roles: rolesFor('assess') },
  { states: QUEUE_STATES.toTest, roles: rolesFor('test') },
  { states: QUEUE_STATES.toApprove, roles: rolesFor('approve') },
];

const isUser = (id: string | null): id is string => id !== null && /^[UW][A-Z0-9]+$/.test(id);

export function createHomeRefresher(deps: SlackDeps, loadQueue: LoadHomeQueue): HomeRefresher {
  const overdue = (r: Remediation): boolean => !isClosed(r.state) && r.dueAt < instant(deps.now());

  async function publish(userId: string, shared?: QueryCache): Promise<void> {
    const queue = await loadQueue(userId, shared);
    const listed = [queue.toAssess, queue.toTest, queue.toApprove, queue.overdue].flatMap((s) => s?.items ?? []);
    // Only the few each item names: an OS-patch remediation may be on hundreds of instances.
    const view = homeView(queue, deps.messageContext(), await assetsOf(deps.store, listed.flatMap(namedAssetIds)));
    await deps.client.views.publish({ user_id: userId, view });
  }

  const pending = new Set<string>();
  let timer: NodeJS.Timeout | null = null;

  async function flush(): Promise<void> {
    timer = null;
    const users = [...pending];
    pending.clear();
    const shared: QueryCache = new Map();
    for (const user of users) {
      try {
        await publish(user, shared);
      } catch (e) {
        deps.logger.warn({ err: e, userId: user }, 'could not refresh an App Home');
      }
    }
  }

  function refreshSoon(users: readonly string[]): void {
    users.forEach((u) => pending.add(u));
    if (timer || pending.size === 0) return;
    timer = setTimeout(() => void deps.turns.run(flush, { lane: 'background' }), REFRESH_DELAY_MS);
    timer.unref();
  }

  /** `before` null: it did not exist (every queue it is in, it entered). */
  async function affected(before: Remediation | null, after: Remediation, actorId: string): Promise<string[]> {
    const roles = new Set<Role>();
    for (const q of ROLES_SEEING) if ((before !== null && q.states.includes(before.state)) !== q.states.includes(after.state)) q.roles.forEach((r) => roles.add(r));
    if ((before !== null && overdue(before)) !== overdue(after)) ROLES.forEach((r) => roles.add(r));
    const holders = await Promise.all([...roles].map((r) => deps.roles.usersWith(r)));
    const people = [actorId, after.owner, before?.owner ?? null, ...holders.flat()].filter(isUser);
    return [...new Set(people)].slice(0, MAX_REFRESH);
  }

  async function refreshAfter(before: Remediation | null, after: Remediation, actorId: string): Promise<void> {
    try {
      refreshSoon(await affected(before, after, actorId));
    } catch (e) {
      deps.logger.warn({ err: e, remediationId: after.id }, 'could not refresh App Homes after a step');
    }
  }

  return {
    publish,
    afterChange: refreshAfter,
    afterCreate: (created, actorId) => refreshAfter(null, created, actorId),
  };
}
