/** `/patch show PW-12`: a remediation's record, what is behind it, and its audit trail, who did what when. */
import type { Advisory, AdvisoryLink } from '../../domain/advisory.js';
import type { Remediation } from '../../domain/remediation.js';
import { err, ok, type Result } from '../../domain/result.js';
import type { AuditEvent } from '../audit.js';
import type { AppError } from '../errors.js';
import type { Store } from '../ports.js';
import { createFindingsDetail, type FindingsDetail } from './findings-detail.js';

export interface Timeline {
  readonly remediation: Remediation;
  /** Every audit event about it, oldest first. */
  readonly events: readonly AuditEvent[];
  /** What is behind it: its findings and their assets. */
  readonly detail: FindingsDetail;
  /** Advisories linked to it (by a shared CVE, or a lead's review), with how. */
  readonly advisories?: readonly { readonly advisory: Advisory; readonly link: AdvisoryLink }[];
}

/** `PW-12`, `pw-12` or `12` as the id `PW-12`; null when it is none of these. */
export function parseRemediationId(text: string | undefined): string | null {
  const m = /^(?:pw-?)?(\d{1,9})$/i.exec((text ?? '').trim());
  return m ? `PW-${Number(m[1])}` : null;
}

export type LoadTimeline = (id: string) => Promise<Result<Timeline, AppError>>;

export function createTimeline({ store }: { store: Pick<Store, 'remediations' | 'audit' | 'advisories' | 'findings' | 'assets'> }): LoadTimeline {
  const findingsOf = createFindingsDetail({ store });
  return async (id) => {
    const [remediation, events, links] = await Promise.all([store.remediations.get(id), store.audit.bySubject(id), store.advisories.links({ remediationId: id })]);
    if (!remediation) return err({ code: 'remediation.not_found', id });
    const byId = new Map((await store.advisories.getMany(links.map((l) => l.advisoryId))).map((a) => [a.id, a]));
    const advisories = links.flatMap((link) => {
      const advisory = byId.get(link.advisoryId);
      return advisory ? [{ advisory, link }] : [];
    });
    return ok({ remediation, events, advisories, detail: await findingsOf(remediation) });
  };
}
