/** Record check submitted: what was checked is required and the link must be a web link (inline); else verified. */
import { ok } from '../../domain/result.js';
import type { SlackDeps } from '../deps.js';
import { INPUT } from '../ids.js';
import { escapeText, mention, truncate } from '../views/format.js';
import { remediationEffects } from '../posting/publish-remediation.js';
import { onSubmit } from './on-submit.js';
import type { WorkflowUseCases } from './use-cases.js';
import { textOf } from './view-state.js';

export const recordCheckSubmitted = (deps: SlackDeps, uc: WorkflowUseCases) =>
  onSubmit(deps, {
    read: (values) => ok({ what: textOf(values, INPUT.what), link: textOf(values, INPUT.link).trim() || null }),
    check: uc.recordCheck.check,
    run: uc.recordCheck.run,
    effects: ({ after }, form, userId) =>
      remediationEffects(after.id, `${mention(userId)} verified ${after.id} by a recorded check: “${escapeText(truncate(form.what.trim(), 600))}”${form.link ? ` <${form.link}|proof>` : ''}. Closed.`),
    done: ({ before, after }, _form, userId) => uc.afterStep(before, after, userId),
  });
