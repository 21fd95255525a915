/** zod at the edge: an outside response that does not have the shape we rely on is refused with a clear message. */
import type { z } from 'zod';
import { ExternalServiceError } from '../../app/errors.js';

const MAX_ISSUES = 3;

/** `[3].security_advisory.cve_id: expected string, received number` for the first few problems. */
export function describeZodError(error: z.ZodError): string {
  const lines = error.issues.slice(0, MAX_ISSUES).map((i) => `${i.path.length > 0 ? i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : '(root)'}: ${i.message}`);
  const more = error.issues.length > MAX_ISSUES ? ` (and ${error.issues.length - MAX_ISSUES} more)` : '';
  return `${lines.join('; ')}${more}`;
}

/** Parses `data` or throws ExternalServiceError naming the service, what was read and what was wrong. */
export function parseResponse<S extends z.ZodType>(schema: S, data: unknown, service: string, what: string): z.output<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  throw new ExternalServiceError(service, `malformed response to ${what}: ${describeZodError(parsed.error)}`);
}
