/** Upload test evidence (engineers, leads): opens the test modal with its file_input. */
import { orRefuse } from '../refusal.js';
import type { SlackDeps } from '../deps.js';
import { testEvidenceModal } from '../views/test-evidence-modal.js';
import { opensModal } from './open-modal.js';
import type { Workflow } from './use-cases.js';

export const evidenceButton = (deps: SlackDeps, wf: Workflow) =>
  opensModal(deps, async (r, actor, privateMetadata) => {
    orRefuse(await deps.authorize(actor, 'test', r.id));
    return testEvidenceModal({ r, environments: wf.testEnvironments, timeZone: deps.policy.timezone, privateMetadata });
  });
