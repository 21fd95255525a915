/** Everything the Bolt app listens to, in one place: middleware first, then each part of the product. */
import type { App } from '@slack/bolt';
import { registerAdvisories } from './advisories/register-advisories.js';
import { registerCommands } from './commands/register.js';
import type { SlackDeps } from './deps.js';
import { dedupe } from './middleware/dedupe.js';
import { createErrorHandler } from './middleware/error-handler.js';
import { registerDeploy } from './deploy/register-deploy.js';
import { registerWorkflow } from './workflow/register-workflow.js';

export function registerListeners(app: App, deps: SlackDeps): void {
  app.use(dedupe(deps.store, deps.now, deps.logger));
  app.error(createErrorHandler(deps.client, deps.logger));
  const workflow = registerWorkflow(app, deps);
  registerDeploy(app, deps, workflow);
  registerAdvisories(app, deps, workflow.homes);
  registerCommands(app, deps);
}
