/**
 * Keeps each remediation's one message current: posts it the first time (remembering where, with what is behind
 * it in its thread), updates it in place after every step, and adds a line to its thread saying what happened. The step itself is already
 * recorded when this runs, so a Slack failure here is logged, never undone.
 */
import type { WebClient } from '@slack/web-api';
import type { Store } from '../../app/ports.js';
import { writeVersioned } from '../../app/write-versioned.js';
import { ok } from '../../domain/result.js';
import type { MessageRef, Remediation } from '../../domain/remediation.js';
import type { Logger } from '../../logger.js';
import { createFindingsDetail } from '../../app/reports/findings-detail.js';
import { remediationMessage, type MessageContext } from '../views/remediation-message.js';
import { postFindingsInThread } from './thread-findings.js';

export interface RemediationPublisher {
  /** Posts or updates the message, then adds `note` to its thread. Returns the remediation as stored after. */
  publish(r: Remediation, note?: string): Promise<Remediation>;
}

export interface PublisherDeps {
  readonly client: WebClient;
  readonly channel: string;
  readonly store: Store;
  readonly context: () => MessageContext;
  readonly logger: Logger;
}

const GONE = new Set(['message_not_found', 'channel_not_found', 'cant_update_message']);

const slackError = (e: unknown): string | undefined => (e as { data?: { error?: string } }).data?.error;

export function createRemediationPublisher({ client, channel, store, context, logger }: PublisherDeps): RemediationPublisher {
  /** Records where the message is; another writer in between only means reading again. */
  async function remember(id: string, message: MessageRef): Promise<Remediation | null> {
    const written = await writeVersioned(store.remediations, id, (current) => ok({ next: { ...current, message }, events: [] }));
    return written.ok ? written.value.after : null;
  }

  const findingsOf = createFindingsDetail({ store });

  /** A new message: posted, remembered, and what is behind it put in its thread (a failure there is only logged). */
  async function post(r: Remediation): Promise<Remediation> {
    const { text, blocks } = remediationMessage(r, context());
    const res = await client.chat.postMessage({ channel, text, blocks, unfurl_links: false, unfurl_media: false });
    const ref = { channel: res.channel ?? channel, ts: res.ts ?? '' };
    const stored = (await remember(r.id, ref)) ?? { ...r, message: ref };
    try {
      await postFindingsInThread(client, await findingsOf(stored), ref, context().timeZone);
    } catch (e) {
      logger.error({ err: e, remediationId: r.id, error: slackError(e) }, 'could not post the findings in the remediation thread');
    }
    return stored;
  }

  async function update(r: Remediation, ref: MessageRef): Promise<Remediation> {
    const { text, blocks } = remediationMessage(r, context());
    try {
      await client.chat.update({ channel: ref.channel, ts: ref.ts, text, blocks });
      return r;
    } catch (e) {
      if (!GONE.has(slackError(e) ?? '')) throw e;
      logger.warn({ remediationId: r.id, error: slackError(e) }, 'the remediation message is gone; posting it again');
      return post(r);
    }
  }

  return {
    async publish(r, note) {
      const log = logger.child({ remediationId: r.id });
      try {
        const current = r.message ? await update(r, r.message) : await post(r);
        if (note && current.message) {
          await client.chat.postMessage({ channel: current.message.channel, thread_ts: current.message.ts, text: note, unfurl_links: false });
        }
        return current;
      } catch (e) {
        log.error({ err: e, error: slackError(e) }, 'could not update the remediation message in Slack (the step is recorded)');
        return r;
      }
    },
  };
}
