/**
 * Every step of the process as a pure function `(remediation, input, ctx) -> Result`. No clock, no I/O: `now` and
 * the actor come in `ctx`; the store applies the result only if the version it read is still current.
 */
import type { DomainError } from './errors.js';
import { err, ok, type Result } from './result.js';
import { actorId, can, rolesFor, type Actor, type Permission } from './roles.js';
import { dueDate, type SlaPolicy } from './sla.js';
import type { Severity } from './severity.js';
import { addDays, instant } from './time.js';
import { passingTesters, type BusinessImpact, type EvidenceFile, type MaintenanceSlot, type Remediation } from './remediation.js';
import { ASSESSABLE_STATES, CHECKABLE_STATES, INTERRUPTIBLE_STATES, SCHEDULABLE_STATES, TESTABLE_STATES, type RemediationState } from './remediation-state.js';

export interface TransitionContext {
  readonly actor: Actor;
  readonly now: Date;
  readonly sla: SlaPolicy;
}

export type Transition<I> = (r: Remediation, input: I, ctx: TransitionContext) => Result<Remediation, DomainError>;

export const TEXT_MAX = 3000;

export function guard(
  r: Remediation,
  action: string,
  allowed: readonly RemediationState[],
  permission: Permission,
  actor: Actor,
): DomainError | null {
  if (!can(actor, permission)) return { code: 'auth.forbidden', permission, required: rolesFor(permission) };
  if (!allowed.includes(r.state)) return { code: 'remediation.invalid_state', action, state: r.state, allowed };
  return null;
}

export function text(field: string, value: string, required = true): DomainError | null {
  if (required && value.trim() === '') return { code: 'input.required', field };
  if (value.length > TEXT_MAX) return { code: 'input.too_long', field, max: TEXT_MAX };
  return null;
}

export const first = (...checks: (DomainError | null)[]): DomainError | null => checks.find((c) => c !== null) ?? null;

export const touch = (r: Remediation, ctx: TransitionContext, patch: Partial<Remediation>): Remediation => ({
  ...r,
  ...patch,
  updatedAt: instant(ctx.now),
});


export interface AssessInput {
  readonly severity: Severity;
  readonly knownExploit: boolean;
  readonly epss: number | null;
  readonly businessImpact: BusinessImpact;
  readonly rationale: string;
  readonly owner: string | null;
}

export const assess: Transition<AssessInput> = (r, input, ctx) => {
  const refused = first(guard(r, 'assess', ASSESSABLE_STATES, 'assess', ctx.actor), text('rationale', input.rationale));
  if (refused) return err(refused);
  const due = dueDate(ctx.sla, input.severity, new Date(r.slaStartAt), r.kevDueAt);
  const owner = input.owner ?? r.owner;
  return ok(
    touch(r, ctx, {
      state: 'assessed',
      severity: input.severity,
      owner,
      // The lead's word replaces the rule's.
      ...(owner !== r.owner ? { ownerRule: 'assessment' } : {}),
      dueAt: due,
      assessment: {
        by: actorId(ctx.actor),
        at: instant(ctx.now),
        severity: input.severity,
        kevListed: r.kevDueAt !== null,
        epss: input.epss,
        knownExploit: input.knownExploit,
        businessImpact: input.businessImpact,
        rationale: input.rationale.trim(),
        owner,
        dueAt: due,
      },
    }),
  );
};

/** An engineer takes the remediation into staging (before any evidence exists). */
export const startTesting: Transition<{ readonly environment: string }> = (r, input, ctx) => {
  const refused = first(guard(r, 'start testing', ['assessed'], 'test', ctx.actor), text('environment', input.environment));
  return refused ? err(refused) : ok(touch(r, ctx, { state: 'testing' }));
};

export interface TestInput {
  readonly id: string;
  readonly environment: string;
  readonly result: 'pass' | 'fail';
  readonly notes: string;
  readonly files: readonly EvidenceFile[];
}

