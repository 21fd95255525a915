/**
 * Keeps one message current while slow work runs (a sync, an evidence pack): one chat.update at a time, no more often
 * than every few seconds unless the change matters (chat.update is rate-limited), failures only logged; `finish`
 * waits for the update in flight, then writes the last word.
 */
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../logger.js';

export type UpdatableMessage = { text: string; blocks: KnownBlock[] };

export interface MessageUpdater {
  /** Shows `message` unless an update is in flight, or one went out less than `everyMs` ago and this one is not `important`. */
  show(message: UpdatableMessage, important?: boolean): void;
  finish(message: UpdatableMessage): Promise<void>;
}

export interface MessageUpdaterOptions {
  readonly client: WebClient;
  readonly channel: string;
  readonly ts: string;
  readonly logger: Logger;
  /** For the log line when an update fails: `the sync message`. */
  readonly what: string;
  readonly everyMs?: number;
}

export function createMessageUpdater({ client, channel, ts, logger, what, everyMs = 3000 }: MessageUpdaterOptions): MessageUpdater {
  let inFlight: Promise<void> = Promise.resolve();
  let busy = false;
  let last = 0;
  const send = (message: UpdatableMessage): Promise<void> =>
    client.chat.update({ channel, ts, ...message }).then(
      () => undefined,
      (e: unknown) => logger.warn({ err: e }, `could not update ${what}`),
    );
  return {
    show(message, important = false) {
      if (busy || (!important && Date.now() - last < everyMs)) return;
      busy = true;
      last = Date.now();
      inFlight = send(message).finally(() => (busy = false));
    },
    async finish(message) {
      await inFlight;
      await send(message);
    },
  };
}
