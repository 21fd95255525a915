/**
 * Where each new or changed finding goes, remembered for the whole run so that a group is looked
 * up once, not once per finding:
 * 1. the open remediation of its group (`groupOf`): key `group` for the first one, `group#2`, `group#3`… for the
 *    generations after a closed one;
 * 2. else an open remediation on the same target sharing a CVE (Dependabot and Snyk naming one package two ways);
 * 3. else a new remediation.
 * Only open findings are placed: one already closed when first seen is history, not work, and stays ungrouped (a
 * born-closed remediation would only skew the time-to-remediate figures); if it opens again it is placed then.
 * New remediations are created BEFORE the page's findings are committed with their id. A crash in between leaves a
 * remediation whose findings are not stored yet: its `remediation.created` event names it, and the next run's
 * recovery refreshes it (the findings come again and join it by its key; if they never do, it closes).
 */
import type { Asset } from '../../domain/asset.js';
import type { Finding } from '../../domain/finding.js';
import { groupOf, sharesCve, summarise, type Grouping } from '../../domain/grouping.js';
import { newRemediation } from '../../domain/new-remediation.js';
import { remediationOwner, type OwnerRule } from '../../domain/owners.js';
import { type Remediation } from '../../domain/remediation.js';
import { isClosed, OPEN_STATES } from '../../domain/remediation-state.js';
import type { SlaPolicy } from '../../domain/sla.js';
import type { RemediationCreate, Store } from '../ports.js';
import { createMany, nextIds } from './remediation-batches.js';

/** A remediation findings can be placed in: an open one in the store, or one this page will create. */
interface Destination {
  id: string;
  readonly key: string;
  readonly target: string;
  readonly cves: Set<string>;
}

/** A remediation to create for this page: its findings so far, with a placeholder id until the batch gets ids. */
interface PlannedRemediation extends Destination {
  readonly grouping: Grouping;
  readonly findings: Finding[];
  readonly assets: Map<string, Asset>;
}

export interface PlacedPage {
  /** The findings, each open one with its remediation id (closed ones as they were). */
  readonly findings: Finding[];
  /** Remediations created for this page (already stored, with their `remediation.created` event). */
  readonly created: readonly Remediation[];
  /** Existing remediations that gained findings here and so need refreshing. */
  readonly joined: ReadonlySet<string>;
}

export interface PlacementDeps {
  readonly store: Pick<Store, 'remediations'>;
  readonly sla: SlaPolicy;
  readonly actor: string;
  /** The policy's `owners:` rules, for a new remediation whose assets do not agree on an owner. */
  readonly owners?: readonly OwnerRule[];
}

export type Placement = (items: readonly { finding: Finding; asset: Asset }[], now: Date) => Promise<PlacedPage>;

const targetOfKey = (key: string): string => key.split('|')[0] ?? key;
const idNumber = (id: string): number => Number(id.replace(/^\D+/, '')) || 0;

