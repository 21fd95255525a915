/** Record check (leads), on a manual remediation: the modal asking what was checked and where the proof is. */
import { orRefuse } from '../refusal.js';
import type { SlackDeps } from '../deps.js';
import { recordCheckModal } from '../views/record-check-modal.js';
import { opensModal } from './open-modal.js';

export const recordCheckButton = (deps: SlackDeps) =>
  opensModal(deps, async (r, actor, privateMetadata) => {
    orRefuse(await deps.authorize(actor, 'record_check', r.id));
    return recordCheckModal(r, deps.policy.timezone, privateMetadata);
  });
