/**
 * Who has which role: the policy file names Slack users (U…/W…) and user groups (S…). Group members are
 * looked up through the directory (Slack's usergroups.users.list) and cached for ROLE_CACHE_MS: someone added to
 * or removed from a user group holds the new roles within a minute.
 */
import { ROLES, userActor, type Actor, type Role } from '../domain/roles.js';

export interface Directory {
  /** User ids in a user group. */
  groupMembers(groupId: string): Promise<readonly string[]>;
}

export type RolePolicy = Readonly<Record<Role, readonly string[]>>;

export interface RoleResolver {
  rolesOf(userId: string): Promise<Role[]>;
  actorFor(userId: string): Promise<Actor>;
  /** Every user holding a role (groups expanded), e.g. the managers to mention at a breach. */
  usersWith(role: Role): Promise<string[]>;
}

/** How long a user group's members are trusted before Slack is asked again. */
export const ROLE_CACHE_MS = 60_000;

export function createRoleResolver(policy: RolePolicy, directory: Directory, options: { ttlMs?: number; now?: () => number } = {}): RoleResolver {
  const ttlMs = options.ttlMs ?? ROLE_CACHE_MS;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; members: Promise<readonly string[]> }>();

  const members = (groupId: string): Promise<readonly string[]> => {
    const hit = cache.get(groupId);
    if (hit && now() - hit.at < ttlMs) return hit.members;
    const fresh = directory.groupMembers(groupId);
    cache.set(groupId, { at: now(), members: fresh });
    // A failed lookup is not cached: the next request tries again.
    fresh.catch(() => cache.delete(groupId));
    return fresh;
  };

  const usersWith = async (role: Role): Promise<string[]> => {
    const principals = policy[role];
    const users = principals.filter((p) => !p.startsWith('S'));
    const groups = await Promise.all(principals.filter((p) => p.startsWith('S')).map(members));
    return [...new Set([...users, ...groups.flat()])];
  };

  const rolesOf = async (userId: string): Promise<Role[]> => {
    const held = await Promise.all(ROLES.map(async (role) => ((await usersWith(role)).includes(userId) ? role : null)));
    return held.filter((r): r is Role => r !== null);
  };

  return { rolesOf, usersWith, actorFor: async (userId) => userActor(userId, await rolesOf(userId)) };
}
