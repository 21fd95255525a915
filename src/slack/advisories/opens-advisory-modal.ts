/**
 * A review button of an advisory: ack first, then who is asking, which advisory (not reviewed yet), whether they may
 * (leads; a refusal is audited and said to them only), and views.open with the trigger_id.
 */
import type { ModalView } from '@slack/types';
import type { AdvisoryStatus } from '../../app/advisories/advisory-status.js';
import type { Actor } from '../../domain/roles.js';
import type { SlackDeps } from '../deps.js';
import { encodeAdvisoryMetadata } from '../ids.js';
import { orRefuse } from '../refusal.js';
import type { ButtonArgs } from '../workflow/interaction.js';
import { advisoryOfButton } from './advisory-interaction.js';

export type AdvisoryModalFor = (s: AdvisoryStatus, actor: Actor, metadata: string) => Promise<ModalView>;

export const opensAdvisoryModal = (deps: SlackDeps, modalFor: AdvisoryModalFor) =>
  async ({ ack, body }: ButtonArgs): Promise<void> => {
    await ack();
    await deps.turns.run(async () => {
      const actor = await deps.roles.actorFor(body.user.id);
      const status = await advisoryOfButton(deps, body);
      orRefuse(await deps.authorize(actor, 'review_advisory', status.advisory.id));
      const view = await modalFor(status, actor, encodeAdvisoryMetadata({ a: status.advisory.id }));
      await deps.openModal(body.trigger_id, view);
    }, { lane: 'interaction', who: body.user.id });
  };
