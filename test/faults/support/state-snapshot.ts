/** What the store holds, to compare before and after a flood of faults: nothing but refusals may be added. */
import type { AuditEvent } from '../../../src/app/audit.js';
import type { Store } from '../../../src/app/ports.js';

export interface Snapshot {
  readonly remediations: string;
  readonly findings: number;
  readonly assets: number;
  readonly headSeq: number;
}

export async function snapshot(store: Store): Promise<Snapshot> {
  return {
    remediations: JSON.stringify(await store.remediations.list()),
    findings: await store.findings.count(),
    assets: (await store.assets.list()).length,
    headSeq: (await store.audit.head())?.seq ?? 0,
  };
}

/** What changed since `before`, in words; the events added that are not refusals among them. */
export async function changesSince(store: Store, before: Snapshot): Promise<string[]> {
  const now = await snapshot(store);
  const out: string[] = [];
  if (now.remediations !== before.remediations) out.push('remediations changed');
  if (now.findings !== before.findings) out.push(`findings: ${before.findings} -> ${now.findings}`);
  if (now.assets !== before.assets) out.push(`assets: ${before.assets} -> ${now.assets}`);
  const added: AuditEvent[] = now.headSeq > before.headSeq ? await store.audit.read(before.headSeq + 1, now.headSeq - before.headSeq) : [];
  for (const e of added.filter((x) => x.action !== 'access.denied')) out.push(`event ${e.seq} ${e.action} on ${e.subject} by ${e.actor}`);
  return out;
}
