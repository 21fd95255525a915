/** Steps 6 and 7 as people meet them in Slack: every button and modal of deploying (the runner does the rest). */
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps.js';
import { ACTION, VIEW } from '../ids.js';
import type { WorkflowUseCases } from '../workflow/use-cases.js';
import { approveEmergencyButton, approveEmergencySubmitted } from './approve-emergency.js';
import { deployNowButton, deployNowSubmitted } from './deploy-now.js';
import { markDeployedButton, markDeployedSubmitted } from './mark-deployed.js';
import { recordChecksButton } from './record-checks.js';
import { runStagingButton, stagingRunSubmitted } from './staging-run.js';

export function registerDeploy(app: App, deps: SlackDeps, uc: WorkflowUseCases): void {
  app.action(ACTION.runStaging, runStagingButton(deps));
  app.view(VIEW.stagingRun, stagingRunSubmitted(deps, uc));
  app.action(ACTION.deployNow, deployNowButton(deps));
  app.view(VIEW.deployNow, deployNowSubmitted(deps, uc));
  app.action(ACTION.markDeployed, markDeployedButton(deps));
  app.view(VIEW.markDeployed, markDeployedSubmitted(deps, uc));
  app.action(ACTION.approveEmergency, approveEmergencyButton(deps));
  app.view(VIEW.emergencyApproval, approveEmergencySubmitted(deps, uc));
  app.action(ACTION.recordChecks, recordChecksButton(deps, uc));
}
