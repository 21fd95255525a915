/**
 * Step 5, approve and schedule: a lead or approver approves (optionally straight into a maintenance window) or
 * rejects back to testing with a reason; an approved, scheduled or failed remediation is (re)scheduled. Approve +
 * window is ONE write with two audit events (approved, then scheduled): a crash cannot leave it half done. A window
 * that can no longer be booked leaves it approved (the outcome says why). Separation of duties is the domain's.
 */
import type { Asset } from '../../domain/asset.js';
import { slotOptions, type MaintenanceWindowDef, type SlotOption } from '../../domain/maintenance.js';
import { passingTesters, type MaintenanceSlot, type Remediation } from '../../domain/remediation.js';
import { SCHEDULABLE_STATES } from '../../domain/remediation-state.js';
import { err, ok, type Result } from '../../domain/result.js';
import { actorId, can, type Actor, type Permission } from '../../domain/roles.js';
import { approve, reject, schedule, type DecisionInput, type Transition } from '../../domain/transitions.js';
import { instant } from '../../domain/time.js';
import { transitionEvent } from '../audit.js';
import type { EffectInput } from '../outbox/effects.js';
import type { Applied, ApplyStep, FollowUp, Step } from './apply-step.js';
import type { CheckStep } from './check-step.js';
import type { AppError } from '../errors.js';
import type { Store } from '../ports.js';

export type DecisionForm =
  | { readonly kind: 'approve'; readonly reason: string; readonly changeTicket: string | null; readonly slotKey: string | null }
  | { readonly kind: 'reject'; readonly reason: string; readonly changeTicket: string | null }
  | { readonly kind: 'schedule'; readonly slotKey: string };

/** `decide`: approve or reject tested work; `schedule`: pick a window for approved, scheduled or failed work. */
export type DecisionMode = 'decide' | 'schedule';

export interface Gate {
  readonly mode: DecisionMode;
  readonly permission: Permission;
  /** A refusal beyond the role (the passing tester may not approve), for the authorizer to audit. */
  readonly extra: AppError | null;
  /** Whether the person may also pick a window (only leads schedule). */
  readonly offerWindows: boolean;
}

export interface DecisionOutcome {
  readonly before: Remediation;
  readonly after: Remediation;
  readonly steps: readonly ('approved' | 'rejected' | 'scheduled')[];
  readonly slot: MaintenanceSlot | null;
  /** Approved, but the window could not be booked (the approval stands). */
  readonly scheduleRefused: AppError | null;
}

export interface DecideDeps {
  readonly store: Store;
  readonly windows: readonly MaintenanceWindowDef[];
  readonly timeZone: string;
  readonly now: () => Date;
  readonly applyStep: ApplyStep;
  readonly checkStep: CheckStep;
  /** How the interface names a slot it offers (src/slack: a select option's value); a submitted `slotKey` is matched by it. */
  readonly slotKey: (slot: MaintenanceSlot) => string;
}

export interface DecideUseCase {
  gate(r: Remediation, actor: Actor): Result<Gate, AppError>;
  /** The windows to offer, those meeting the due date first. */
  slotsFor(r: Remediation): Promise<SlotOption[]>;
  targets(r: Remediation): Promise<Asset[]>;
  check(id: string, form: DecisionForm, actor: Actor): Promise<AppError | null>;
  /** Records the decision, with the Slack effects `followUp` says it owes (given the outcome as it is written). */
  run(id: string, form: DecisionForm, actor: Actor, followUp?: (o: DecisionOutcome) => readonly EffectInput[]): Promise<Result<DecisionOutcome, AppError>>;
}

/** Slots looked through when resolving a submitted choice: the offer may be a few windows old by then. */
const OFFERED_PER_WINDOW = 3;
const RESOLVED_PER_WINDOW = 12;

const APPROVE: Step<DecisionInput> = { transition: approve, action: 'remediation.approved' };
const REJECT: Step<DecisionInput> = { transition: reject, action: 'remediation.rejected' };
const SCHEDULE: Step<{ readonly slot: MaintenanceSlot }> = { transition: schedule, action: 'remediation.scheduled', data: ({ slot }) => ({ ...slot }) };

/** Approve, then book the window when one was picked: what a lead's one submission means. */
const approveInto = (slot: MaintenanceSlot | null): Transition<DecisionInput> => (r, input, ctx) => {
  const approved = approve(r, input, ctx);
  return approved.ok && slot ? schedule(approved.value, { slot }, ctx) : approved;
};

/**
 * Approve and book the window in one write; `refused` learns why the window could not be booked (the approval is
 * written alone then), as of the plan that was written.
 */
