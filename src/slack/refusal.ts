import type { AppError } from '../app/errors.js';

/** Thrown by a listener to tell the person why nothing happened; the global error handler says it. */
export class Refusal extends Error {
  constructor(readonly error: AppError) {
    super(`refused: ${error.code}`);
    this.name = 'Refusal';
  }
}

/** Unwraps a Result for a listener: the value, or a Refusal thrown for the error handler. */
export function orRefuse<T>(result: { ok: true; value: T } | { ok: false; error: AppError }): T {
  if (!result.ok) throw new Refusal(result.error);
  return result.value;
}
