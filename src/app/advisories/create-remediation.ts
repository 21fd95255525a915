/**
 * A remediation no scanner reports (`/patch new`: a vendor email, a pen-test finding) or made from an advisory
 * (its Create remediation button): title, severity, assets from the inventory or typed, owner, CVEs. Typed assets
 * join the inventory as manual assets (`asset.added`); the remediation starts `new`, due per the SLA from now (or by
 * CISA's date when the KEV catalogue lists one of its CVEs), and follows the normal workflow; a lead's recorded check
 * verifies it. It is written with the Slack effects it owes (`created`: its message and a note). Made from an
 * advisory, it is that advisory's review (`remediation_created`, with the review's own effects), and its CVEs come
 * along.
 */
import type { Advisory } from '../../domain/advisory.js';
import type { Asset } from '../../domain/asset.js';
import { manualRemediation } from '../../domain/new-remediation.js';
import type { Remediation } from '../../domain/remediation.js';
import { err, ok, type Result } from '../../domain/result.js';
import { actorId, can, rolesFor, type Actor } from '../../domain/roles.js';
import type { Severity } from '../../domain/severity.js';
import type { SlaPolicy } from '../../domain/sla.js';
import { instant, type Instant } from '../../domain/time.js';
import type { AppError } from '../errors.js';
import type { EffectInput } from '../outbox/effects.js';
import type { Store } from '../ports.js';
import { createReviewAdvisory, type ReviewFollowUp } from './review-advisory.js';

export interface NewRemediationForm {
  readonly title: string;
  readonly severity: Severity;
  /** Ids of inventory assets. */
  readonly assetIds: readonly string[];
  /** Names typed by the lead, for assets the inventory does not have. */
  readonly typedAssets: readonly string[];
  readonly owner: string | null;
  /** CVE ids it is about (typed), besides those of the advisory it is made from. */
  readonly cves: readonly string[];
  /** The advisory it is made from, if any. */
  readonly advisoryId: string | null;
}

export interface CreatedRemediation {
  readonly remediation: Remediation;
  /** Made from an advisory whose review another lead recorded at the same moment: theirs stands. */
  readonly reviewRefused: AppError | null;
}

export interface CreateRemediationDeps {
  readonly store: Pick<Store, 'remediations' | 'advisories' | 'assets' | 'commit'>;
  readonly sla: SlaPolicy;
  readonly now: () => Date;
  /** CISA's earliest due date for these CVEs, null when none is listed or the catalogue cannot be read. */
  readonly kevDueFor?: (cves: readonly string[]) => Promise<Instant | null>;
  /** What the new remediation owes in Slack (its message, a note), written with it. */
  readonly created?: (r: Remediation, advisory: Advisory | null, by: string) => readonly EffectInput[];
  /** What the advisory's review owes in Slack, written with it. */
  readonly reviewed?: ReviewFollowUp;
}

export interface CreateRemediation {
  check(form: NewRemediationForm, actor: Actor): Promise<AppError | null>;
  run(form: NewRemediationForm, actor: Actor): Promise<Result<CreatedRemediation, AppError>>;
}

const TITLE_MAX = 200;
/** `manual:<slug of the name>`, the id a typed asset gets. */
export const manualAssetId = (name: string): string => `manual:${name.trim().toLowerCase().replace(/[^a-z0-9._/-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 100)}`;

export function createCreateRemediation({ store, sla, now, kevDueFor = async () => null, created: owes = () => [], reviewed }: CreateRemediationDeps): CreateRemediation {
  const review = createReviewAdvisory({ store, now, ...(reviewed ? { followUp: reviewed } : {}) });

  async function refusal(form: NewRemediationForm, actor: Actor): Promise<AppError | null> {
    if (!can(actor, 'create_remediation')) return { code: 'auth.forbidden', permission: 'create_remediation', required: rolesFor('create_remediation') };
    if (form.title.trim() === '') return { code: 'input.required', field: 'title' };
    if (form.title.length > TITLE_MAX) return { code: 'input.too_long', field: 'title', max: TITLE_MAX };
    if (form.assetIds.length + form.typedAssets.filter((n) => manualAssetId(n) !== 'manual:').length === 0) return { code: 'input.required', field: 'assets' };
    // Made from an advisory: the same checks as its review (a lead, the advisory there, not reviewed yet).
    return form.advisoryId ? review.check(form.advisoryId, { decision: 'remediation_created', remediationId: '' }, actor).then((e) => (e?.code === 'remediation.not_found' ? null : e)) : null;
  }

  return {
    check: refusal,
    async run(form, actor) {
      const refused = await refusal(form, actor);
      if (refused) return err(refused);
      const at = now();
      const by = actorId(actor);
      const typed = new Map(form.typedAssets.map((name) => [manualAssetId(name), name.trim()] as const).filter(([id]) => id !== 'manual:'));
      const known = new Set((await store.assets.getMany([...typed.keys()])).map((a) => a.id));
      const added: Asset[] = [...typed].filter(([id]) => !known.has(id)).map(([id, name]) => ({
        id, kind: 'other', name, source: 'manual', environment: null, owner: form.owner, inScope: true, lastSeenAt: instant(at), lastScannedAt: null, attributes: {},
      }));
      if (added.length > 0) {
        await store.commit({ assets: added, events: added.map((a) => ({ at: instant(at), actor: by, action: 'asset.added' as const, subject: a.id, data: { name: a.name, kind: a.kind } })) });
      }
      const advisory = form.advisoryId ? await store.advisories.get(form.advisoryId) : null;
      const id = await store.remediations.nextId();
      const cves = [...new Set([...(advisory?.cves ?? []), ...form.cves])];
      const remediation = manualRemediation(
        { id, key: advisory ? `advisory:${advisory.id}` : `manual:${id}`, title: form.title, severity: form.severity, assetIds: [...form.assetIds, ...typed.keys()], cves, owner: form.owner, kevDueAt: cves.length > 0 ? await kevDueFor(cves) : null },
        sla,
        at,
      );
      const data = { title: remediation.title, severity: remediation.severity, assets: [...remediation.assetIds], owner: remediation.owner, cves: [...remediation.cves], kevDueAt: remediation.kevDueAt, origin: advisory ? { advisoryId: advisory.id, feed: advisory.feed, link: advisory.link } : 'by hand' };
      const created = await store.remediations.create(remediation, [{ at: instant(at), actor: by, action: 'remediation.created', subject: id, data }], owes(remediation, advisory, by));
      if (!created.ok) return created.error.code === 'store.duplicate' && form.advisoryId ? err((await review.check(form.advisoryId, { decision: 'not_applicable', reason: '-' }, actor)) ?? created.error) : created;
      if (!form.advisoryId) return ok({ remediation: created.value, reviewRefused: null });
      const reviewed = await review.run(form.advisoryId, { decision: 'remediation_created', remediationId: id }, actor);
      return ok({ remediation: created.value, reviewRefused: reviewed.ok ? null : reviewed.error });
    },
  };
}
