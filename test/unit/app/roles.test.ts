import { createRoleResolver, type Directory } from '../../../src/app/role-resolver.js';

function directory(groups: Record<string, string[]>) {
  const calls: string[] = [];
  let failing = false;
  const d: Directory = {
    groupMembers: async (id) => {
      calls.push(id);
      if (failing) throw new Error('slack down');
      return groups[id] ?? [];
    },
  };
  return { d, calls, fail: (f: boolean) => (failing = f) };
}

const policy = { lead: ['U0LEAD'], engineer: ['S0ENG', 'U0SOLO'], approver: ['S0CAB'], manager: ['U0MGR'], auditor: [] };

describe('role resolution', () => {
  it('gives roles from user ids and from user groups', async () => {
    const { d } = directory({ S0ENG: ['U0ENG1', 'U0LEAD'], S0CAB: ['U0ENG1'] });
    const roles = createRoleResolver(policy, d);
    expect(await roles.rolesOf('U0LEAD')).toEqual(['lead', 'engineer']);
    expect(await roles.rolesOf('U0ENG1')).toEqual(['engineer', 'approver']);
    expect(await roles.rolesOf('U0SOLO')).toEqual(['engineer']);
    expect(await roles.rolesOf('U0STRANGER')).toEqual([]);
    expect(await roles.actorFor('U0MGR')).toEqual({ kind: 'user', userId: 'U0MGR', roles: ['manager'] });
    expect((await roles.usersWith('engineer')).sort()).toEqual(['U0ENG1', 'U0LEAD', 'U0SOLO']);
  });

  it('caches group members for the TTL', async () => {
    const { d, calls } = directory({ S0ENG: ['U1'], S0CAB: [] });
    let t = 0;
    const roles = createRoleResolver(policy, d, { ttlMs: 1000, now: () => t });
    await roles.rolesOf('U1');
    await roles.rolesOf('U1');
    expect(calls.filter((c) => c === 'S0ENG')).toHaveLength(1);
    t = 1001;
    await roles.rolesOf('U1');
    expect(calls.filter((c) => c === 'S0ENG')).toHaveLength(2);
  });

  it('someone removed from a user group loses its role within a minute', async () => {
    const groups = { S0ENG: ['U1'], S0CAB: [] as string[] };
    let t = 0;
    const roles = createRoleResolver(policy, directory(groups).d, { now: () => t });
    expect(await roles.rolesOf('U1')).toEqual(['engineer']);
    groups.S0ENG = [];
    t = 59_000;
    expect(await roles.rolesOf('U1')).toEqual(['engineer']);
    t = 60_001;
    expect(await roles.rolesOf('U1')).toEqual([]);
  });

  it('does not cache a failed lookup', async () => {
    const { d, calls, fail } = directory({ S0ENG: ['U1'], S0CAB: [] });
    const roles = createRoleResolver(policy, d);
    fail(true);
    await expect(roles.rolesOf('U1')).rejects.toThrow('slack down');
    fail(false);
    expect(await roles.rolesOf('U1')).toEqual(['engineer']);
    expect(calls.filter((c) => c === 'S0ENG').length).toBe(2);
  });
});
