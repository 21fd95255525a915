/**
 * Links advisories to remediations by CVE: an advisory naming a CVE that an open finding has is linked to that
 * finding's remediation, once (event `advisory.linked`). Recomputed over every stored advisory at each sync, so a
 * finding that appears after its advisory links as well; only the links not stored yet are written, with the
 * update of the advisory's message where it has been given one (it shows its links).
 */
import type { AdvisoryLink } from '../../domain/advisory.js';
import { instant } from '../../domain/time.js';
import type { Store } from '../ports.js';
import { ADVISORY_POSTS, advisorySubject } from './advisory-messages.js';

const pair = (advisoryId: string, remediationId: string): string => `${advisoryId}|${remediationId}`;

export async function linkAdvisories(store: Pick<Store, 'advisories' | 'findings' | 'kv' | 'commit'>, now: Date, actor: string): Promise<number> {
  const advisories = await store.advisories.list();
  const withCves = advisories.filter((a) => a.cves.length > 0);
  if (withCves.length === 0) return 0;
  const findings = await store.findings.list({ state: 'open', cves: [...new Set(withCves.flatMap((a) => a.cves))] });
  const wanted = new Map<string, AdvisoryLink>();
  const at = instant(now);
  for (const a of withCves) {
    const cves = new Set(a.cves);
    for (const f of findings) {
      if (!f.remediationId) continue;
      const shared = f.cves.filter((c) => cves.has(c));
      if (shared.length === 0) continue;
      const key = pair(a.id, f.remediationId);
      const known = wanted.get(key);
      wanted.set(key, { advisoryId: a.id, remediationId: f.remediationId, via: 'cve', cves: [...new Set([...(known?.cves ?? []), ...shared])].sort(), at });
    }
  }
  if (wanted.size === 0) return 0;
  const stored = new Set((await store.advisories.links({ advisoryIds: [...new Set([...wanted.values()].map((l) => l.advisoryId))] })).map((l) => pair(l.advisoryId, l.remediationId)));
  const links = [...wanted.entries()].filter(([key]) => !stored.has(key)).map(([, l]) => l);
  if (links.length === 0) return 0;
  const posted = await store.kv.getMany(ADVISORY_POSTS, [...new Set(links.map((l) => l.advisoryId))]);
  await store.commit({
    advisoryLinks: links,
    events: links.map((l) => ({ at, actor, action: 'advisory.linked' as const, subject: l.advisoryId, data: { remediationId: l.remediationId, cves: [...l.cves] } })),
    effects: [...posted.keys()].map((id) => ({ kind: 'advisory.message' as const, subject: advisorySubject(id) })),
  });
  return links.length;
}
