/** What a test sees of the fake's Socket Mode (socket-mode.ts): connections, envelopes and their acks, drops. */

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';
export type DisconnectReason = 'refresh_requested' | 'warning' | 'link_disabled' | 'too_many_websockets';

export interface SocketConnection {
  /** 1-based, in the order the sockets were accepted. */
  id: number;
  ticket: string;
  open: boolean;
  closeCode: number | null;
}

export interface SocketAck {
  envelope_id: string;
  /** The ack's `payload` as the app sent it ({} for a bare ack()). */
  payload: Record<string, unknown>;
  connection: number;
}

export interface SendOptions {
  acceptsResponsePayload?: boolean;
  retryAttempt?: number;
  retryReason?: string;
  /** Reject when the app has not acked by then (Slack gives up after about 3 s). Default 3000. */
  ackTimeoutMs?: number;
}

export interface SocketModeFake {
  appToken: string;
  /** Successful apps.connections.open calls. */
  readonly opens: number;
  connections(): SocketConnection[];
  /** Resolves once `n` connections in all have been greeted with hello (default 1). */
  waitForConnection(n?: number, timeoutMs?: number): Promise<SocketConnection>;
  /** The next connection after the last drop(): a new apps.connections.open and a new socket. */
  reconnected(timeoutMs?: number): Promise<SocketConnection>;
  /** Deliver an envelope on the newest open connection; resolves with the app's ack. */
  send(type: EnvelopeType, payload: Record<string, unknown>, opts?: SendOptions): Promise<SocketAck>;
  /** Close the newest open connection: close frame 1001, or `terminate` (no close frame); `disconnect` sends that message first. */
  drop(opts?: { disconnect?: DisconnectReason; terminate?: boolean }): Promise<SocketConnection>;
  /** Every JSON frame, in order, both ways. */
  frames(): Array<{ connection: number; direction: 'sent' | 'received'; data: unknown }>;
}
