/** Record CI results (engineers, leads): the fixing pull request's checks recorded as a test run, no modal. */
import type { TestRecord } from '../../domain/remediation.js';
import type { SlackDeps } from '../deps.js';
import { remediationEffects } from '../posting/publish-remediation.js';
import { orRefuse } from '../refusal.js';
import { escapeText, mention } from '../views/format.js';
import { onButton } from '../workflow/open-modal.js';
import type { WorkflowUseCases } from '../workflow/use-cases.js';

export const checksNote = (by: string, t: TestRecord | undefined): string =>
  t?.run?.kind === 'ci_checks'
    ? `${mention(by)} recorded the CI results of <${t.run.url}|${escapeText(t.run.repository)}#${t.run.pullNumber}>: *${t.result}*. ${escapeText(t.notes)}`
    : `${mention(by)} recorded the CI results.`;

export const recordChecksButton = (deps: SlackDeps, uc: WorkflowUseCases) =>
  onButton(deps, async (r, actor, body) => {
    const { before, after } = orRefuse(await deps.deploy.recordChecks(r.id, actor, (w) => remediationEffects(w.after.id, checksNote(body.user.id, w.after.tests.at(-1)))));
    await uc.afterStep(before, after, body.user.id);
  });
