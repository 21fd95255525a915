/** What every workflow listener reads from an interaction: the remediation it is about, and where it came from. */
import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs, SlackViewMiddlewareArgs, ViewOutput, ViewSubmitAction } from '@slack/bolt';
import type { Remediation } from '../../domain/remediation.js';
import type { SlackDeps } from '../deps.js';
import { decodeButtonValue, decodeModalMetadata, encodeModalMetadata, type ModalMetadata } from '../ids.js';
import { Refusal } from '../refusal.js';

export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;
export type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** The remediation a button names (its value decoded by zod); a bad value or an unknown id is a Refusal. */
export async function remediationOfButton(deps: SlackDeps, body: BlockAction): Promise<Remediation> {
  const action = body.actions[0];
  const value = decodeButtonValue(action && 'value' in action ? action.value : undefined);
  if (!value) throw new Refusal({ code: 'interaction.stale' });
  const r = await deps.store.remediations.get(value.r);
  if (!r) throw new Refusal({ code: 'remediation.not_found', id: value.r });
  return r;
}

/** private_metadata for a modal opened from this interaction: the remediation, and the message it came from. */
export function metadataFor(r: Remediation, body: BlockAction): string {
  const container = body.container as { channel_id?: string; message_ts?: string } | undefined;
  const ch = container?.channel_id ?? body.channel?.id;
  const ts = container?.message_ts ?? body.message?.ts;
  const m: ModalMetadata = { r: r.id, ...(ch && ch.length <= 20 ? { ch } : {}), ...(ts && ts.length <= 32 ? { ts } : {}) };
  return encodeModalMetadata(m);
}

/** The remediation a submitted modal is about; metadata that does not decode closes the modal and is a Refusal. */
export async function metadataOf(view: ViewOutput, ack: SubmitArgs['ack']): Promise<ModalMetadata> {
  const m = decodeModalMetadata(view.private_metadata);
  if (m) return m;
  await ack();
  throw new Refusal({ code: 'interaction.stale' });
}

/** The input block ids of a view (where inline errors may go). */
export const inputBlockIds = (view: ViewOutput): string[] =>
  view.blocks.filter((b) => b.type === 'input' && typeof b.block_id === 'string').map((b) => b.block_id as string);
