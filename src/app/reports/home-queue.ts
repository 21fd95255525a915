/**
 * What is waiting for one person, by the roles they hold: remediations to assess (leads), to test (engineers and
 * leads; their own first), to approve (leads and approvers; never what they tested themselves) and overdue
 * (everyone with a role). Each list is short (`perSection`) with the full count beside it.
 */
import { passingTesters, type Remediation } from '../../domain/remediation.js';
import { OPEN_STATES, type RemediationState } from '../../domain/remediation-state.js';
import { can, type Role } from '../../domain/roles.js';
import { instant } from '../../domain/time.js';
import type { RemediationQuery, Store } from '../ports.js';
import type { RoleResolver } from '../role-resolver.js';

export interface QueueSection {
  readonly items: readonly Remediation[];
  /** How many there are in all (items holds the first few). */
  readonly total: number;
}

export interface HomeQueue {
  readonly userId: string;
  readonly roles: readonly Role[];
  /** Null when the person's roles don't include that work. */
  readonly toAssess: QueueSection | null;
  readonly toTest: QueueSection | null;
  readonly toApprove: QueueSection | null;
  readonly overdue: QueueSection | null;
  /** Who sets roles, for someone who has none yet. */
  readonly leads: readonly string[];
}

export const QUEUE_STATES = {
  /** Leads: new and reopened work, and dismissals at the source waiting for their decision. */
  toAssess: ['new', 'reopened', 'dismissal_review'],
  toTest: ['assessed', 'testing'],
  toApprove: ['tested'],
} as const satisfies Record<string, readonly RemediationState[]>;

/** How many tested remediations are looked through to leave out the ones this person tested. */
const APPROVAL_SCAN = 500;

/**
 * Queries shared by the queues built together (one refresh of many homes): the same list is read once. Only for
 * a moment: a cache lives as long as one refresh.
 */
export type QueryCache = Map<string, Promise<unknown>>;

export type LoadHomeQueue = (userId: string, shared?: QueryCache) => Promise<HomeQueue>;

export function createHomeQueue({ store, roles, now, perSection = 8 }: { store: Store; roles: RoleResolver; now: () => Date; perSection?: number }): LoadHomeQueue {
  const repo = store.remediations;
  const once = <T>(cache: QueryCache | undefined, key: unknown[], load: () => Promise<T>): Promise<T> => {
    if (!cache) return load();
    const k = JSON.stringify(key);
    const hit = cache.get(k) as Promise<T> | undefined;
    if (hit) return hit;
    const loaded = load();
    cache.set(k, loaded);
    return loaded;
  };

  /** One instant per refresh, so every home of it asks the same overdue question (and shares the answer). */
  const instants = new WeakMap<QueryCache, string>();
  function queries(cache: QueryCache | undefined) {
    const at = cache ? (instants.get(cache) ?? instants.set(cache, instant(now())).get(cache)!) : instant(now());
    return {
      at,
      list: (q: RemediationQuery) => once(cache, ['list', q], () => repo.list(q)),
      count: (q: RemediationQuery) => once(cache, ['count', q], () => repo.count(q)),
    };
  }

  async function section(list: ReturnType<typeof queries>, states: readonly RemediationState[]): Promise<QueueSection> {
    const [items, total] = await Promise.all([list.list({ states, limit: perSection }), list.count({ states })]);
    return { items, total };
  }

  async function toTest(list: ReturnType<typeof queries>, userId: string): Promise<QueueSection> {
    const states = QUEUE_STATES.toTest;
    const [mine, all, total] = await Promise.all([
      list.list({ states, owner: userId, limit: perSection }),
      list.list({ states, limit: perSection }),
      list.count({ states }),
    ]);
    const items = [...mine, ...all.filter((r) => r.owner !== userId)].slice(0, perSection);
    return { items, total };
  }

  async function toApprove(list: ReturnType<typeof queries>, userId: string): Promise<QueueSection> {
    const states = QUEUE_STATES.toApprove;
    const [scanned, total] = await Promise.all([list.list({ states, limit: APPROVAL_SCAN }), list.count({ states })]);
    const theirs = scanned.filter((r) => passingTesters(r).includes(userId)).length;
    const items = scanned.filter((r) => !passingTesters(r).includes(userId));
    return { items: items.slice(0, perSection), total: total - theirs };
  }

  async function overdue(list: ReturnType<typeof queries>): Promise<QueueSection> {
    const query = { states: OPEN_STATES, dueBefore: list.at };
    const [items, total] = await Promise.all([list.list({ ...query, limit: perSection }), list.count(query)]);
    return { items, total };
  }

  return async (userId, shared) => {
    const list = queries(shared);
    const actor = await roles.actorFor(userId);
    const held = actor.kind === 'user' ? actor.roles : [];
    const when = <T>(yes: boolean, load: () => Promise<T>): Promise<T | null> => (yes ? load() : Promise.resolve(null));
    const [toAssessS, toTestS, toApproveS, overdueS, leads] = await Promise.all([
      when(can(actor, 'assess'), () => section(list, QUEUE_STATES.toAssess)),
      when(can(actor, 'test'), () => toTest(list, userId)),
      when(can(actor, 'approve'), () => toApprove(list, userId)),
      when(held.length > 0, () => overdue(list)),
      held.length > 0 ? Promise.resolve([]) : roles.usersWith('lead'),
    ]);
    return { userId, roles: held, toAssess: toAssessS, toTest: toTestS, toApprove: toApproveS, overdue: overdueS, leads };
  };
}
