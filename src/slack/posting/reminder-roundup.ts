/**
 * `reminder.roundup` `{ remediation, kind }`: the reminders of one run for remediations without a message, many at
 * once, as ONE message in the channel (handled together: every pending one of the run's subject).
 */
import { z } from 'zod';
import type { EffectHandler } from '../../app/outbox/drain-outbox.js';
import type { Remediation } from '../../domain/remediation.js';
import type { SlackDeps } from '../deps.js';
import { reminderRoundup } from '../views/reminder.js';
import { dataOf, postOnce } from './slack-messages.js';

const item = z.object({ remediation: z.string(), kind: z.enum(['due_soon', 'breach']) });

export function createReminderRoundup(deps: Pick<SlackDeps, 'client' | 'channel' | 'store' | 'roles' | 'messageContext'>): EffectHandler {
  return {
    batch: true,
    run: async (effects, { replay }) => {
      const items = effects.map((e) => dataOf(e, item));
      const found = await Promise.all(items.map(async (i) => ({ kind: i.kind, r: await deps.store.remediations.get(i.remediation) })));
      const of = (breach: boolean): Remediation[] => found.filter((f) => (f.kind === 'breach') === breach && f.r).map((f) => f.r!);
      const [managers, leads] = await Promise.all([deps.roles.usersWith('manager'), deps.roles.usersWith('lead')]);
      const message = reminderRoundup(of(true), of(false), deps.messageContext(), managers, leads);
      return { ...(await postOnce(deps.client, effects, { channel: deps.channel }, message, replay)) };
    },
  };
}
