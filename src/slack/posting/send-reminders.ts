/**
 * Sends what the reminders use case finds owed: a DM to the owner at reminder time (to the thread, for the leads,
 * when nobody owns it), and at breach a note in the remediation's thread naming the owner and every manager (the
 * message itself is refreshed to show it overdue). Each reminder is recorded together with the Slack effects that
 * deliver it (src/app/reminders/reminders-due.ts), then the outbox delivers them: none is lost to a crash and none
 * goes out twice, even when Slack delivers and answers late.
 */
import { randomUUID } from 'node:crypto';
import { LeaseLost } from '../../app/errors.js';
import type { EffectInput } from '../../app/outbox/effects.js';
import { createFindReminders, createReminderLog, type Reminder } from '../../app/reminders/reminders-due.js';
import type { Remediation } from '../../domain/remediation.js';
import type { SlackDeps } from '../deps.js';
import { breachNote, dueSoonReminder, unownedReminder } from '../views/reminder.js';

/** More thread-bound reminders than this for remediations without a message, in one run: one round-up instead. */
export const ROUNDUP_AFTER = 5;

export interface ReminderRun {
  /** Reminders recorded this run (each delivered by the outbox, now or when Slack takes it). */
  readonly recorded: number;
}

interface People {
  readonly managers: readonly string[];
  readonly leads: readonly string[];
}

/** Sends what is owed; `holds` false (the job's lease is lost): stops before the next reminder. */
export function createReminderSender(deps: SlackDeps): (holds?: () => boolean) => Promise<ReminderRun> {
  const { store, client, policy } = deps;
  const find = createFindReminders({ store, sla: policy.sla, now: deps.now });
  const log = createReminderLog({ store, sla: policy.sla, now: deps.now });

  async function permalink(r: Remediation): Promise<string | null> {
    if (!r.message) return null;
    try {
      return (await client.chat.getPermalink({ channel: r.message.channel, message_ts: r.message.ts })).permalink ?? null;
    } catch {
      return null;
    }
  }

  const recipients = (reminder: Reminder, people: People): string[] => {
    const r = reminder.remediation;
    return reminder.kind === 'breach' ? [...new Set([...(r.owner ? [r.owner] : []), ...people.managers])] : r.owner ? [r.owner] : [...people.leads];
  };

  /** What delivers one reminder: a DM, or a note in the thread (with the message refreshed, overdue now). */
  function delivery(reminder: Reminder, people: People, link: string | null) {
    return (r: Remediation): EffectInput[] => {
      const ctx = deps.messageContext();
      const note = (text: string): EffectInput[] => [{ kind: 'remediation.message', subject: r.id }, { kind: 'remediation.note', subject: r.id, data: { text } }];
      if (reminder.kind === 'breach') return note(breachNote(r, ctx, people.managers));
      if (!r.owner) return note(unownedReminder(r, ctx, people.leads));
      const dm = dueSoonReminder(r, ctx, link);
      return [{ kind: 'slack.dm', subject: r.id, data: { user: r.owner, text: dm.text, ...(dm.blocks ? { blocks: dm.blocks } : {}) } }];
    };
  }

  return async (holds = () => true) => {
    const owed = await find();
    // What earlier runs recorded and Slack has not taken yet goes out with this run.
    if (owed.length === 0) return deps.outbox.drain().then(() => ({ recorded: 0 }));
    const [managers, leads] = await Promise.all([deps.roles.usersWith('manager'), deps.roles.usersWith('lead')]);
    const people = { managers, leads };
    // Reminders that go to a thread, for remediations with no message yet: a few get their message; many at
    // once (a first run after a first sync) get one round-up, so the channel is not flooded.
    const messageless = owed.filter((x) => (x.kind === 'breach' || !x.remediation.owner) && !x.remediation.message);
    const roundup = messageless.length > ROUNDUP_AFTER ? `reminders:${randomUUID().slice(0, 8)}` : null;
    let recorded = 0;
    for (const reminder of owed) {
      if (!holds()) throw new LeaseLost('reminders');
      const inRoundup = roundup !== null && messageless.includes(reminder);
      const link = inRoundup || reminder.kind === 'breach' ? null : await permalink(reminder.remediation);
      const deliver = inRoundup
        ? (): EffectInput[] => [{ kind: 'reminder.roundup', subject: roundup, data: { remediation: reminder.remediation.id, kind: reminder.kind } }]
        : delivery(reminder, people, link);
      if (await log.claim(reminder, recipients(reminder, people), deliver)) recorded += 1;
    }
    await deps.outbox.drain();
    return { recorded };
  };
}
