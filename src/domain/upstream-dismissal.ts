/**
 * A dismissal (or an ignore) at the source is a risk decision someone else made outside the process: it does not
 * close the remediation. When every open finding of a remediation is dismissed upstream, the bot records who and
 * why as the source gives it and holds the remediation in `dismissal_review`, open and counting against the SLA,
 * until a lead confirms it as a risk acceptance (with its expiry, under the policy's cap) or rejects it (the work
 * goes on where it stood). A finding reopened at the source withdraws it the same way.
 */
import type { Source } from './asset.js';
import type { FindingDismissal } from './finding.js';
import { err, ok } from './result.js';
import { actorId } from './roles.js';
import { DISMISSIBLE_STATES, type RemediationState } from './remediation-state.js';
import type { Instant } from './time.js';
import { instant } from './time.js';
import { first, guard, riskAccepted, text, touch, type RiskInput, type Transition } from './transitions.js';

/** One finding as the source dismissed it. */
export interface DismissedFinding extends FindingDismissal {
  readonly findingId: string;
  readonly source: Source;
  readonly dismissedAt: Instant | null;
}

export interface DismissalDecision {
  /** `confirmed` (a lead, as a risk acceptance), `rejected` (a lead), `withdrawn` (the source reopened a finding). */
  readonly outcome: 'confirmed' | 'rejected' | 'withdrawn';
  readonly by: string;
  readonly at: Instant;
  readonly reason: string;
}

export interface UpstreamDismissal {
  /** When the bot saw it. */
  readonly at: Instant;
  /** Where the remediation stood; a rejection or a withdrawal returns it there. */
  readonly stateBefore: RemediationState;
  readonly findings: readonly DismissedFinding[];
  readonly decision: DismissalDecision | null;
}

/** The same dismissal: the same findings, dismissed at the same times (a lead's rejection of it stands). */
export function sameDismissal(a: readonly DismissedFinding[], b: readonly DismissedFinding[]): boolean {
  const key = (xs: readonly DismissedFinding[]) => xs.map((f) => `${f.findingId}@${f.dismissedAt ?? ''}`).sort().join('|');
  return key(a) === key(b);
}

/** The bot holds the remediation for a lead's decision (from any open state but a running deployment). */
export const holdDismissal: Transition<{ readonly findings: readonly DismissedFinding[] }> = (r, input, ctx) => {
  const refused = guard(r, 'hold for a decision on the dismissal', DISMISSIBLE_STATES, 'record_outcome', ctx.actor);
  if (refused) return err(refused);
  if (input.findings.length === 0) return err({ code: 'input.required', field: 'findings' });
  const upstreamDismissal: UpstreamDismissal = { at: instant(ctx.now), stateBefore: r.state, findings: [...input.findings], decision: null };
  return ok(touch(r, ctx, { state: 'dismissal_review', upstreamDismissal }));
};

const decided = (d: UpstreamDismissal | null | undefined, decision: DismissalDecision): UpstreamDismissal | null => (d ? { ...d, decision } : null);

/** A lead confirms the dismissal as a risk acceptance: justification, compensating control, expiry (capped). */
export const confirmDismissal: Transition<RiskInput> = (r, input, ctx) => {
  const accepted = riskAccepted(r, input, ctx, ['dismissal_review'], 'confirm the dismissal of');
  if (!accepted.ok) return accepted;
  const decision: DismissalDecision = { outcome: 'confirmed', by: actorId(ctx.actor), at: instant(ctx.now), reason: input.justification.trim() };
  return ok({ ...accepted.value, upstreamDismissal: decided(r.upstreamDismissal, decision) });
};

/** A lead rejects the dismissal: the remediation is worked on from where it stood, with the reason recorded. */
export const rejectDismissal: Transition<{ readonly reason: string }> = (r, input, ctx) => {
  const refused = first(guard(r, 'reject the dismissal of', ['dismissal_review'], 'accept_risk', ctx.actor), text('reason', input.reason));
  if (refused) return err(refused);
  const decision: DismissalDecision = { outcome: 'rejected', by: actorId(ctx.actor), at: instant(ctx.now), reason: input.reason.trim() };
  return ok(touch(r, ctx, { state: r.upstreamDismissal?.stateBefore ?? 'new', upstreamDismissal: decided(r.upstreamDismissal, decision) }));
};

/** The source reopened a dismissed finding before a lead decided: back where it stood. */
export const withdrawDismissal: Transition<{ readonly reason: string }> = (r, input, ctx) => {
  const refused = guard(r, 'withdraw the dismissal of', ['dismissal_review'], 'record_outcome', ctx.actor);
  if (refused) return err(refused);
  const decision: DismissalDecision = { outcome: 'withdrawn', by: actorId(ctx.actor), at: instant(ctx.now), reason: input.reason };
  return ok(touch(r, ctx, { state: r.upstreamDismissal?.stateBefore ?? 'new', upstreamDismissal: decided(r.upstreamDismissal, decision) }));
};
