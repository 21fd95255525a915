/**
 * Posts a stored remediation's one message as the digest does: a `remediation.message` effect recorded in the
 * store, then done by an outbox drainer with the real handlers (the message, then what is behind it in its
 * thread), through the real WebClient.
 */
import type { WebClient } from '@slack/web-api';
import { createOutboxDrainer } from '../../src/app/outbox/drain-outbox.js';
import type { Store } from '../../src/app/ports.js';
import type { Remediation } from '../../src/domain/remediation.js';
import { createLogger } from '../../src/logger.js';
import { createRemediationMessages } from '../../src/slack/posting/publish-remediation.js';
import { createThreadFindings } from '../../src/slack/posting/thread-findings.js';
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
  const findings = createThreadFindings({ client: deps.client, store: deps.store, timeZone: () => deps.context().timeZone });
  const handlers = { 'remediation.message': messages.message, 'remediation.note': messages.note, 'remediation.findings': findings };
  const outbox = createOutboxDrainer({ store: deps.store, handlers, now: () => deps.context().now, logger });
  await deps.store.commit({ events: [], effects: [{ kind: 'remediation.message', subject: r.id }] });
  await outbox.drain([r.id]);
  const stored = await deps.store.remediations.get(r.id);
  if (!stored?.message) throw new Error(`${r.id}: its message was not posted`);
  return stored;
}
