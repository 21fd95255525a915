/**
 * The Assess modal's severity select (dispatch_action): a lead picks another severity and the due date shown
 * beneath it is recomputed (views.update; Slack keeps what was typed in the other inputs).
 */
import { SEVERITIES, type Severity } from '../../domain/severity.js';
import type { SlackDeps } from '../deps.js';
import { decodeModalMetadata, VIEW } from '../ids.js';
import { assessModal } from '../views/assess-modal.js';
import type { ButtonArgs } from './interaction.js';
import type { WorkflowUseCases } from './use-cases.js';

const slackError = (e: unknown): string | undefined => (e as { data?: { error?: string } }).data?.error;

export const severityChanged = (deps: SlackDeps, uc: WorkflowUseCases) =>
  async ({ ack, body }: ButtonArgs): Promise<void> => {
    await ack();
    await deps.turns.run(() => updateDueDate(deps, uc, body), { lane: 'interaction', who: body.user.id });
  };

async function updateDueDate(deps: SlackDeps, uc: WorkflowUseCases, body: ButtonArgs['body']): Promise<void> {
  const view = body.view;
  const action = body.actions[0];
  const picked = action?.type === 'static_select' ? action.selected_option?.value : undefined;
  const meta = decodeModalMetadata(view?.private_metadata);
  if (!view || view.callback_id !== VIEW.assess || !meta || !SEVERITIES.includes(picked as Severity)) return;
  const r = await deps.store.remediations.get(meta.r);
  if (!r) return;
  const severity = picked as Severity;
  const { epss } = await uc.assess.exploitability(r);
  const modal = assessModal({ r, severity, dueAt: uc.assess.dueDateFor(r, severity), epss, detail: await uc.findings(r), sla: deps.policy.sla, timeZone: deps.policy.timezone, privateMetadata: view.private_metadata });
  try {
    await deps.client.views.update({ view_id: view.id, hash: view.hash, view: modal });
  } catch (e) {
    // They changed it again meanwhile: the later change updates the modal.
    if (slackError(e) !== 'hash_conflict') throw e;
  }
}
