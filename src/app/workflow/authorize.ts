/**
 * Checks a person may do something before we even open a modal, and leaves an `access.denied` audit event
 * when they may not. (Transitions check again when applied: this only saves a person a form they can't submit.)
 */
import { err, ok, type Result } from '../../domain/result.js';
import { actorId, can, rolesFor, type Actor, type Permission } from '../../domain/roles.js';
import { instant } from '../../domain/time.js';
import type { AppError } from '../errors.js';
import type { Store } from '../ports.js';

export type Authorize = (actor: Actor, permission: Permission, subject: string, extra?: AppError | null) => Promise<Result<void, AppError>>;

export function createAuthorize({ store, now }: { store: Store; now: () => Date }): Authorize {
  return async (actor, permission, subject, extra = null) => {
    const refusal: AppError | null = can(actor, permission) ? extra : { code: 'auth.forbidden', permission, required: rolesFor(permission) };
    if (!refusal) return ok(undefined);
    await store.audit.append([{ at: instant(now()), actor: actorId(actor), action: 'access.denied', subject, data: { attempted: permission, ...refusal } }]);
    return err(refusal);
  };
}
