/** The use cases behind the workflow listeners (steps 3 to 5 and the App Home), built once from their deps, plus what every listener does after a step. */
import { createAcceptRisk, type AcceptRiskUseCase } from '../../app/workflow/accept-risk.js';
import { createAssess, type AssessUseCase } from '../../app/workflow/assess.js';
import { createCheckStep } from '../../app/workflow/check-step.js';
import { createDecide, type DecideUseCase } from '../../app/workflow/decide.js';
import { createEvidenceIntake } from '../../app/workflow/evidence-intake.js';
import { createHomeQueue } from '../../app/reports/home-queue.js';
import { createFindingsDetail, type LoadFindingsDetail } from '../../app/reports/findings-detail.js';
import { createRecordCheck, type RecordCheckUseCase } from '../../app/workflow/record-check.js';
import { createRecordTest, testEnvironments, type RecordTestUseCase } from '../../app/workflow/record-test.js';
import type { Remediation } from '../../domain/remediation.js';
import type { SlackDeps } from '../deps.js';
import { slotOptionValue } from '../views/slot-option.js';
import { createHomeRefresher, type HomeRefresher } from './refresh-homes.js';

export interface WorkflowUseCases {
  /** What is behind a remediation, for its modals. */
  readonly findings: LoadFindingsDetail;
  readonly assess: AssessUseCase;
  readonly recordTest: RecordTestUseCase;
  readonly decide: DecideUseCase;
  readonly acceptRisk: AcceptRiskUseCase;
  /** A manual remediation verified by a lead's recorded check. */
  readonly recordCheck: RecordCheckUseCase;
  readonly homes: HomeRefresher;
  /** Environments a test may be recorded in. */
  readonly testEnvironments: readonly string[];
  /** After a step is recorded: do the Slack effects it recorded (its message, its note), refresh the homes it touched. */
  afterStep(before: Remediation, after: Remediation, actorId: string): Promise<void>;
}


export function createWorkflowUseCases(deps: SlackDeps): WorkflowUseCases {
  const { store, policy, now, applyStep, authorize } = deps;
  const checkStep = createCheckStep({ store, sla: policy.sla, now });
  const homes = createHomeRefresher(deps, createHomeQueue({ store, roles: deps.roles, now }));
  return {
    findings: createFindingsDetail({ store }),
    assess: createAssess({ store, sla: policy.sla, applyStep, checkStep }),
    recordTest: createRecordTest({ applyStep, checkStep, authorize, intake: createEvidenceIntake({ downloader: deps.files, evidence: store.evidence }) }),
    decide: createDecide({ store, windows: policy.maintenanceWindows, timeZone: policy.timezone, now, applyStep, checkStep, slotKey: slotOptionValue }),
    acceptRisk: createAcceptRisk({ timeZone: policy.timezone, applyStep, checkStep }),
    recordCheck: createRecordCheck({ applyStep, checkStep }),
    homes,
    testEnvironments: testEnvironments(policy.environments),
    async afterStep(before, after, actorId) {
      await deps.outbox.drain([after.id]);
      await homes.afterChange(before, after, actorId);
    },
  };
}
