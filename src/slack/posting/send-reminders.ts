/**
 * Sends what the reminders use case finds owed: a DM to the owner at reminder time (to the thread, for the leads,
 * when nobody owns it), and at breach a note in the remediation's thread naming the owner and every manager (the
 * message itself is refreshed to show it overdue). Each reminder is recorded before it goes out and taken back if
 * Slack refuses it (src/app/reminders/reminders-due.ts), so none is sent twice.
 */
import { scrubDetail } from '../../app/error-text.js';
import { createFindReminders, createReminderLog, type Reminder } from '../../app/reminders/reminders-due.js';
import type { Remediation } from '../../domain/remediation.js';
import type { SlackDeps } from '../deps.js';
import { breachNote, dueSoonReminder, reminderRoundup, unownedReminder } from '../views/reminder.js';

/** More thread-bound reminders than this for remediations without a message, in one run: one round-up instead. */
export const ROUNDUP_AFTER = 5;

export interface ReminderRun {
  readonly sent: number;
  readonly failed: number;
}

/** Slack's error code, or the failure's scrubbed words: it is kept in the `reminder.failed` audit event. */
const slackError = (e: unknown): string => (e as { data?: { error?: string } }).data?.error ?? scrubDetail(e instanceof Error ? e.message : String(e));

export function createReminderSender(deps: SlackDeps): () => Promise<ReminderRun> {
  const { store, client, policy, logger } = deps;
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

  /** The remediation with its message posted (and refreshed), so it has a thread to write in. */
  async function inThread(r: Remediation, text: string): Promise<void> {
    const published = await deps.publisher.publish(r);
    if (!published.message) throw new Error('the remediation has no message in Slack to reply to');
    await client.chat.postMessage({ channel: published.message.channel, thread_ts: published.message.ts, text, unfurl_links: false });
  }

  async function send(reminder: Reminder, people: { managers: string[]; leads: string[] }): Promise<boolean> {
    const r = reminder.remediation;
    const claimed = await log.claim(reminder, recipients(reminder, people));
    if (!claimed) return false;
    const ctx = deps.messageContext();
    try {
      if (reminder.kind === 'breach') await inThread(claimed, breachNote(claimed, ctx, people.managers));
      else if (claimed.owner) {
        const dm = dueSoonReminder(claimed, ctx, await permalink(claimed));
        await client.chat.postMessage({ channel: claimed.owner, text: dm.text, blocks: dm.blocks, unfurl_links: false });
      } else await inThread(claimed, unownedReminder(claimed, ctx, people.leads));
      return true;
    } catch (e) {
      logger.warn({ remediationId: r.id, reminder: reminder.key, error: slackError(e) }, 'reminder not delivered; it will be tried again next run');
      await log.release(reminder, slackError(e));
      throw e;
    }
  }

  const recipients = (reminder: Reminder, people: { managers: string[]; leads: string[] }): string[] => {
    const r = reminder.remediation;
    return reminder.kind === 'breach' ? [...new Set([...(r.owner ? [r.owner] : []), ...people.managers])] : r.owner ? [r.owner] : people.leads;
  };

  /** Many reminders that would each need a new message: one round-up message instead, each still recorded. */
  async function roundup(reminders: readonly Reminder[], people: { managers: string[]; leads: string[] }): Promise<ReminderRun> {
    const claimed: { reminder: Reminder; r: Remediation }[] = [];
    for (const reminder of reminders) {
      const r = await log.claim(reminder, recipients(reminder, people));
      if (r) claimed.push({ reminder, r });
    }
    if (claimed.length === 0) return { sent: 0, failed: 0 };
    const breached = claimed.filter((c) => c.reminder.kind === 'breach').map((c) => c.r);
    const unowned = claimed.filter((c) => c.reminder.kind !== 'breach').map((c) => c.r);
    const message = reminderRoundup(breached, unowned, deps.messageContext(), people.managers, people.leads);
    try {
      await client.chat.postMessage({ channel: deps.channel, text: message.text, blocks: message.blocks, unfurl_links: false });
      return { sent: claimed.length, failed: 0 };
    } catch (e) {
      logger.warn({ reminders: claimed.length, error: slackError(e) }, 'reminder round-up not delivered; it will be tried again next run');
      for (const c of claimed) await log.release(c.reminder, slackError(e));
      return { sent: 0, failed: claimed.length };
    }
  }

  return async () => {
    let owed = await find();
    if (owed.length === 0) return { sent: 0, failed: 0 };
    const [managers, leads] = await Promise.all([deps.roles.usersWith('manager'), deps.roles.usersWith('lead')]);
    let sent = 0;
    let failed = 0;
    // Reminders that go to a thread, for remediations with no message yet: a few get their message; many at
    // once (a first run after a first sync) get one round-up, so the channel is not flooded.
    const messageless = owed.filter((x) => (x.kind === 'breach' || !x.remediation.owner) && !x.remediation.message);
    if (messageless.length > ROUNDUP_AFTER) {
      const done = await roundup(messageless, { managers, leads });
      sent += done.sent;
      failed += done.failed;
      owed = owed.filter((x) => !messageless.includes(x));
    }
    for (const reminder of owed) {
      try {
        if (await send(reminder, { managers, leads })) sent += 1;
      } catch {
        failed += 1;
      }
    }
    return { sent, failed };
  };
}
