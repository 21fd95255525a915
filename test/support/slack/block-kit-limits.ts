/**
 * Block Kit limits as Slack enforces them, for the fake and for unit tests of view builders:
 *
 *   expect(validateMessageBlocks(digestBlocks(remediations))).toEqual([]);
 *   expect(validateView(assessModal(r))).toEqual([]);
 *
 * Each problem is `{ pointer, message }`; `formatProblem` renders it the way Slack does in
 * `response_metadata.messages` ("[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]").
 * Sources: docs.slack.dev/reference/block-kit (blocks, block-elements, composition-objects, views),
 * @slack/types block-kit/*.d.ts and views.d.ts, docs.slack.dev/reference/methods/views.* — see README.md.
 */
import {
  arrayField, blockId, booleanField, isObj, report, stringField, textField, textObject,
  type BlockKitProblem, type CheckContext, type Json,
} from './block-kit-checks.js';
import { imageElement, validateElement } from './block-kit-elements.js';

export type { BlockKitProblem } from './block-kit-checks.js';

export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  messageText: 40_000,
  viewBytes: 250_000,
  modalTitle: 24,
  privateMetadata: 3000,
  callbackId: 255,
  externalId: 255,
} as const;

export interface ValidateOptions {
  /** Also require action_ids to be unique across the whole message or view (Slack only requires it per block). */
  strictActionIds?: boolean;
  /** Prefix of every pointer; Slack reports `/blocks/...` for chat.* and `/view/...` for views.*. */
  pointer?: string;
}

const newContext = (surface: CheckContext['surface'], opts: ValidateOptions): CheckContext => ({
  problems: [], blockIds: new Set(), surfaceActionIds: opts.strictActionIds ? new Set() : null, focusOnLoad: [], surface,
});

export function formatProblem(p: BlockKitProblem): string {
  return `[ERROR] ${p.message} [json-pointer:${p.pointer}]`;
}

/** The `blocks` of chat.postMessage / chat.update / chat.postEphemeral / a response_url message. */
export function validateMessageBlocks(blocks: unknown, opts: ValidateOptions = {}): BlockKitProblem[] {
  const ctx = newContext('message', opts);
  const ptr = opts.pointer ?? '';
  blockList(ctx, { blocks }, ptr, LIMITS.messageBlocks, false);
  return ctx.problems;
}

/** A `view` for views.open / views.push / views.update / views.publish, or a response_action update/push. */
export function validateView(view: unknown, opts: ValidateOptions = {}): BlockKitProblem[] {
  const ptr = opts.pointer ?? '/view';
  if (!isObj(view)) return [{ pointer: ptr, message: 'must be a view object' }];
  const surface = view.type === 'home' ? 'home' : 'modal';
  const ctx = newContext(surface, opts);
  if (view.type !== 'modal' && view.type !== 'home') report(ctx, `${ptr}/type`, 'must be one of: modal, home');
  const blocks = blockList(ctx, view, ptr, LIMITS.viewBlocks, true);
  stringField(ctx, view, 'private_metadata', ptr, { max: LIMITS.privateMetadata });
  stringField(ctx, view, 'callback_id', ptr, { max: LIMITS.callbackId });
  stringField(ctx, view, 'external_id', ptr, { max: LIMITS.externalId });
  if (view.type === 'modal') {
    textField(ctx, view, 'title', ptr, { max: LIMITS.modalTitle, plainOnly: true, required: true });
    textField(ctx, view, 'submit', ptr, { max: 24, plainOnly: true });
    textField(ctx, view, 'close', ptr, { max: 24, plainOnly: true });
    booleanField(ctx, view, 'clear_on_close', ptr);
    booleanField(ctx, view, 'notify_on_close', ptr);
    const hasInput = blocks.some((b) => isObj(b) && b.type === 'input');
    if (hasInput && view.submit === undefined) report(ctx, ptr, 'missing required field: submit (required when the view has an input block)');
  }
  if (ctx.focusOnLoad.length > 1) report(ctx, ctx.focusOnLoad[1] ?? ptr, 'only one element per view may set focus_on_load');
  const bytes = Buffer.byteLength(JSON.stringify(view), 'utf8');
  if (bytes > LIMITS.viewBytes) ctx.problems.push({ pointer: ptr, message: `view is ${bytes} bytes; must be at most ${LIMITS.viewBytes}`, code: 'view_too_large' });
  return ctx.problems;
}