/** Pass moves to `tested`; fail keeps (or puts) the remediation in `testing` with the notes. */
export const recordTest: Transition<TestInput> = (r, input, ctx) => {
  const refused = first(
    guard(r, 'record a test', TESTABLE_STATES, 'test', ctx.actor),
    text('environment', input.environment),
    text('notes', input.notes, input.result === 'fail'),
    input.result === 'pass' && input.files.length === 0 ? { code: 'test.evidence_required' } : null,
  );
  if (refused) return err(refused);
  const test = { ...input, notes: input.notes.trim(), by: actorId(ctx.actor), at: instant(ctx.now) };
  return ok(touch(r, ctx, { state: input.result === 'pass' ? 'tested' : 'testing', tests: [...r.tests, test] }));
};

export interface DecisionInput {
  readonly reason: string;
  readonly changeTicket: string | null;
}

export const approve: Transition<DecisionInput> = (r, input, ctx) => {
  const refused = first(guard(r, 'approve', ['tested'], 'approve', ctx.actor), text('reason', input.reason, false));
  if (refused) return err(refused);
  if (passingTesters(r).includes(actorId(ctx.actor))) return err({ code: 'approval.separation_of_duties' });
  const decision = { decision: 'approved' as const, by: actorId(ctx.actor), at: instant(ctx.now), reason: input.reason.trim(), changeTicket: input.changeTicket };
  return ok(touch(r, ctx, { state: 'approved', decisions: [...r.decisions, decision] }));
};

/** Rejection at approval sends the remediation back to testing with the reason. */
export const reject: Transition<DecisionInput> = (r, input, ctx) => {
  const refused = first(guard(r, 'reject', ['tested'], 'approve', ctx.actor), text('reason', input.reason));
  if (refused) return err(refused);
  const decision = { decision: 'rejected' as const, by: actorId(ctx.actor), at: instant(ctx.now), reason: input.reason.trim(), changeTicket: input.changeTicket };
  return ok(touch(r, ctx, { state: 'testing', decisions: [...r.decisions, decision] }));
};

/** Into a maintenance window (or a new one after a failed deployment). */
export const schedule: Transition<{ readonly slot: MaintenanceSlot }> = (r, { slot }, ctx) => {
  const refused = guard(r, 'schedule', SCHEDULABLE_STATES, 'schedule', ctx.actor);
  if (refused) return err(refused);
  if (slot.endsAt <= instant(ctx.now)) return err({ code: 'schedule.window_in_past', endsAt: slot.endsAt });
  return ok(touch(r, ctx, { state: 'scheduled', schedule: { ...slot, by: actorId(ctx.actor), at: instant(ctx.now) } }));
};

export interface UpstreamCloseInput {
  /** `fixed_upstream`: alert fixed, issue resolved, patch now installed; `dismissed_upstream`: every finding dismissed at the source. */
  readonly resolution: 'fixed_upstream' | 'dismissed_upstream';
  readonly details: Record<string, unknown>;
}

/** The findings closed on their own, outside patchwarden: still verified and recorded, with how. */
export const closeUpstream: Transition<UpstreamCloseInput> = (r, input, ctx) => {
  const refused = guard(r, 'close as fixed upstream', INTERRUPTIBLE_STATES, 'record_outcome', ctx.actor);
  if (refused) return err(refused);
  const verification = { at: instant(ctx.now), clean: true, details: input.details };
  return ok(touch(r, ctx, { state: 'verified', verification, closedAt: instant(ctx.now), resolution: input.resolution }));
};

export interface RiskInput {
  readonly justification: string;
  readonly compensatingControl: string;
  readonly expiresAt: string;
}

