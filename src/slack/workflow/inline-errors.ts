/**
 * Which field of a modal an expected failure is about, so Slack shows its sentence right there
 * (`response_action: 'errors'`) instead of closing the modal. Failures about who or when are not inline.
 */
import type { AppError } from '../../app/errors.js';
import { INPUT } from '../ids.js';
import { userMessage } from '../user-errors.js';
import type { FieldErrors } from './view-state.js';

/** Domain field names (DomainError `field`) to the modal input that holds them. */
const FIELD_INPUT: Record<string, string> = {
  rationale: INPUT.rationale,
  environment: INPUT.environment,
  notes: INPUT.notes,
  reason: INPUT.reason,
  justification: INPUT.justification,
  compensatingControl: INPUT.compensatingControl,
  expiry: INPUT.expiry,
  'change link': INPUT.changeUrl,
  note: INPUT.note,
  title: INPUT.title,
  assets: INPUT.assets,
  typedAssets: INPUT.typedAssets,
  what: INPUT.what,
  link: INPUT.link,
};

type ErrorOf<C extends AppError['code']> = Extract<AppError, { code: C }>;

/**
 * The failures that are about what was typed, each with the input that shows it: the one list of input errors.
 * Any other failure (who, when, a conflict) is not about a field and closes the modal instead.
 */
const INPUT_OF = {
  'input.required': (e: ErrorOf<'input.required'>) => FIELD_INPUT[e.field] ?? null,
  'input.too_long': (e: ErrorOf<'input.too_long'>) => FIELD_INPUT[e.field] ?? null,
  'input.not_a_link': (e: ErrorOf<'input.not_a_link'>) => FIELD_INPUT[e.field] ?? null,
  'remediation.not_found': () => INPUT.remediation,
  'test.evidence_required': () => INPUT.files,
  'evidence.too_large': () => INPUT.files,
  'evidence.type_not_allowed': () => INPUT.files,
  'evidence.too_many': () => INPUT.files,
  'schedule.window_in_past': () => INPUT.window,
  'schedule.window_unknown': () => INPUT.window,
  'risk.expiry_in_past': () => INPUT.expiry,
  'risk.expiry_too_far': () => INPUT.expiry,
} satisfies { readonly [C in AppError['code']]?: (e: ErrorOf<C>) => string | null };

type InputErrorCode = keyof typeof INPUT_OF;
const isInputError = (e: AppError): e is ErrorOf<InputErrorCode> => Object.hasOwn(INPUT_OF, e.code);
const inputOf = (e: ErrorOf<InputErrorCode>): string | null => (INPUT_OF[e.code] as (e: AppError) => string | null)(e);

/** The errors to show on the form, or null when the failure is not about a field of this view. */
export function inlineErrors(e: AppError | null, blockIds: readonly string[]): FieldErrors | null {
  if (!e || !isInputError(e)) return null;
  const id = inputOf(e);
  return id && blockIds.includes(id) ? { [id]: userMessage(e) } : null;
}
