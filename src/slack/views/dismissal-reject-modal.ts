/** Rejecting a dismissal at the source (leads): why it must still be fixed. The work goes on from where it stood. */
import type { ModalView } from '@slack/types';
import type { Remediation } from '../../domain/remediation.js';
import { INPUT, VIEW } from '../ids.js';
import { STATE_LABEL } from './format.js';
import { heading, input, md, modalTitle, plain } from './modal-parts.js';
import { dismissalSummary } from './remediation-message.js';

export function rejectDismissalModal({ r, timeZone, privateMetadata }: { r: Remediation; timeZone: string; privateMetadata: string }): ModalView {
  const before = r.upstreamDismissal?.stateBefore;
  const back = before ? ` It goes back to *${STATE_LABEL[before]}*.` : '';
  return {
    type: 'modal',
    callback_id: VIEW.rejectDismissal,
    title: modalTitle('Reject dismissal', r.id),
    submit: plain('Reject dismissal', 24),
    close: plain('Cancel', 24),
    private_metadata: privateMetadata,
    blocks: [
      heading(r, timeZone),
      ...(r.upstreamDismissal ? [{ type: 'section' as const, block_id: 'dismissal', text: md(`${dismissalSummary(r.upstreamDismissal)}.`) }] : []),
      { type: 'context', block_id: 'reject_note', elements: [md(`Rejecting keeps the remediation open and due as before.${back} Reopen the alert at the source too, so patchwarden can verify the fix.`)] },
      input(INPUT.reason, 'Why it must still be fixed', { type: 'plain_text_input', multiline: true, max_length: 3000, placeholder: plain('e.g. reachable from the internet; the dismissal was not agreed', 150) }),
    ],
  };
}