export const acceptRisk: Transition<RiskInput> = (r, input, ctx) => {
  const refused = first(
    guard(r, 'accept the risk', INTERRUPTIBLE_STATES, 'accept_risk', ctx.actor),
    text('justification', input.justification),
    text('compensatingControl', input.compensatingControl),
  );
  if (refused) return err(refused);
  if (input.expiresAt <= instant(ctx.now)) return err({ code: 'risk.expiry_in_past', expiresAt: input.expiresAt });
  const max = ctx.sla.riskAcceptanceMaxDays;
  if (input.expiresAt > instant(addDays(ctx.now, max))) return err({ code: 'risk.expiry_too_far', expiresAt: input.expiresAt, maxDays: max });
  const riskAcceptance = {
    by: actorId(ctx.actor),
    at: instant(ctx.now),
    justification: input.justification.trim(),
    compensatingControl: input.compensatingControl.trim(),
    expiresAt: input.expiresAt,
  };
  return ok(touch(r, ctx, { state: 'risk_accepted', riskAcceptance, closedAt: instant(ctx.now), resolution: 'risk_accepted' }));
};

/** At expiry a risk acceptance lapses and the remediation is open again. */
export const expireRiskAcceptance: Transition<Record<string, never>> = (r, _input, ctx) => {
  const refused = guard(r, 'expire the risk acceptance', ['risk_accepted'], 'record_outcome', ctx.actor);
  if (refused) return err(refused);
  const expiresAt = r.riskAcceptance?.expiresAt ?? '';
  if (expiresAt > instant(ctx.now)) return err({ code: 'risk.not_expired', expiresAt });
  return ok(reopened(r, ctx, {}));
};

/** A closed remediation whose finding came back (a later scan, an alert reopened upstream). */
export const reopen: Transition<{ readonly reason: string }> = (r, input, ctx) => {
  const refused = first(guard(r, 'reopen', ['verified', 'risk_accepted'], 'record_outcome', ctx.actor), text('reason', input.reason));
  return refused ? err(refused) : ok(reopened(r, ctx, {}));
};

/** Reopening restarts the SLA clock: the exposure is new. */
function reopened(r: Remediation, ctx: TransitionContext, patch: Partial<Remediation>): Remediation {
  return touch(r, ctx, {
    ...patch,
    state: 'reopened',
    slaStartAt: instant(ctx.now),
    dueAt: dueDate(ctx.sla, r.severity, ctx.now, r.kevDueAt),
    closedAt: null,
    resolution: null,
    reopenCount: r.reopenCount + 1,
  });
}

export interface CheckInput {
  /** What the lead checked, and how it showed the fix is in place. */
  readonly what: string;
  /** Where the proof is (a ticket, a scan report, a screenshot), when there is one. */
  readonly link: string | null;
}

export const isHttpLink = (s: string): boolean => /^https?:\/\/[^\s/$.?#][^\s]*$/i.test(s);

/**
 * A manual remediation (an advisory, a pen-test finding: no source will close it) is verified by a lead's recorded
 * check once it is approved: what was checked and a link to the proof, kept as the verification's evidence.
 */
export const recordCheck: Transition<CheckInput> = (r, input, ctx) => {
  const refused = first(
    guard(r, 'verify by a recorded check', CHECKABLE_STATES, 'record_check', ctx.actor),
    r.remedy.kind === 'manual' ? null : { code: 'verification.not_manual' },
    text('what', input.what),
    // A blank link is no link (what is kept then), not a malformed one.
    input.link !== null && input.link.trim() !== '' && !isHttpLink(input.link.trim()) ? { code: 'input.not_a_link', field: 'link' } : null,
  );
  if (refused) return err(refused);
  const by = actorId(ctx.actor);
  const link = input.link?.trim() || null;
  const verification = {
    at: instant(ctx.now),
    clean: true,
    details: { check: input.what.trim(), link },
    evidence: { kind: 'manual_check' as const, by, what: input.what.trim(), link },
  };
  return ok(touch(r, ctx, { state: 'verified', verification, closedAt: instant(ctx.now), resolution: 'deployed' }));
};
