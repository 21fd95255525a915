/** Not applicable (leads): the modal asking why. */
import type { SlackDeps } from '../deps.js';
import { notApplicableModal } from '../views/advisory-review-modals.js';
import { opensAdvisoryModal } from './opens-advisory-modal.js';

export const notApplicableButton = (deps: SlackDeps) => opensAdvisoryModal(deps, async (s, _actor, metadata) => notApplicableModal(s, metadata));
