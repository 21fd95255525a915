/**
 * The modals of deploying (pure): Run in staging (the staging blast radius, confirmed), Deploy now (the blast radius,
 * a required reason, and that it is an emergency change another lead must approve), Mark deployed (the link to the
 * change) and the retroactive approval of an emergency change.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import type { Deployment, Remediation } from '../../domain/remediation.js';
import { INPUT, VIEW } from '../ids.js';
import { emergencyLine } from './deployment-record.js';
import { formatDateTime, mention } from './format.js';
import { heading, input, md, modalTitle, plain } from './modal-parts.js';

interface Common {
  readonly r: Remediation;
  readonly timeZone: string;
  readonly privateMetadata: string;
}

const note = (id: string, text: string): KnownBlock => ({ type: 'context', block_id: id, elements: [md(text)] });

const modal = (callbackId: string, verb: string, submit: string, m: Common, blocks: KnownBlock[]): ModalView => ({
  type: 'modal', callback_id: callbackId, title: modalTitle(verb, m.r.id), submit: plain(submit, 24), close: plain('Cancel', 24), private_metadata: m.privateMetadata, blocks,
});

/** Run in staging: what will be patched, confirmed by submitting. */
export const stagingRunModal = (m: Common & { readonly radius: readonly KnownBlock[] }): ModalView =>
  modal(VIEW.stagingRun, 'Run in staging', 'Run in staging', m, [
    heading(m.r, m.timeZone),
    ...m.radius,
    note('staging_note', 'patchwarden installs the patches on these instances with SSM, follows the run to its end and records it as a test: pass only when every instance succeeds. The result comes in the thread.'),
  ]);

/** Deploy now: an emergency change, with its reason. */
export const deployNowModal = (m: Common & { readonly radius: readonly KnownBlock[]; readonly approvalDays: number }): ModalView =>
  modal(VIEW.deployNow, 'Deploy now', 'Deploy now', m, [
    heading(m.r, m.timeZone),
    ...m.radius,
    note('emergency_note', `:rotating_light: Deploying outside its maintenance window is an *emergency change*: it is recorded with your reason, and another lead must approve it within ${m.approvalDays} day${m.approvalDays === 1 ? '' : 's'}.`),
    input(INPUT.reason, 'Reason', { type: 'plain_text_input', multiline: true, max_length: 3000, placeholder: plain('Why it cannot wait for its window (e.g. actively exploited)', 150) }),
  ]);

/** Mark deployed: the change made outside patchwarden, by its link. */
export const markDeployedModal = (m: Common): ModalView =>
  modal(VIEW.markDeployed, 'Mark deployed', 'Mark deployed', m, [
    heading(m.r, m.timeZone),
    note('manual_note', 'Only Snyk reported this, so the fix went out outside patchwarden. Link the change (the merged pull request, the release); it is verified once Snyk marks its issues resolved.'),
    input(INPUT.changeUrl, 'Link to the change', { type: 'url_text_input', placeholder: plain('https://github.com/acme/api/pull/42', 150) }),
    input(INPUT.note, 'Note', { type: 'plain_text_input', multiline: true, max_length: 3000 }, { optional: true }),
  ]);

/** The retroactive approval of an emergency change by another lead. */
export const emergencyApprovalModal = (m: Common & { readonly deployment: Deployment }): ModalView => {
  const e = m.deployment.emergency!;
  return modal(VIEW.emergencyApproval, 'Approve change', 'Approve', m, [
    heading(m.r, m.timeZone),
    { type: 'section', block_id: 'emergency', text: md(`${emergencyLine(e, m.timeZone)}\nDeployed ${formatDateTime(m.deployment.startedAt, m.timeZone)} by ${mention(e.by)}.`) },
    input(INPUT.note, 'Note', { type: 'plain_text_input', multiline: true, max_length: 3000, placeholder: plain('Why it was right to deploy it then', 150) }, { optional: true }),
  ]);
};
