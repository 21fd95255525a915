/**
 * Socket Mode frames the client cannot read. @slack/socket-mode handles each WebSocket message in an async
 * listener; an envelope it cannot read (an `events_api` envelope whose payload has no event, found by the fault
 * suite's mutated envelopes) throws there, and the rejection is unhandled: under Node's default that takes the
 * process down. Each listener's failure is caught here, logged and the frame dropped (unacknowledged, so Slack may
 * send it again; a whole one is then handled as usual).
 */
import type { SocketModeClient } from '@slack/socket-mode';
import type { Logger } from '../logger.js';

type FrameListener = (data: unknown, isBinary: boolean) => unknown;

export function guardSocketFrames(client: SocketModeClient, logger: Logger): void {
  const listeners = client.listeners('ws_message') as FrameListener[];
  client.removeAllListeners('ws_message');
  for (const listener of listeners) {
    client.on('ws_message', (data: unknown, isBinary: boolean) => {
      Promise.resolve()
        .then(() => listener.call(client, data, isBinary))
        .catch((e: unknown) => logger.warn({ err: e }, 'dropped a Socket Mode frame the client could not read'));
    });
  }
}