/** A placement for one run: its caches live as long as the closure. */
export function createPlacement({ store, sla, actor, owners = [] }: PlacementDeps): Placement {
  const byGroup = new Map<string, { place: Destination | null; freeKey: string | null }>();
  const known = new Map<string, Destination>();
  let byTarget: Map<string, Destination[]> | null = null;

  const index = (s: Destination): void => {
    const list = byTarget?.get(s.target);
    if (list) list.push(s);
    else byTarget?.set(s.target, [s]);
  };
  const remember = (r: Pick<Remediation, 'id' | 'key' | 'cves'>): Destination => {
    const seen = known.get(r.id);
    if (seen) return seen;
    const place: Destination = { id: r.id, key: r.key, target: targetOfKey(r.key), cves: new Set(r.cves) };
    known.set(place.id, place);
    index(place);
    return place;
  };

  const forget = (gone: ReadonlySet<Destination>): void => {
    for (const s of gone) known.delete(s.id);
    for (const [group, entry] of byGroup) if (entry.place && gone.has(entry.place)) byGroup.delete(group);
    for (const list of byTarget?.values() ?? []) for (let i = list.length - 1; i >= 0; i -= 1) if (gone.has(list[i]!)) list.splice(i, 1);
  };

  async function openOfGroup(group: string): Promise<{ place: Destination | null; freeKey: string | null }> {
    const cached = byGroup.get(group);
    if (cached) return cached;
    for (let n = 1; ; n += 1) {
      const key = n === 1 ? group : `${group}#${n}`;
      const r = await store.remediations.getByKey(key);
      if (r && isClosed(r.state)) continue;
      const found = r ? { place: remember(r), freeKey: null } : { place: null, freeKey: key };
      byGroup.set(group, found);
      return found;
    }
  }

  async function onTarget(target: string): Promise<Destination[]> {
    if (!byTarget) {
      // Loaded once, the first time a finding's group has no open remediation: an unchanged re-sync never needs it.
      byTarget = new Map();
      for (const s of known.values()) index(s);
      for (const r of await store.remediations.list({ states: OPEN_STATES })) remember(r);
    }
    return (byTarget.get(target) ?? []).slice().sort((a, b) => idNumber(a.id) - idNumber(b.id));
  }

  function draft(p: PlannedRemediation, now: Date): RemediationCreate {
    const s = summarise(p.grouping, p.findings, p.assets);
    // Its assets' owner when they agree, else an owners: rule for the group as a whole; a lead's assessment decides.
    const owner = remediationOwner([...p.assets.values()], s.remedy, owners);
    const r = newRemediation(
      { id: p.id, key: p.key, title: s.title, remedy: s.remedy, assetIds: s.assetIds, findingIds: s.findingIds, cves: s.cves, severity: s.sourceSeverity, detectedAt: s.detectedAt, kevDueAt: s.kevDueAt, owner: owner?.owner ?? null, ownerRule: owner?.rule ?? null },
      sla,
      now,
    );
    const data = { key: r.key, title: r.title, severity: r.severity, dueAt: r.dueAt, kevDueAt: r.kevDueAt, owner: r.owner, ownerRule: r.ownerRule ?? null, findingIds: r.findingIds, assetIds: r.assetIds, cves: r.cves };
    return { remediation: r, events: [{ at: r.createdAt, actor, action: 'remediation.created', subject: r.id, data }] };
  }

  /** Gives the page's new remediations their ids and stores them (one batch); returns those created. */
  async function createAll(pending: PlannedRemediation[], placed: Finding[], joined: Set<string>, now: Date): Promise<Remediation[]> {
    const placeholders = pending.map((p) => p.id);
    const ids = await nextIds(store.remediations, pending.length);
    const setId = (p: PlannedRemediation, id: string): void => {
      known.delete(p.id);
      p.id = id;
      known.set(id, p);
    };
    pending.forEach((p, i) => setId(p, ids[i]!));
    const results = await createMany(store.remediations, pending.map((p) => draft(p, now)));
    const created: Remediation[] = [];
    for (const [i, result] of results.entries()) {
      const p = pending[i]!;
      if (result.ok) {
        created.push(result.value);
        continue;
      }
      // Someone else created this key first (it cannot be this run: the group was looked up): join theirs.
      const theirs = await store.remediations.getByKey(p.key);
      if (!theirs || isClosed(theirs.state)) throw new Error(`could not create remediation ${p.key}: ${result.error.code}`);
      setId(p, theirs.id);
      joined.add(theirs.id);
    }
    const final = new Map(placeholders.map((placeholder, i) => [placeholder, pending[i]!.id]));
    for (let i = 0; i < placed.length; i += 1) {
      const to = final.get(placed[i]!.remediationId ?? '');
      if (to) placed[i] = { ...placed[i]!, remediationId: to };
    }
    return created;
  }

  return async (items, now) => {
    const pending = new Map<string, PlannedRemediation>();
    const joined = new Set<string>();
    const placed: Finding[] = [];
    for (const { finding, asset } of items) {
      if (finding.remediationId !== null || finding.state !== 'open') {
        placed.push(finding);
        continue;
      }
      const g = groupOf(finding, asset);
      const ofGroup = await openOfGroup(g.group);
      let place = ofGroup.place ?? (await onTarget(g.target)).find((s) => sharesCve({ cves: [...s.cves] }, finding)) ?? null;
      if (!place && ofGroup.freeKey) {
        // Its id comes with the page's others, in one batch, once every finding is placed.
        const fresh: PlannedRemediation = { id: `~new:${pending.size}`, key: ofGroup.freeKey, target: g.target, cves: new Set(), grouping: g, findings: [], assets: new Map() };
        pending.set(fresh.id, fresh);
        known.set(fresh.id, fresh);
        index(fresh);
        byGroup.set(g.group, { place: fresh, freeKey: null });
        place = fresh;
      }
      if (!place) {
        placed.push(finding);
        continue;
      }
      for (const c of finding.cves) place.cves.add(c);
      const p = pending.get(place.id);
      if (p) {
        p.findings.push(finding);
        p.assets.set(asset.id, asset);
      } else joined.add(place.id);
      placed.push({ ...finding, remediationId: place.id });
    }
    if (pending.size === 0) return { findings: placed, created: [], joined };
    try {
      return { findings: placed, created: await createAll([...pending.values()], placed, joined, now), joined };
    } catch (e) {
      // Not created: no later page may join them.
      forget(new Set(pending.values()));
      throw e;
    }
  };
}
