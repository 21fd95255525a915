/**
 * `/patch list [open|overdue|mine|critical|high|medium|low] [page]`: remediations a page at a time, in due-date
 * order. Words combine: `overdue critical` is the overdue critical ones, `high medium` either severity. No state
 * word means open.
 */
import { type Remediation } from '../../domain/remediation.js';
import { OPEN_STATES } from '../../domain/remediation-state.js';
import { err, ok, type Result } from '../../domain/result.js';
import { SEVERITIES, type Severity } from '../../domain/severity.js';
import { instant } from '../../domain/time.js';
import type { RemediationQuery, Store } from '../ports.js';

export const LIST_WORDS = ['open', 'overdue', 'mine', ...SEVERITIES] as const;
export type ListWord = (typeof LIST_WORDS)[number];

export const LIST_PAGE_SIZE = 20;

export interface ListRequest {
  readonly words: readonly ListWord[];
  /** 1-based. */
  readonly page: number;
}

export interface ListPage {
  readonly request: ListRequest;
  readonly items: readonly Remediation[];
  readonly total: number;
  readonly pageSize: number;
  readonly pages: number;
}

const isWord = (w: string): w is ListWord => (LIST_WORDS as readonly string[]).includes(w);
const isSeverity = (w: string): w is Severity => (SEVERITIES as readonly string[]).includes(w);

/** The words after `list`: filters, and a page number (`2` or `page 2`). An unknown word is returned as such. */
export function parseListArgs(args: readonly string[]): Result<ListRequest, { readonly word: string }> {
  const words: ListWord[] = [];
  let page = 1;
  for (const raw of args) {
    const w = raw.toLowerCase();
    if (w === 'page') continue;
    if (/^\d{1,6}$/.test(w) && Number(w) >= 1) page = Number(w);
    else if (isWord(w)) {
      if (!words.includes(w)) words.push(w);
    } else return err({ word: raw });
  }
  return ok({ words, page });
}

/** The store query for the words (open unless said otherwise). */
export function listQuery(words: readonly ListWord[], userId: string, now: Date): RemediationQuery {
  const severities = words.filter(isSeverity);
  return {
    states: OPEN_STATES,
    ...(severities.length > 0 ? { severities } : {}),
    ...(words.includes('overdue') ? { dueBefore: instant(now) } : {}),
    ...(words.includes('mine') ? { owner: userId } : {}),
  };
}

export type ListRemediations = (request: ListRequest, userId: string) => Promise<ListPage>;

export function createListRemediations({ store, now }: { store: Pick<Store, 'remediations'>; now: () => Date }): ListRemediations {
  return async (request, userId) => {
    const query = listQuery(request.words, userId, now());
    const total = await store.remediations.count(query);
    const pages = Math.max(1, Math.ceil(total / LIST_PAGE_SIZE));
    const page = Math.min(request.page, pages);
    const items = await store.remediations.list({ ...query, limit: LIST_PAGE_SIZE, offset: (page - 1) * LIST_PAGE_SIZE });
    return { request: { ...request, page }, items, total, pageSize: LIST_PAGE_SIZE, pages };
  };
}
