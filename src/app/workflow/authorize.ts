/**
 * Checks a person may do something before we even open a modal, and leaves an `access.denied` audit event
 * when they may not (at most one per person, subject and hour: record-denial.ts). (Transitions check again when applied: this only saves a person a form they can't submit.)
 */
import { err, ok, type Result } from '../../domain/result.js';
import { actorId, can, rolesFor, type Actor, type Permission } from '../../domain/roles.js';
import type { AppError } from '../errors.js';
import type { Store } from '../ports.js';
import { createRecordDenial, type RecordDenial } from './record-denial.js';

export type Authorize = (actor: Actor, permission: Permission, subject: string, extra?: AppError | null) => Promise<Result<void, AppError>>;

export interface AuthorizeDeps {
  readonly store: Store;
  readonly now: () => Date;
  /** How a refusal is audited (one event per person, subject and hour: record-denial.ts). */
  readonly recordDenial?: RecordDenial;
}

export function createAuthorize({ store, now, recordDenial = createRecordDenial({ store }) }: AuthorizeDeps): Authorize {
  return async (actor, permission, subject, extra = null) => {
    const refusal: AppError | null = can(actor, permission) ? extra : { code: 'auth.forbidden', permission, required: rolesFor(permission) };
    if (!refusal) return ok(undefined);
    await recordDenial({ actor: actorId(actor), subject, at: now(), data: { attempted: permission, ...refusal } });
    return err(refusal);
  };
}
