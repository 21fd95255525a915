/**
 * An outside failure in words fit for Slack and the audit log, which keep them for good: no token, no AWS account
 * id or ARN, no database host or address, no URL with its query, and short. ExternalServiceError applies it to its
 * message, so every source's failure is scrubbed inside its adapter; `publicReason` turns any other error (the
 * store, a bug) into a reference to the log, where the details are.
 */
import { scrubSecrets } from '../logger.js';

/** The longest failure text that is kept (a run report keeps one per source; Slack shows them in a field). */
export const DETAIL_MAX = 200;

type Replacement = string | ((match: string, ...groups: string[]) => string);

const PATTERNS: readonly (readonly [RegExp, Replacement])[] = [
  [/\bmongodb(?:\+srv)?:\/\/\S+/gi, '[database]'],
  [/\barn:aws[\w-]*:[^\s,;"'()<>]*/gi, '[arn]'],
  // A URL keeps its path (what was called), not its host or its query.
  [/\b(?:https?|wss?):\/\/[^\s/"'<>()]+(\/[^\s?#"'<>()]*)?(?:\?[^\s#"'<>()]*)?/gi, (_url, path) => path || '[host]'],
  [/\b(ENOTFOUND|EAI_AGAIN)\s+[\w.-]+/g, '$1 [host]'],
  [/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b/g, '[host]'],
  [/\[[0-9a-f:]*:[0-9a-f:]*\](?::\d{1,5})?/gi, '[host]'],
  [/\b(?:[a-z0-9-]+\.)+[a-z]{2,}:\d{2,5}\b/gi, '[host]'],
  [/\b\d{12}\b/g, '[account]'],
  [/\s+/g, ' '],
];

/** Scrubbed, on one line, cut to `max` characters. */
export function scrubDetail(text: string, max = DETAIL_MAX): string {
  let out = scrubSecrets(text);
  for (const [re, to] of PATTERNS) out = typeof to === 'string' ? out.replace(re, to) : out.replace(re, to);
  out = out.trim();
  const chars = Array.from(out);
  return chars.length <= max ? out : `${chars.slice(0, max - 1).join('')}…`;
}
