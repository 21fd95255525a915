/** Steps 3 to 5 of the process, risk acceptance and the App Home: every button, modal and event they answer. */
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps.js';
import { ACTION, INPUT, VIEW } from '../ids.js';
import { approvalSubmitted } from './approval-submitted.js';
import { decisionButton } from './decision-button.js';
import { assessButton } from './assess-button.js';
import { assessSubmitted } from './assess-submitted.js';
import { evidenceButton } from './evidence-button.js';
import { evidenceSubmitted } from './evidence-submitted.js';
import { homeOpened } from './home-opened.js';
import { recordCheckButton } from './record-check-button.js';
import { recordCheckSubmitted } from './record-check-submitted.js';
import { riskButton } from './risk-button.js';
import { riskSubmitted } from './risk-submitted.js';
import { severityChanged } from './severity-changed.js';
import { createWorkflowUseCases, type WorkflowUseCases } from './use-cases.js';

/** Registers the workflow's listeners; returns its use cases (deploying's and the advisories' listeners share them). */
export function registerWorkflow(app: App, deps: SlackDeps): WorkflowUseCases {
  const uc = createWorkflowUseCases(deps);
  app.action(ACTION.assess, assessButton(deps, uc));
  app.action(ACTION.uploadEvidence, evidenceButton(deps, uc));
  app.action(ACTION.approve, decisionButton(deps, uc));
  app.action(ACTION.acceptRisk, riskButton(deps));
  app.action({ type: 'block_actions', action_id: INPUT.severity }, severityChanged(deps, uc));
  app.view(VIEW.assess, assessSubmitted(deps, uc));
  app.view(VIEW.testEvidence, evidenceSubmitted(deps, uc));
  app.view(VIEW.approval, approvalSubmitted(deps, uc));
  app.view(VIEW.riskAcceptance, riskSubmitted(deps, uc));
  app.action(ACTION.recordCheck, recordCheckButton(deps));
  app.view(VIEW.recordCheck, recordCheckSubmitted(deps, uc));
  app.event('app_home_opened', homeOpened(deps, uc));
  return uc;
}
