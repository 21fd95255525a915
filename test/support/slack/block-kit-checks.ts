/**
 * Small checks shared by the Block Kit validator. Each failed check appends one problem phrased the way
 * Slack phrases it in `response_metadata.messages` ("must be less than 3001 characters", pointer in JSON
 * Pointer form), so a test failure reads like the error Slack would have returned.
 */

export interface BlockKitProblem {
  /** JSON Pointer into the payload Slack received, e.g. `/blocks/0/text/text` or `/view/title/text`. */
  pointer: string;
  message: string;
  /** Set when Slack answers with a dedicated error code instead of the generic one (e.g. `view_too_large`). */
  code?: 'view_too_large';
}

export type Json = Record<string, unknown>;

export interface CheckContext {
  problems: BlockKitProblem[];
  /** block_ids seen so far on this surface (message or view): Slack requires them to be unique. */
  blockIds: Set<string>;
  /** When set, action_ids must be unique across the whole surface, not only within their block. */
  surfaceActionIds: Set<string> | null;
  /** Elements with `focus_on_load: true` seen on this view (Slack allows one). */
  focusOnLoad: string[];
  surface: 'message' | 'modal' | 'home';
}

export const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Slack counts characters, not UTF-16 code units: an emoji is one character. */
export const charCount = (s: string): number => Array.from(s).length;

export function report(ctx: CheckContext, pointer: string, message: string): void {
  ctx.problems.push({ pointer, message });
}

interface StringRule {
  max: number;
  min?: number;
  required?: boolean;
}

/** `parent[field]` must be a string within [min, max] characters. Returns the string when it is one. */
export function stringField(ctx: CheckContext, parent: Json, field: string, pointer: string, rule: StringRule): string | undefined {
  const v = parent[field];
  const at = `${pointer}/${field}`;
  if (v === undefined || v === null) {
    if (rule.required) report(ctx, pointer, `missing required field: ${field}`);
    return undefined;
  }
  if (typeof v !== 'string') {
    report(ctx, at, 'must be a string');
    return undefined;
  }
  const n = charCount(v);
  if (n > rule.max) report(ctx, at, `must be less than ${rule.max + 1} characters`);
  if (rule.min !== undefined && n < rule.min) report(ctx, at, `must be more than ${rule.min - 1} characters`);
  return v;
}

interface TextRule {
  max: number;
  min?: number;
  required?: boolean;
  plainOnly?: boolean;
}

/** `parent[field]` must be a text object (`plain_text` / `mrkdwn`) whose `text` fits the rule. */
export function textField(ctx: CheckContext, parent: Json, field: string, pointer: string, rule: TextRule): void {
  const v = parent[field];
  if (v === undefined || v === null) {
    if (rule.required) report(ctx, pointer, `missing required field: ${field}`);
    return;
  }
  textObject(ctx, v, `${pointer}/${field}`, rule);
}

export function textObject(ctx: CheckContext, v: unknown, pointer: string, rule: TextRule): void {
  if (!isObj(v)) {
    report(ctx, pointer, 'must be a text object');
    return;
  }
  if (v.type !== 'plain_text' && v.type !== 'mrkdwn') {
    report(ctx, pointer, 'failed to match all allowed schemas (type must be plain_text or mrkdwn)');
    return;
  }
  if (rule.plainOnly && v.type !== 'plain_text') report(ctx, `${pointer}/type`, 'must be plain_text');
  if (v.type === 'mrkdwn' && v.emoji !== undefined) report(ctx, `${pointer}/emoji`, 'emoji is only allowed on plain_text');
  stringField(ctx, v, 'text', pointer, { max: rule.max, min: rule.min ?? 1, required: true });
}

interface ArrayRule {
  max: number;
  min?: number;
  required?: boolean;
}

/** `parent[field]` must be an array of [min, max] items. Returns the items (empty when absent/invalid). */
export function arrayField(ctx: CheckContext, parent: Json, field: string, pointer: string, rule: ArrayRule): unknown[] {
  const v = parent[field];
  const at = `${pointer}/${field}`;
  if (v === undefined || v === null) {
    if (rule.required) report(ctx, pointer, `missing required field: ${field}`);
    return [];
  }
  if (!Array.isArray(v)) {
    report(ctx, at, 'must be an array');
    return [];
  }
  if (v.length > rule.max) report(ctx, at, `no more than ${rule.max} items allowed`);
  const min = rule.min ?? 0;
  if (v.length < min) report(ctx, at, `must provide at least ${min} item${min === 1 ? '' : 's'}`);
  return v;
}

export function booleanField(ctx: CheckContext, parent: Json, field: string, pointer: string): void {
  const v = parent[field];
  if (v !== undefined && typeof v !== 'boolean') report(ctx, `${pointer}/${field}`, 'must be a boolean');
}

/** block_id: ≤255 characters and unique within the message or view. */
export function blockId(ctx: CheckContext, block: Json, pointer: string): void {
  const id = stringField(ctx, block, 'block_id', pointer, { max: 255, min: 1 });
  if (id === undefined) return;
  if (ctx.blockIds.has(id)) report(ctx, `${pointer}/block_id`, `duplicate block_id "${id}": block_id must be unique within a message or view`);
  ctx.blockIds.add(id);
}

/** action_id: ≤255 characters; unique within its block (and, in strict mode, within the surface). */
export function actionId(ctx: CheckContext, element: Json, pointer: string, inBlock: Set<string>): void {
  const id = stringField(ctx, element, 'action_id', pointer, { max: 255, min: 1 });
  if (id === undefined) return;
  if (inBlock.has(id)) {
    report(ctx, `${pointer}/action_id`, `duplicate action_id "${id}": action_id must be unique within its block`);
    return;
  }
  inBlock.add(id);
  if (!ctx.surfaceActionIds) return;
  if (ctx.surfaceActionIds.has(id)) report(ctx, `${pointer}/action_id`, `duplicate action_id "${id}" on this surface (strict action_id mode)`);
  ctx.surfaceActionIds.add(id);
}
