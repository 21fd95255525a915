/** Create remediation (leads), on an advisory: the modal, its title and CVEs from the advisory. */
import type { SlackDeps } from '../deps.js';
import { newRemediationModal } from '../views/new-remediation-modal.js';
import { opensAdvisoryModal } from './opens-advisory-modal.js';

export const createButton = (deps: SlackDeps) =>
  opensAdvisoryModal(deps, async (s, _actor, privateMetadata) => newRemediationModal({ from: s, assets: await deps.store.assets.list({ inScope: true }), privateMetadata }));
