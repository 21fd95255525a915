/** `/patch new` (leads): the Create remediation modal, for anything no scanner reports (a vendor email, a pen-test finding). */
import { encodeAdvisoryMetadata } from '../ids.js';
import { newRemediationModal } from '../views/new-remediation-modal.js';
import type { Subcommand } from './subcommand.js';

export const newCommand: Subcommand = {
  name: 'new',
  usage: 'new',
  summary: 'create a remediation no scanner reports (a vendor email, a pen-test finding); a lead’s recorded check verifies it (leads)',
  permission: 'create_remediation',
  // Opens a modal: its trigger_id lives about 3 s.
  lane: 'interaction',
  handler: (deps) => async ({ triggerId }) => {
    const assets = await deps.store.assets.list({ inScope: true });
    await deps.openModal(triggerId, newRemediationModal({ from: null, assets, privateMetadata: encodeAdvisoryMetadata({}) }));
  },
};
