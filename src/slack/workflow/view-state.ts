/**
 * Reading a submitted modal: Slack's `view.state.values[block_id][action_id]`, each value checked by zod. A form
 * reader returns the typed form, or `{ block_id: sentence }` for Slack to show beside the fields (nothing is
 * recorded then).
 */
import { z } from 'zod';
import type { IncomingFile } from '../../app/workflow/evidence-intake.js';
import { err, ok, type Result } from '../../domain/result.js';

export type FieldErrors = Record<string, string>;
type Values = Record<string, Record<string, unknown>>;

const selected = z.object({ selected_option: z.object({ value: z.string() }).nullish() });
const text = z.object({ value: z.string().nullish() });
const user = z.object({ selected_user: z.string().nullish() });
const date = z.object({ selected_date: z.string().nullish() });
const slackFile = z.object({
  id: z.string().min(1),
  name: z.string().min(1).max(1000),
  size: z.number().int().nonnegative(),
  mimetype: z.string().default(''),
  url_private_download: z.string().optional(),
  url_private: z.string().optional(),
});
const files = z.object({ files: z.array(slackFile).max(100).nullish() });

/** The value of one input (block_id and action_id are the same id), parsed; `undefined` when absent or malformed. */
function read<T>(values: Values, id: string, schema: z.ZodType<T>): T | undefined {
  const parsed = schema.safeParse(values[id]?.[id]);
  return parsed.success ? parsed.data : undefined;
}

export const has = (values: Values, id: string): boolean => values[id]?.[id] !== undefined;
export const option = (values: Values, id: string): string | null => read(values, id, selected)?.selected_option?.value ?? null;
export const textOf = (values: Values, id: string): string => read(values, id, text)?.value ?? '';
export const userOf = (values: Values, id: string): string | null => read(values, id, user)?.selected_user ?? null;
export const dateOf = (values: Values, id: string): string | null => read(values, id, date)?.selected_date ?? null;

/** The attached files, or null when the value is not a list of Slack file objects. */
export function filesOf(values: Values, id: string): IncomingFile[] | null {
  if (!has(values, id)) return [];
  const parsed = read(values, id, files);
  if (parsed === undefined) return null;
  return (parsed.files ?? []).map((f) => ({ id: f.id, name: f.name, size: f.size, mimeType: f.mimetype, url: f.url_private_download ?? f.url_private ?? '' }));
}

/** One of the allowed values, or the sentence asking for it. */
export function oneOf<T extends string>(values: Values, id: string, allowed: readonly T[], ask: string, errors: FieldErrors): T | null {
  const v = option(values, id);
  if (v !== null && (allowed as readonly string[]).includes(v)) return v as T;
  errors[id] = ask;
  return null;
}

/** The form when no field was refused, else the refusals. */
export const formOrErrors = <T>(errors: FieldErrors, build: () => T): Result<T, FieldErrors> =>
  Object.keys(errors).length > 0 ? err(errors) : ok(build());
