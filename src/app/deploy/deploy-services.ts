/** The deploy use cases, built once (main.ts) and shared by the Slack listeners, the runner and the reports. */
import type { Remediation } from '../../domain/remediation.js';
import { err, type Result } from '../../domain/result.js';
import type { AppError } from '../errors.js';
import { createCheckStep } from '../workflow/check-step.js';
import { createDeployWork, type DeployWork } from './advance.js';
import type { DeployDeps } from './deploy-deps.js';
import type { Announcer } from './deploy-events.js';
import { createEmergencyApprovals, pendingEmergencies, type EmergencyApprovals, type PendingEmergency } from './emergencies.js';
import { createMarkDeployed, type MarkDeployed } from './mark-deployed.js';
import { createRecordChecks, type RecordChecks } from './record-checks.js';
import { deployPlan, type DeployPlan } from './start-deployment.js';

export interface DeployServices {
  readonly work: DeployWork;
  readonly markDeployed: MarkDeployed;
  readonly approvals: EmergencyApprovals;
  readonly recordChecks: RecordChecks;
  /** What deploying would do, as the store sees it (the modals' blast radius). */
  plan(r: Remediation): Promise<Result<DeployPlan, AppError>>;
  pendingEmergencies(): Promise<PendingEmergency[]>;
  readonly announcer: Announcer;
  /** Hands a remediation to the runner now (after a person started something). */
  kick(id: string): void;
}

export function createDeployServices(deps: DeployDeps, kick: (id: string) => void): DeployServices {
  const { store, policy, applyStep, authorize, now } = deps;
  const checkStep = createCheckStep({ store, sla: policy.sla, now });
  return {
    work: createDeployWork(deps),
    markDeployed: createMarkDeployed({ store, applyStep, checkStep, ...(deps.newId ? { newId: deps.newId } : {}) }),
    approvals: createEmergencyApprovals({ store, applyStep, sla: policy.sla }),
    recordChecks: createRecordChecks({ store, github: deps.connectors.github, applyStep, checkStep, authorize, ...(deps.newId ? { newId: deps.newId } : {}) }),
    async plan(r) {
      const plan = await deployPlan({ store, environments: policy.environments }, r);
      if (plan.ok && plan.value.kind === 'ssm' && !deps.connectors.ssm) return err({ code: 'deploy.not_configured', service: 'AWS Systems Manager' });
      if (plan.ok && plan.value.kind === 'dependabot' && !deps.connectors.github) return err({ code: 'deploy.not_configured', service: 'GitHub' });
      return plan;
    },
    pendingEmergencies: () => pendingEmergencies(store, now()),
    announcer: deps.announcer,
    kick,
  };
}
