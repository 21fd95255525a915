/** Record check (leads): what was checked on a manual remediation, and a link to the proof; it verifies it. */
import type { ModalView } from '@slack/types';
import type { Remediation } from '../../domain/remediation.js';
import { INPUT, VIEW } from '../ids.js';
import { heading, input, md, modalTitle, plain } from './modal-parts.js';

export function recordCheckModal(r: Remediation, timeZone: string, privateMetadata: string): ModalView {
  return {
    type: 'modal',
    callback_id: VIEW.recordCheck,
    title: modalTitle('Verify', r.id),
    submit: plain('Record check', 24),
    close: plain('Cancel', 24),
    private_metadata: privateMetadata,
    blocks: [
      heading(r, timeZone),
      { type: 'context', block_id: 'check_note', elements: [md('No scanner reports this one, so no source will close it: your recorded check verifies it and closes it.')] },
      input(INPUT.what, 'What you checked', { type: 'plain_text_input', multiline: true, max_length: 3000, placeholder: plain('Re-ran the pen-test case against prod: the endpoint now answers 403', 150) }),
      input(INPUT.link, 'Link to the proof', { type: 'url_text_input', placeholder: plain('https://…', 150) }, { optional: true, hint: 'A ticket, a scan report, a screenshot in your wiki.' }),
    ],
  };
}
