/**
 * Sends what the reminders use case finds owed: a DM to the owner at reminder time (to the thread, for the leads,
 * when nobody owns it), and at breach a note in the remediation's thread naming the owner and every manager (the
 * message itself is refreshed to show it overdue). Each reminder is recorded before it goes out and taken back if
 * Slack refuses it (src/app/reminders.ts), so none is sent twice.
 */
import { createFindReminders, createReminderLog, type Reminder } from '../app/reminders.js';
import type { Remediation } from '../domain/remediation.js';
import type { SlackDeps } from './deps.js';
import { breachNote, dueSoonReminder, unownedReminder } from './views/reminder.js';

export interface ReminderRun {
  readonly sent: number;
  readonly failed: number;
}

const slackError = (e: unknown): string => (e as { data?: { error?: string } }).data?.error ?? (e instanceof Error ? e.message : String(e));

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
    const to = reminder.kind === 'breach' ? [...new Set([...(r.owner ? [r.owner] : []), ...people.managers])] : r.owner ? [r.owner] : people.leads;
    const claimed = await log.claim(reminder, to);
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

  return async () => {
    const owed = await find();
    if (owed.length === 0) return { sent: 0, failed: 0 };
    const [managers, leads] = await Promise.all([deps.roles.usersWith('manager'), deps.roles.usersWith('lead')]);
    let sent = 0;
    let failed = 0;
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
