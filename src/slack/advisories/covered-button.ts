/** Covered by PW-… (leads): the modal to pick the remediation, those linked by a CVE first. */
import { OPEN_STATES } from '../../domain/remediation-state.js';
import type { SlackDeps } from '../deps.js';
import { coveredModal } from '../views/advisory-review-modals.js';
import { opensAdvisoryModal } from './opens-advisory-modal.js';

export const coveredButton = (deps: SlackDeps) =>
  opensAdvisoryModal(deps, async (s, _actor, metadata) => {
    const linked = await Promise.all([...new Set(s.links.map((l) => l.remediationId))].map((id) => deps.store.remediations.get(id)));
    const open = await deps.store.remediations.list({ states: OPEN_STATES, limit: 100 });
    return coveredModal(s, linked.filter((r) => r !== null), open, metadata);
  });
