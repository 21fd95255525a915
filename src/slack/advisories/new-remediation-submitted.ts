/**
 * Create remediation submitted (from an advisory or `/patch new`): title, severity and at least one asset required
 * (inline otherwise); then the remediation is created, its message posted, and the advisory's review recorded.
 */
import { createCreateRemediation, type NewRemediationForm } from '../../app/advisories/create-remediation.js';
import { SEVERITIES } from '../../domain/severity.js';
import type { SlackDeps } from '../deps.js';
import { INPUT } from '../ids.js';
import type { AdvisoryPublisher } from '../posting/publish-advisory.js';
import { userMessage } from '../user-errors.js';
import { formOrErrors, oneOf, textOf, userOf, type FieldErrors } from '../workflow/view-state.js';
import { createdNote } from './advisory-notes.js';
import { onAdvisorySubmit } from './on-advisory-submit.js';
import type { StateValues } from '../workflow/on-submit.js';
import type { AdvisoryMetadata } from '../ids.js';
import { z } from 'zod';

const selected = z.object({ selected_options: z.array(z.object({ value: z.string() })).max(100).nullish() });

export function readNewRemediation(values: StateValues, meta: AdvisoryMetadata) {
  const errors: FieldErrors = {};
  const severity = oneOf(values, INPUT.severity, SEVERITIES, 'Pick a severity.', errors);
  const picked = selected.safeParse(values[INPUT.assets]?.[INPUT.assets]);
  const form = (): NewRemediationForm => ({
    title: textOf(values, INPUT.title),
    severity: severity!,
    assetIds: picked.success ? (picked.data.selected_options ?? []).map((o) => o.value) : [],
    typedAssets: textOf(values, INPUT.typedAssets).split(/[\n,]/).map((s) => s.trim()).filter(Boolean),
    owner: userOf(values, INPUT.owner),
    advisoryId: meta.a ?? null,
  });
  return formOrErrors(errors, form);
}

export const newRemediationSubmitted = (deps: SlackDeps, advisories: AdvisoryPublisher) => {
  const create = createCreateRemediation({ store: deps.store, sla: deps.policy.sla, now: deps.now });
  return onAdvisorySubmit(deps, {
    read: readNewRemediation,
    check: async (f, actor) => {
      const e = await create.check(f, actor);
      // No asset picked or typed: said on the typed field, which every version of the modal has.
      return e?.code === 'input.required' && e.field === 'assets' ? { ...e, field: 'typedAssets' } : e;
    },
    run: (f, actor) => create.run(f, actor),
    done: async (c, f, userId) => {
      const advisory = f.advisoryId ? await deps.store.advisories.get(f.advisoryId) : null;
      await deps.publisher.publish(c.remediation, createdNote(c, userId, advisory?.title ?? null));
      if (f.advisoryId) await advisories.publish(f.advisoryId, c.reviewRefused ? userMessage(c.reviewRefused) : undefined);
    },
  });
};
