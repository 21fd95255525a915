/**
 * Step 3, assess: a lead sets severity, exploitability, business impact, rationale and owner; the due date
 * follows from the SLA policy. The EPSS score is the highest among the remediation's findings.
 */
import type { BusinessImpact, Remediation } from '../../domain/remediation.js';
import type { Result } from '../../domain/result.js';
import type { Actor } from '../../domain/roles.js';
import type { Severity } from '../../domain/severity.js';
import { dueDate, type SlaPolicy } from '../../domain/sla.js';
import type { Instant } from '../../domain/time.js';
import { assess as assessTransition, type AssessInput } from '../../domain/transitions.js';
import type { Applied, ApplyStep, FollowUp, Step } from './apply-step.js';
import type { CheckStep } from './check-step.js';
import type { AppError } from '../errors.js';
import type { Store } from '../ports.js';

export interface AssessForm {
  readonly severity: Severity;
  readonly knownExploit: boolean;
  readonly businessImpact: BusinessImpact;
  readonly rationale: string;
  readonly owner: string | null;
}

export interface Exploitability {
  /** CISA's due date when a CVE is on the KEV catalogue. */
  readonly kevDueAt: Instant | null;
  /** The highest EPSS probability (0..1) among its findings, when known. */
  readonly epss: number | null;
}

export interface AssessDeps {
  readonly store: Store;
  readonly sla: SlaPolicy;
  readonly applyStep: ApplyStep;
  readonly checkStep: CheckStep;
}

export interface AssessUseCase {
  exploitability(r: Remediation): Promise<Exploitability>;
  /** The due date an assessment with this severity would give. */
  dueDateFor(r: Remediation, severity: Severity): Instant;
  /** What submitting would be refused for, without recording anything. */
  check(id: string, form: AssessForm, actor: Actor): Promise<AppError | null>;
  /** Records the assessment, with the Slack effects `followUp` says it owes. */
  run(id: string, form: AssessForm, actor: Actor, followUp?: FollowUp): Promise<Result<Applied, AppError>>;
}

const STEP: Step<AssessInput> = { transition: assessTransition, action: 'remediation.assessed' };

export function createAssess({ store, sla, applyStep, checkStep }: AssessDeps): AssessUseCase {
  const epssOf = async (r: Remediation): Promise<number | null> => {
    const findings = await store.findings.getMany(r.findingIds);
    const scores = findings.map((f) => f.epss).filter((e): e is number => e !== null);
    return scores.length > 0 ? Math.max(...scores) : null;
  };
  const input = async (id: string, form: AssessForm): Promise<AssessInput> => {
    const r = await store.remediations.get(id);
    return { ...form, epss: r ? await epssOf(r) : null };
  };

  return {
    exploitability: async (r) => ({ kevDueAt: r.kevDueAt, epss: await epssOf(r) }),
    dueDateFor: (r, severity) => dueDate(sla, severity, new Date(r.slaStartAt), r.kevDueAt),
    check: async (id, form, actor) => {
      const result = await checkStep(id, assessTransition, await input(id, form), actor);
      return result.ok ? null : result.error;
    },
    run: async (id, form, actor, followUp) => applyStep(id, STEP, await input(id, form), actor, followUp),
  };
}