function approveAndSchedule(slot: MaintenanceSlot, refused: { error: AppError | null }): Step<DecisionInput> {
  return {
    action: 'remediation.approved',
    transition: (r, input, ctx) => {
      const approved = approve(r, input, ctx);
      if (!approved.ok) return approved;
      const scheduled = schedule(approved.value, { slot }, ctx);
      refused.error = scheduled.ok ? null : scheduled.error;
      return scheduled.ok ? scheduled : approved;
    },
    events: (input, { before, after }, at, actor) => {
      const approved = { ...after, state: 'approved' as const };
      const events = [transitionEvent('remediation.approved', at, actor, before, approved, { ...input })];
      if (after.state === 'scheduled') events.push(transitionEvent('remediation.scheduled', at, actor, approved, after, { ...slot }));
      // Not theirs to book (only leads schedule): refused, and recorded as every refusal of authority is.
      else if (refused.error?.code === 'auth.forbidden') {
        events.push({ at: instant(at), actor, action: 'access.denied', subject: before.id, data: { attempted: 'remediation.scheduled', state: 'approved', ...refused.error } });
      }
      return events;
    },
  };
}

export function createDecide({ store, windows, timeZone, now, applyStep, checkStep, slotKey }: DecideDeps): DecideUseCase {
  async function environmentOf(r: Remediation): Promise<string | null> {
    if (r.remedy.kind === 'os_patches') return r.remedy.environment;
    const envs = new Set((await store.assets.getMany(r.assetIds)).map((a) => a.environment).filter((e): e is string => e !== null));
    return envs.size === 1 ? [...envs][0]! : null;
  }
  const options = async (r: Remediation, perWindow: number): Promise<SlotOption[]> =>
    slotOptions(windows, timeZone, now(), r.dueAt, await environmentOf(r), perWindow);

  /** The slot behind a submitted key, if it is still one we would offer. */
  async function resolve(id: string, key: string | null): Promise<Result<MaintenanceSlot | null, AppError>> {
    if (key === null) return ok(null);
    const r = await store.remediations.get(id);
    if (!r) return err({ code: 'remediation.not_found', id });
    const found = (await options(r, RESOLVED_PER_WINDOW)).find((o) => slotKey(o.slot) === key);
    return found ? ok(found.slot) : err({ code: 'schedule.window_unknown' });
  }

  const outcome = (before: Remediation, after: Remediation, steps: DecisionOutcome['steps'], slot: MaintenanceSlot | null, scheduleRefused: AppError | null = null): DecisionOutcome =>
    ({ before, after, steps, slot, scheduleRefused });

  return {
    gate(r, actor) {
      if (r.state === 'tested') {
        const tester = passingTesters(r).includes(actorId(actor));
        return ok({ mode: 'decide', permission: 'approve', extra: tester ? { code: 'approval.separation_of_duties' } : null, offerWindows: can(actor, 'schedule') });
      }
      if (SCHEDULABLE_STATES.includes(r.state)) return ok({ mode: 'schedule', permission: 'schedule', extra: null, offerWindows: true });
      return err({ code: 'remediation.invalid_state', action: 'approve or schedule', state: r.state, allowed: ['tested', ...SCHEDULABLE_STATES] });
    },

    slotsFor: (r) => options(r, OFFERED_PER_WINDOW),
    targets: (r) => store.assets.getMany(r.assetIds),

    async check(id, form, actor) {
      const slot = await resolve(id, form.kind === 'reject' ? null : form.slotKey);
      if (!slot.ok) return slot.error;
      const result =
        form.kind === 'approve'
          ? await checkStep(id, approveInto(slot.value), form, actor)
          : form.kind === 'reject'
            ? await checkStep(id, reject, form, actor)
            : await checkStep(id, schedule, { slot: slot.value! }, actor);
      return result.ok ? null : result.error;
    },

    async run(id, form, actor, followUp) {
      const slot = await resolve(id, form.kind === 'reject' ? null : form.slotKey);
      if (!slot.ok) return slot;
      const after = (steps: DecisionOutcome['steps'], booked: MaintenanceSlot | null, refused: { error: AppError | null } = { error: null }) =>
        (w: Applied) => outcome(w.before, w.after, w.after.state === 'scheduled' ? steps : steps.filter((s) => s !== 'scheduled'), w.after.state === 'scheduled' ? booked : null, refused.error);
      const write = async (step: Step<DecisionInput> | Step<{ readonly slot: MaintenanceSlot }>, input: DecisionInput | { readonly slot: MaintenanceSlot }, of: (w: Applied) => DecisionOutcome) => {
        const follow: FollowUp | undefined = followUp && ((w) => followUp(of(w)));
        const written: Result<Applied, AppError> = await applyStep(id, step as Step<typeof input>, input, actor, follow);
        return written.ok ? ok(of(written.value)) : written;
      };
      if (form.kind === 'schedule') return write(SCHEDULE, { slot: slot.value! }, after(['scheduled'], slot.value));
      const decision = { reason: form.reason, changeTicket: form.changeTicket };
      if (form.kind === 'reject') return write(REJECT, decision, after(['rejected'], null));
      if (!slot.value) return write(APPROVE, decision, after(['approved'], null));
      const refused = { error: null as AppError | null };
      return write(approveAndSchedule(slot.value, refused), decision, after(['approved', 'scheduled'], slot.value, refused));
    },
  };
}
