/**
 * Create remediation submitted (from an advisory or `/patch new`): title, severity and at least one asset required,
 * typed CVE ids well formed (inline otherwise); then the remediation is created with its message and note owed, the
 * advisory's review recorded with its own, both done at once, and the App Homes whose queue it entered refreshed.
 */
import { advisorySubject } from '../../app/advisories/advisory-messages.js';
import { createCreateRemediation, type NewRemediationForm } from '../../app/advisories/create-remediation.js';
import { loadKev } from '../../app/sync/enrichment.js';
import { SEVERITIES } from '../../domain/severity.js';
import type { SlackDeps } from '../deps.js';
import { INPUT, type AdvisoryMetadata } from '../ids.js';
import { userMessage } from '../user-errors.js';
import type { StateValues } from '../workflow/on-submit.js';
import type { HomeRefresher } from '../workflow/refresh-homes.js';
import { formOrErrors, oneOf, textOf, userOf, type FieldErrors } from '../workflow/view-state.js';
import { createdFollowUp, reviewFollowUp } from './advisory-notes.js';
import { onAdvisorySubmit } from './on-advisory-submit.js';
import { z } from 'zod';

const selected = z.object({ selected_options: z.array(z.object({ value: z.string() })).max(100).nullish() });
const CVE = /^CVE-\d{4}-\d{4,7}$/;
const MAX_CVES = 100;

/** Typed CVE ids (spaces, commas or lines between), upper case, once each; null when one is not a CVE id. */
function typedCves(text: string): string[] | null {
  const tokens = text.split(/[\s,;]+/).map((t) => t.trim().toUpperCase()).filter(Boolean);
  return tokens.every((t) => CVE.test(t)) ? [...new Set(tokens)] : null;
}

export function readNewRemediation(values: StateValues, meta: AdvisoryMetadata) {
  const errors: FieldErrors = {};
  const severity = oneOf(values, INPUT.severity, SEVERITIES, 'Pick a severity.', errors);
  const picked = selected.safeParse(values[INPUT.assets]?.[INPUT.assets]);
  const cves = typedCves(textOf(values, INPUT.cves));
  if (cves === null) errors[INPUT.cves] = 'Type CVE ids like CVE-2026-12345, separated by spaces or commas.';
  else if (cves.length > MAX_CVES) errors[INPUT.cves] = `At most ${MAX_CVES} CVE ids.`;
  const form = (): NewRemediationForm => ({
    title: textOf(values, INPUT.title),
    severity: severity!,
    assetIds: picked.success ? (picked.data.selected_options ?? []).map((o) => o.value) : [],
    typedAssets: textOf(values, INPUT.typedAssets).split(/[\n,]/).map((s) => s.trim()).filter(Boolean),
    owner: userOf(values, INPUT.owner),
    cves: cves ?? [],
    advisoryId: meta.a ?? null,
  });
  return formOrErrors(errors, form);
}

export const newRemediationSubmitted = (deps: SlackDeps, homes: HomeRefresher) => {
  const warn = (w: string): void => deps.logger.warn(w);
  const create = createCreateRemediation({
    store: deps.store,
    sla: deps.policy.sla,
    now: deps.now,
    kevDueFor: async (cves) => (await loadKev(deps.enrichment, warn)).dueFor(cves) ?? null,
    created: createdFollowUp,
    reviewed: reviewFollowUp(() => deps.policy.timezone),
  });
  return onAdvisorySubmit(deps, {
    read: readNewRemediation,
    check: async (f, actor) => {
      const e = await create.check(f, actor);
      // No asset picked or typed: said on the typed field, which every version of the modal has.
      return e?.code === 'input.required' && e.field === 'assets' ? { ...e, field: 'typedAssets' } : e;
    },
    run: (f, actor) => create.run(f, actor),
    done: async (c, f, userId) => {
      const advisory = f.advisoryId ? [advisorySubject(f.advisoryId)] : [];
      // Another lead reviewed the advisory meanwhile: their review stands; its thread says what became of this one.
      if (f.advisoryId && c.reviewRefused) {
        const note = `${userMessage(c.reviewRefused)} ${c.remediation.id} was created from it all the same.`;
        await deps.store.commit({ events: [], effects: [{ kind: 'advisory.note', subject: advisorySubject(f.advisoryId), data: { text: note } }] });
      }
      await deps.outbox.drain([c.remediation.id, ...advisory]);
      await homes.afterCreate(c.remediation, userId);
    },
  });
};
