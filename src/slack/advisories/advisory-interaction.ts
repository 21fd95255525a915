/**
 * What every advisory listener reads from an interaction: the advisory a button names (value decoded by zod; a
 * bad value or an unknown advisory is a Refusal), and the advisory a submitted modal is about (private_metadata).
 */
import type { BlockAction, ViewOutput } from '@slack/bolt';
import { advisoryStatus, type AdvisoryStatus } from '../../app/advisories/advisory-status.js';
import type { SlackDeps } from '../deps.js';
import { decodeAdvisoryMetadata, decodeAdvisoryValue, type AdvisoryMetadata } from '../ids.js';
import { Refusal } from '../refusal.js';
import type { SubmitArgs } from '../workflow/interaction.js';

export async function advisoryOfButton(deps: SlackDeps, body: BlockAction): Promise<AdvisoryStatus> {
  const action = body.actions[0];
  const value = decodeAdvisoryValue(action && 'value' in action ? action.value : undefined);
  if (!value) throw new Refusal({ code: 'interaction.stale' });
  const status = await advisoryStatus(deps.store, value.a);
  if (!status) throw new Refusal({ code: 'advisory.not_found', id: value.a });
  if (status.review) throw new Refusal({ code: 'advisory.already_reviewed', by: status.review.by, decision: status.review.decision, remediationId: status.review.remediationId });
  return status;
}

/** The advisory metadata of a submitted modal; metadata that does not decode closes the modal and is a Refusal. */
export async function advisoryMetadataOf(view: ViewOutput, ack: SubmitArgs['ack']): Promise<AdvisoryMetadata> {
  const m = decodeAdvisoryMetadata(view.private_metadata);
  if (m) return m;
  await ack();
  throw new Refusal({ code: 'interaction.stale' });
}