function blockList(ctx: CheckContext, parent: Json, ptr: string, max: number, required: boolean): unknown[] {
  const blocks = arrayField(ctx, parent, 'blocks', ptr, { max, required });
  blocks.forEach((b, i) => validateBlock(ctx, b, `${ptr}/blocks/${i}`));
  return blocks;
}

function validateBlock(ctx: CheckContext, b: unknown, ptr: string): void {
  if (!isObj(b)) return report(ctx, ptr, 'must be a block object');
  blockId(ctx, b, ptr);
  const inBlock = new Set<string>();
  switch (b.type) {
    case 'section': return section(ctx, b, ptr, inBlock);
    case 'header':
      return textField(ctx, b, 'text', ptr, { max: 150, plainOnly: true, required: true });
    case 'divider': return;
    case 'context':
      return arrayField(ctx, b, 'elements', ptr, { max: 10, min: 1, required: true }).forEach((e, i) => {
        const at = `${ptr}/elements/${i}`;
        if (isObj(e) && (e.type === 'plain_text' || e.type === 'mrkdwn')) textObject(ctx, e, at, { max: 3000 });
        else validateElement(ctx, e, at, 'context', inBlock);
      });
    case 'actions':
      return arrayField(ctx, b, 'elements', ptr, { max: 25, min: 1, required: true })
        .forEach((e, i) => validateElement(ctx, e, `${ptr}/elements/${i}`, 'actions', inBlock));
    case 'input': return input(ctx, b, ptr, inBlock);
    case 'image':
      imageElement(ctx, b, ptr);
      return textField(ctx, b, 'title', ptr, { max: 2000, plainOnly: true });
    case 'markdown':
      if (ctx.surface !== 'message') report(ctx, `${ptr}/type`, 'markdown blocks are only available in messages');
      return void stringField(ctx, b, 'text', ptr, { max: 12_000, min: 1, required: true });
    case 'rich_text':
      return void arrayField(ctx, b, 'elements', ptr, { max: Infinity, required: true });
    case 'file':
    case 'video':
      return;
    default:
      report(ctx, `${ptr}/type`, `failed to match all allowed schemas (unsupported block type "${String(b.type)}")`);
  }
}

function section(ctx: CheckContext, b: Json, ptr: string, inBlock: Set<string>): void {
  if (b.text === undefined && b.fields === undefined) report(ctx, ptr, 'must provide either text or fields');
  textField(ctx, b, 'text', ptr, { max: 3000 });
  arrayField(ctx, b, 'fields', ptr, { max: 10, min: 1 }).forEach((f, i) => textObject(ctx, f, `${ptr}/fields/${i}`, { max: 2000 }));
  if (b.accessory !== undefined) validateElement(ctx, b.accessory, `${ptr}/accessory`, 'accessory', inBlock);
  booleanField(ctx, b, 'expand', ptr);
}

function input(ctx: CheckContext, b: Json, ptr: string, inBlock: Set<string>): void {
  textField(ctx, b, 'label', ptr, { max: 2000, plainOnly: true, required: true });
  textField(ctx, b, 'hint', ptr, { max: 2000, plainOnly: true });
  booleanField(ctx, b, 'optional', ptr);
  booleanField(ctx, b, 'dispatch_action', ptr);
  if (b.element === undefined) return report(ctx, ptr, 'missing required field: element');
  validateElement(ctx, b.element, `${ptr}/element`, 'input', inBlock);
}
