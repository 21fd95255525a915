/**
 * Which field of a modal an expected failure is about, so Slack shows its sentence right there
 * (`response_action: 'errors'`) instead of closing the modal. Failures about who or when are not inline.
 */
import { isInputError } from '../../app/workflow/check-step.js';
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
};

function inputOf(e: AppError): string | null {
  switch (e.code) {
    case 'input.required':
    case 'input.too_long':
      return FIELD_INPUT[e.field] ?? null;
    case 'test.evidence_required':
    case 'evidence.too_large':
    case 'evidence.type_not_allowed':
    case 'evidence.too_many':
      return INPUT.files;
    case 'schedule.window_in_past':
    case 'schedule.window_unknown':
      return INPUT.window;
    case 'risk.expiry_in_past':
    case 'risk.expiry_too_far':
      return INPUT.expiry;
    default:
      return null;
  }
}

/** The errors to show on the form, or null when the failure is not about a field of this view. */
export function inlineErrors(e: AppError | null, blockIds: readonly string[]): FieldErrors | null {
  if (!e || !isInputError(e)) return null;
  const id = inputOf(e);
  return id && blockIds.includes(id) ? { [id]: userMessage(e) } : null;
}
