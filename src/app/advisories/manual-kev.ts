/**
 * CISA's date for remediations made by hand: a manual remediation has no finding for the KEV catalogue to mark, so
 * when the catalogue changes the sync checks each open manual remediation's CVEs against it, and one whose earliest
 * CISA due date moved (listed now, delisted, a new date) gets it, its due date with it (the earlier of the policy's
 * and CISA's), `remediation.updated`, and its message refreshed where it has one.
 */
import { OPEN_STATES } from '../../domain/remediation-state.js';
import { dueDate, type SlaPolicy } from '../../domain/sla.js';
import { instant } from '../../domain/time.js';
import type { Store } from '../ports.js';
import type { KevView } from '../sync/enrichment.js';
import { writeVersionedMany } from '../write-versioned.js';

export interface ManualKevDeps {
  readonly store: Pick<Store, 'remediations'>;
  readonly sla: SlaPolicy;
  readonly now: () => Date;
  readonly actor: string;
}

/** Brings the KEV due date of every open manual remediation naming a CVE in line with `kev`; how many were written. */
export async function applyKevToManual({ store, sla, now, actor }: ManualKevDeps, kev: KevView): Promise<number> {
  const manual = (await store.remediations.list({ states: OPEN_STATES })).filter((r) => r.remedy.kind === 'manual' && r.cves.length > 0);
  const owed = manual.filter((r) => kev.dueFor(r.cves) !== undefined && (kev.dueFor(r.cves) ?? null) !== r.kevDueAt);
  if (owed.length === 0) return 0;
  const written = await writeVersionedMany(store.remediations, owed.map((r) => r.id), async (r) => {
    const kevDueAt = kev.dueFor(r.cves) ?? null;
    if (kevDueAt === r.kevDueAt) return null;
    const due = dueDate(sla, r.severity, new Date(r.slaStartAt), kevDueAt);
    const at = instant(now());
    return {
      next: { ...r, kevDueAt, dueAt: due, updatedAt: at },
      events: [{ at, actor, action: 'remediation.updated', subject: r.id, data: { kevDueAt: { from: r.kevDueAt, to: kevDueAt }, dueAt: { from: r.dueAt, to: due } } }],
      effects: r.message ? [{ kind: 'remediation.message', subject: r.id }] : [],
    };
  });
  return [...written.values()].filter((w) => w.ok).length;
}
