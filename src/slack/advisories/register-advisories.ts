/** Advisory review in Slack: the three buttons of an advisory's message and the modals they open (and `/patch new`'s). */
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps.js';
import { ACTION, VIEW } from '../ids.js';
import type { HomeRefresher } from '../workflow/refresh-homes.js';
import { coveredButton } from './covered-button.js';
import { coveredSubmitted } from './covered-submitted.js';
import { createButton } from './create-button.js';
import { newRemediationSubmitted } from './new-remediation-submitted.js';
import { notApplicableButton } from './not-applicable-button.js';
import { notApplicableSubmitted } from './not-applicable-submitted.js';

export function registerAdvisories(app: App, deps: SlackDeps, homes: HomeRefresher): void {
  app.action(ACTION.advisoryNotApplicable, notApplicableButton(deps));
  app.action(ACTION.advisoryCovered, coveredButton(deps));
  app.action(ACTION.advisoryCreate, createButton(deps));
  app.view(VIEW.advisoryNotApplicable, notApplicableSubmitted(deps));
  app.view(VIEW.advisoryCovered, coveredSubmitted(deps));
  app.view(VIEW.newRemediation, newRemediationSubmitted(deps, homes));
}
