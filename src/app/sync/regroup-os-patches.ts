/**
 * Missing OS patches used to make one remediation per environment (key `env:production|os-patches`), mixing a
 * Windows KB on the domain controller with glibc on Linux web servers. They are now grouped as SSM deploys them,
 * per environment, patch group and baseline (`groupOf`). This brings a store from before up to date, once, at the
 * start of a sync (under its lease), through the ports, so it works the same on either store:
 *
 * - an open patch remediation whose open findings now fall into several groups keeps its id, history and message
 *   for the largest group, under that group's key; each other group becomes a new remediation that carries the same
 *   workflow record (the assessment, tests and approval covered those patches too), created with
 *   `remediation.created` naming `splitFrom`; its findings move to it (`finding.grouped`); the original then records
 *   `remediation.regrouped` with what went where;
 * - one whose findings fall into one group only takes that group's key (`remediation.regrouped`).
 *
 * Each part is keyed, so a run that dies half-way is finished by the next: a part already created is found by its
 * key and joined. One that is deploying is left until its deployment ends (the next sync tries again).
 */
import type { Asset } from '../../domain/asset.js';
import type { Finding } from '../../domain/finding.js';
import { absorb, baseKey, groupOf, summarise, unknownAsset, type Grouping } from '../../domain/grouping.js';
import type { Remediation } from '../../domain/remediation.js';
import { isClosed, OPEN_STATES } from '../../domain/remediation-state.js';
import { ok } from '../../domain/result.js';
import type { SlaPolicy } from '../../domain/sla.js';
import { instant } from '../../domain/time.js';
import type { AuditEventInput } from '../audit.js';
import type { Store } from '../ports.js';
import { writeVersioned } from '../write-versioned.js';
import { findingEvent } from './diff.js';
import { SYNC_STATE } from './report.js';

export interface RegroupDeps {
  readonly store: Pick<Store, 'remediations' | 'findings' | 'assets' | 'kv' | 'commit'>;
  readonly sla: SlaPolicy;
  readonly now: () => Date;
  readonly actor: string;
}

export interface RegroupReport {
  /** Remediations split, and the new ones made from them. */
  readonly split: number;
  readonly created: number;
  /** Remediations that only took their group's new key. */
  readonly rekeyed: number;
  /** Left for a later run (deploying). */
  readonly held: readonly string[];
}

const DONE_KEY = 'os-patch-groups';
const DONE = 2;

interface Part {
  readonly grouping: Grouping;
  readonly findings: Finding[];
}

/** The open findings of `r` by the group they now belong to, largest first (then by key). */
function partsOf(findings: readonly Finding[], assets: ReadonlyMap<string, Asset>): Part[] {
  const parts = new Map<string, Part>();
  for (const f of findings) {
    if (f.state !== 'open') continue;
    const grouping = groupOf(f, assets.get(f.assetId) ?? unknownAsset(f.assetId));
    const part = parts.get(grouping.group) ?? { grouping, findings: [] };
    part.findings.push(f);
    parts.set(grouping.group, part);
  }
  return [...parts.values()].sort((a, b) => b.findings.length - a.findings.length || a.grouping.group.localeCompare(b.grouping.group));
}

export async function regroupOsPatches({ store, sla, now, actor }: RegroupDeps): Promise<RegroupReport> {
  const report = { split: 0, created: 0, rekeyed: 0, held: [] as string[] };
  if ((await store.kv.get<number>(SYNC_STATE, DONE_KEY)) === DONE) return report;
  const open = (await store.remediations.list({ states: OPEN_STATES })).filter((r) => r.remedy.kind === 'os_patches');

  const keyOf = (group: string, n: number): string => (n === 1 ? group : `${group}#${n}`);
  /** The open remediation of `group` (a part an interrupted run already made), or the first free key for a new one. */
  async function slotFor(group: string): Promise<{ existing: Remediation | null; key: string }> {
    for (let n = 1; ; n += 1) {
      const r = await store.remediations.getByKey(keyOf(group, n));
      if (!r || !isClosed(r.state)) return { existing: r, key: keyOf(group, n) };
    }
  }
  /** The first key of `group` no other remediation holds. */
  async function freeKeyFor(group: string, id: string): Promise<string> {
    for (let n = 1; ; n += 1) {
      const r = await store.remediations.getByKey(keyOf(group, n));
      if (!r || r.id === id) return keyOf(group, n);
    }
  }

  for (const r of open) {
    const findings = await store.findings.list({ remediationId: r.id });
    const assets = new Map((await store.assets.getMany([...new Set(findings.map((f) => f.assetId))])).map((a) => [a.id, a]));
    const parts = partsOf(findings, assets);
    const keep = parts[0];
    if (!keep || (parts.length === 1 && baseKey(r.key) === keep.grouping.group)) continue;
    if (r.state === 'deploying') {
      report.held.push(r.id);
      continue;
    }
    const at = instant(now());
    const into: { id: string; key: string; title: string; findingIds: string[] }[] = [];
    for (const part of parts.slice(1)) {
      const slot = await slotFor(part.grouping.group);
      let target = slot.existing;
      if (!target) {
        const draft = absorb({ ...r, id: await store.remediations.nextId(), key: slot.key, message: null, version: 0, createdAt: at, updatedAt: at }, summarise(part.grouping, part.findings, assets), sla, now());
        const data = { key: draft.key, title: draft.title, severity: draft.severity, state: draft.state, dueAt: draft.dueAt, owner: draft.owner, splitFrom: r.id, findingIds: draft.findingIds, assetIds: draft.assetIds, cves: draft.cves };
        const created = await store.remediations.create(draft, [{ at, actor, action: 'remediation.created', subject: draft.id, data }]);
        if (!created.ok) throw new Error(`could not split ${r.id}: ${created.error.code} for ${slot.key}`);
        target = created.value;
        report.created += 1;
      }
      const moved = part.findings.map((f) => ({ stored: f, next: { ...f, remediationId: target.id } }));
      await store.commit({ findings: moved.map((m) => m.next), events: moved.map((m) => findingEvent(m.stored, m.next, at, actor)) });
      into.push({ id: target.id, key: target.key, title: target.title, findingIds: part.findings.map((f) => f.id) });
    }
    const kept = findings.filter((f) => f.state !== 'open' || keep.findings.includes(f));
    const written = await writeVersioned<never>(store.remediations, r.id, async (current) => {
      const key = await freeKeyFor(keep.grouping.group, current.id);
      const next = { ...absorb(current, summarise(keep.grouping, kept, assets), sla, now()), key };
      const reason = into.length > 0
        ? `missing OS patches are grouped by patch baseline: ${into.map((p) => `${p.id} (${p.title})`).join(', ')} split off`
        : 'missing OS patches are grouped by patch baseline';
      const event: AuditEventInput = { at, actor, action: 'remediation.regrouped', subject: current.id, data: { fromKey: current.key, toKey: key, title: next.title, reason, into, findingIds: next.findingIds } };
      return ok({ next, events: [event] });
    });
    if (!written.ok) throw new Error(`could not regroup ${r.id}: ${written.error.code}`);
    if (into.length > 0) report.split += 1;
    else report.rekeyed += 1;
  }
  if (report.held.length === 0) await store.kv.put(SYNC_STATE, DONE_KEY, DONE);
  return report;
}
