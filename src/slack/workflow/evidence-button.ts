/** Upload test evidence (engineers, leads): opens the test modal with its file_input. */
import { orRefuse } from '../refusal.js';
import type { SlackDeps } from '../deps.js';
import { testEvidenceModal } from '../views/test-evidence-modal.js';
import { opensModal } from './open-modal.js';
import type { WorkflowUseCases } from './use-cases.js';

export const evidenceButton = (deps: SlackDeps, uc: WorkflowUseCases) =>
  opensModal(deps, async (r, actor, privateMetadata) => {
    orRefuse(await deps.authorize(actor, 'test', r.id));
    return testEvidenceModal({ r, environments: uc.testEnvironments, timeZone: deps.policy.timezone, privateMetadata });
  });
