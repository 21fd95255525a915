/**
 * Posts a stored remediation's one message as the digest does: a `remediation.message` effect recorded in the
 * store, then done by an outbox drainer with the real handler, through the real WebClient.
 */
import type { WebClient } from '@slack/web-api';
import { createOutboxDrainer } from '../../src/app/outbox/drain-outbox.js';
import type { Store } from '../../src/app/ports.js';
import type { Remediation } from '../../src/domain/remediation.js';
import { createLogger } from '../../src/logger.js';
import { createRemediationMessages } from '../../src/slack/posting/publish-remediation.js';
import type { MessageContext } from '../../src/slack/views/remediation-message.js';

export interface PostMessageDeps {
  readonly store: Store;
  readonly client: WebClient;
  readonly channel: string;
  readonly context: () => MessageContext;
}

export async function postRemediationMessage(deps: PostMessageDeps, r: Pick<Remediation, 'id'>): Promise<Remediation> {
  const logger = createLogger('silent');
  const messages = createRemediationMessages({ ...deps, logger });
  const outbox = createOutboxDrainer({ store: deps.store, handlers: { 'remediation.message': messages.message, 'remediation.note': messages.note }, now: () => deps.context().now, logger });
  await deps.store.commit({ events: [], effects: [{ kind: 'remediation.message', subject: r.id }] });
  await outbox.drain([r.id]);
  const stored = await deps.store.remediations.get(r.id);
  if (!stored?.message) throw new Error(`${r.id}: its message was not posted`);
  return stored;
}
