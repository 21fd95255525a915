/**
 * A button that opens a modal: ack first, then who is asking, which remediation, whether they may (a refusal is
 * an audited Refusal, said to them only), and views.open with the button's trigger_id (single use, ~3 s).
 */
import type { ModalView } from '@slack/types';
import type { Remediation } from '../../domain/remediation.js';
import type { Actor } from '../../domain/roles.js';
import type { SlackDeps } from '../deps.js';
import { metadataFor, remediationOfButton, type ButtonArgs } from './interaction.js';

/** Checks the actor (throwing a Refusal) and builds the modal; `metadata` goes into private_metadata. */
export type ModalFor = (r: Remediation, actor: Actor, metadata: string) => Promise<ModalView>;

/** A button on a remediation: ack first, then, in its turn, the work with the remediation and who pressed it. */
export const onButton = (deps: SlackDeps, work: (r: Remediation, actor: Actor, body: ButtonArgs['body']) => Promise<void>) =>
  async ({ ack, body }: ButtonArgs): Promise<void> => {
    await ack();
    await deps.turns.run(async () => {
      const actor = await deps.roles.actorFor(body.user.id);
      await work(await remediationOfButton(deps, body), actor, body);
    }, { lane: 'interaction', who: body.user.id });
  };

export const opensModal = (deps: SlackDeps, modalFor: ModalFor) =>
  onButton(deps, async (r, actor, body) => {
    const view = await modalFor(r, actor, metadataFor(r, body));
    await deps.openModal(body.trigger_id, view);
  });
