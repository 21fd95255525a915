/**
 * Step 5, approve and schedule: a lead or approver approves (optionally straight into a maintenance window) or
 * rejects back to testing with a reason; an approved, scheduled or failed remediation is (re)scheduled. Each
 * step is its own applyStep, so approve + window leaves two audit events. Separation of duties is the domain's.
 */
import type { Asset } from '../../domain/asset.js';
import { slotOptions, type MaintenanceWindowDef, type SlotOption } from '../../domain/maintenance.js';
import { passingTesters, type MaintenanceSlot, type Remediation } from '../../domain/remediation.js';
import { SCHEDULABLE_STATES } from '../../domain/remediation-state.js';
import { err, ok, type Result } from '../../domain/result.js';
import { actorId, can, type Actor, type Permission } from '../../domain/roles.js';
import { approve, reject, schedule, type DecisionInput, type Transition } from '../../domain/transitions.js';
import type { Applied, ApplyStep, Step } from './apply-step.js';
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
  run(id: string, form: DecisionForm, actor: Actor): Promise<Result<DecisionOutcome, AppError>>;
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

    async run(id, form, actor) {
      const slot = await resolve(id, form.kind === 'reject' ? null : form.slotKey);
      if (!slot.ok) return slot;
      if (form.kind === 'schedule') {
        const s = await applyStep(id, SCHEDULE, { slot: slot.value! }, actor);
        return s.ok ? ok(outcome(s.value.before, s.value.after, ['scheduled'], slot.value)) : s;
      }
      if (form.kind === 'reject') {
        const rj = await applyStep(id, REJECT, { reason: form.reason, changeTicket: form.changeTicket }, actor);
        return rj.ok ? ok(outcome(rj.value.before, rj.value.after, ['rejected'], null)) : rj;
      }
      const a: Result<Applied, AppError> = await applyStep(id, APPROVE, { reason: form.reason, changeTicket: form.changeTicket }, actor);
      if (!a.ok) return a;
      if (!slot.value) return ok(outcome(a.value.before, a.value.after, ['approved'], null));
      const s = await applyStep(id, SCHEDULE, { slot: slot.value }, actor);
      if (!s.ok) return ok(outcome(a.value.before, a.value.after, ['approved'], null, s.error));
      return ok(outcome(a.value.before, s.value.after, ['approved', 'scheduled'], slot.value));
    },
  };
}
