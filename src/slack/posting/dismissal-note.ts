/**
 * `remediation.dismissal` `{ held }`: the line the sync's finding puts in the remediation's thread, said from the
 * dismissal as stored. Held: who dismissed it at the source and why, and that a lead decides; withdrawn: the source
 * reopened it. Done as a `remediation.note` (its message posted first if it has none, a replay adopts what it posted).
 */
import type { EffectHandler } from '../../app/outbox/drain-outbox.js';
import type { Store } from '../../app/ports.js';
import { dismissalHeldNote, dismissalWithdrawnNote } from '../workflow/thread-notes.js';

export function dismissalNote(note: EffectHandler, store: Pick<Store, 'remediations'>): EffectHandler {
  return {
    run: async ([effect], ctx) => {
      const r = effect && (await store.remediations.get(effect.subject));
      if (!effect || !r?.upstreamDismissal) return {};
      const text = effect.data['held'] === true ? dismissalHeldNote(r) : dismissalWithdrawnNote(r);
      return note.run([{ ...effect, data: { text } }], ctx);
    },
  };
}
