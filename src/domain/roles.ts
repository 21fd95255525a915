export const ROLES = ['lead', 'engineer', 'approver', 'manager', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** Who does something: a Slack user with the roles the policy file gives them, or the bot itself (cron, sync). */
export type Actor =
  | { readonly kind: 'user'; readonly userId: string; readonly roles: readonly Role[] }
  | { readonly kind: 'system'; readonly name: string };

export const userActor = (userId: string, roles: readonly Role[]): Actor => ({ kind: 'user', userId, roles });
export const systemActor = (name: string): Actor => ({ kind: 'system', name });

/** The audit log's name for an actor: a Slack user id, or `system:<job>`. */
export const actorId = (a: Actor): string => (a.kind === 'user' ? a.userId : `system:${a.name}`);

/** The bot's own actors, one per job: who the audit log names when no person acted. */
export const SYSTEM = {
  sync: systemActor('sync'),
  digest: systemActor('digest'),
  reminders: systemActor('reminders'),
  deploy: systemActor('deploy'),
  outbox: systemActor('outbox'),
  /** Someone at a terminal running `patchwarden` (the CLI has no Slack identity). */
  cli: systemActor('cli'),
} as const;

/** Their audit names (`system:sync`…). */
export const SYSTEM_ID = {
  sync: actorId(SYSTEM.sync),
  digest: actorId(SYSTEM.digest),
  reminders: actorId(SYSTEM.reminders),
  deploy: actorId(SYSTEM.deploy),
  outbox: actorId(SYSTEM.outbox),
  cli: actorId(SYSTEM.cli),
} as const;

/**
 * Who may do what. Leads run the process; engineers record tests (leads may too: separation of duties then keeps
 * them from approving their own evidence); approvers may approve or reject; managers and auditors read.
 * `system` marks what only the bot does (deployment results, verification, reopening).
 */
export const PERMISSIONS = {
  read: ['lead', 'engineer', 'approver', 'manager', 'auditor'],
  assess: ['lead'],
  test: ['engineer', 'lead'],
  approve: ['lead', 'approver'],
  schedule: ['lead'],
  deploy: ['lead', 'system'],
  approve_emergency: ['lead'],
  accept_risk: ['lead'],
  sync: ['lead', 'system'],
  digest: ['lead', 'system'],
  evidence: ['lead', 'manager', 'auditor'],
  record_outcome: ['system'],
  review_advisory: ['lead'],
  create_remediation: ['lead'],
  record_check: ['lead'],
} as const satisfies Record<string, readonly (Role | 'system')[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(actor: Actor, permission: Permission): boolean {
  const allowed: readonly (Role | 'system')[] = PERMISSIONS[permission];
  if (actor.kind === 'system') return allowed.includes('system');
  return actor.roles.some((r) => allowed.includes(r));
}

/** Roles a human needs for a permission, for the refusal message. */
export const rolesFor = (permission: Permission): Role[] =>
  PERMISSIONS[permission].filter((r): r is Role => r !== 'system');
