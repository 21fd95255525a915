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

/** Remediations whose EPSS is remembered (by version): the modal's and the step's read of one assessment. */
const EPSS_REMEMBERED = 500;

export function createAssess({ store, sla, applyStep, checkStep }: AssessDeps): AssessUseCase {
  // An OS patch run can group thousands of findings: read them once per version of the remediation, not once for the
  // modal and again for the step.
  const remembered = new Map<string, Promise<number | null>>();
  const epssOf = (r: Remediation): Promise<number | null> => {
    const key = `${r.id}@${r.version}`;
    let epss = remembered.get(key);
    if (!epss) {
      epss = store.findings.getMany(r.findingIds).then((findings) => {
        const scores = findings.map((f) => f.epss).filter((e): e is number => e !== null);
        return scores.length > 0 ? Math.max(...scores) : null;
      });
      epss.catch(() => remembered.delete(key));
      remembered.set(key, epss);
      if (remembered.size > EPSS_REMEMBERED) remembered.delete(remembered.keys().next().value!);
    }
    return epss;
  };
  const input = async (id: string, form: AssessForm): Promise<AssessInput> => {
    const r = await store.remediations.get(id);
    return { ...form, epss: r ? await epssOf(r) : null };
  };

  return {
    exploitability: async (r) => ({ kevDueAt: r.kevDueAt, epss: await epssOf(r) }),
    dueDateFor: (r, severity) => dueDate(sla, severity, new Date(r.slaStartAt), r.kevDueAt),
    // Before the modal's ack: what would be refused does not depend on the EPSS, so none is read.
    check: async (id, form, actor) => {
      const result = await checkStep(id, assessTransition, { ...form, epss: null }, actor);
      return result.ok ? null : result.error;
    },
    run: async (id, form, actor, followUp) => applyStep(id, STEP, await input(id, form), actor, followUp),
  };
}
