/**
 * Slack's side of Socket Mode on the fake's own HTTP server: `apps.connections.open` (app-level xapp- token only)
 * hands out a single-use `ws://…/link/?ticket=…&app_id=…`; the WebSocket greets with
 * `{"type":"hello","num_connections","debug_info","connection_info":{"app_id"}}`, pings like Slack's applink
 * ("Ping from applink-…"), delivers envelopes `{envelope_id, type, accepts_response_payload, payload,
 * retry_attempt, retry_reason}` and resolves each one with the app's ack `{envelope_id, payload}`. `drop()`
 * closes a connection (optionally after `{"type":"disconnect","reason":…}`) so a test can watch the client reconnect.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiResult } from './fake-state.js';
import type { DisconnectReason, EnvelopeType, SendOptions, SocketAck, SocketConnection, SocketModeFake } from './socket-mode-types.js';

export type { DisconnectReason, EnvelopeType, SendOptions, SocketAck, SocketConnection, SocketModeFake } from './socket-mode-types.js';

interface Live { info: SocketConnection; ws: WebSocket; ping: NodeJS.Timeout }
interface Waiter { n: number; resolve: (c: SocketConnection) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
interface Pending { resolve: (ack: SocketAck) => void; reject: (e: Error) => void; timer: NodeJS.Timeout; connection: number; accepts: boolean }

export class SocketModeHub implements SocketModeFake {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Map<string, boolean>();
  private readonly live: Live[] = [];
  private readonly all: SocketConnection[] = [];
  private readonly pending = new Map<string, Pending>();
  private readonly log: Array<{ connection: number; direction: 'sent' | 'received'; data: unknown }> = [];
  private readonly waiters = new Set<Waiter>();
  private greetedAtDrop = 0;
  opens = 0;

  constructor(
    readonly appToken: string,
    private readonly appId: string,
    private readonly origin: () => string,
    private readonly warn: (message: string) => void,
    private readonly pingIntervalMs = 10_000,
  ) {}

  /** Token rules of app-level methods: null when neither the method nor the token is app-level. */
  authorize(method: string, token: string, isBotToken: boolean): ApiResult | null {
    if (method === 'apps.connections.open') {
      if (token === this.appToken) return { ok: true };
      return { ok: false, error: isBotToken ? 'not_allowed_token_type' : 'invalid_auth' };
    }
    return token.startsWith('xapp-') ? { ok: false, error: 'not_allowed_token_type' } : null;
  }

  open(): ApiResult {
    const ticket = randomUUID();
    this.tickets.set(ticket, false);
    this.opens += 1;
    return { ok: true, url: `${this.origin().replace(/^http/, 'ws')}/link/?ticket=${ticket}&app_id=${this.appId}` };
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', this.origin());
    const ticket = url.searchParams.get('ticket') ?? '';
    const refuse = (status: string): void => void socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    if (url.pathname !== '/link/' && url.pathname !== '/link') return refuse('404 Not Found');
    if (this.tickets.get(ticket) !== false) return refuse('401 Unauthorized');
    this.tickets.set(ticket, true);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, ticket));
  }

  private accept(ws: WebSocket, ticket: string): void {
    const info: SocketConnection = { id: this.all.length + 1, ticket, open: true, closeCode: null };
    const ping = setInterval(() => ws.ping(Buffer.from(`Ping from applink-fake-${info.id}`)), this.pingIntervalMs);
    const live = { info, ws, ping };
    this.all.push(info);
    this.live.push(live);
    ws.on('message', (data, isBinary) => this.receive(info, isBinary ? null : String(data)));
    ws.on('close', (code) => {
      clearInterval(ping);
      Object.assign(info, { open: false, closeCode: code });
      this.live.splice(this.live.indexOf(live), 1);
      for (const [id, p] of this.pending) if (p.connection === info.id) this.settle(id)?.reject(new Error(`connection ${info.id} closed before envelope ${id} was acknowledged`));
    });
    this.write(live, {
      type: 'hello', num_connections: this.live.length,
      debug_info: { host: `applink-fake-${info.id}`, build_number: 1, approximate_connection_time: 18060 },
      connection_info: { app_id: this.appId },
    });
    for (const w of this.waiters) {
      if (this.all.length < w.n) continue;
      clearTimeout(w.timer);
      this.waiters.delete(w);
      w.resolve(this.all[w.n - 1] as SocketConnection);
    }
  }

  private write(live: Live, data: Record<string, unknown>): void {
    this.log.push({ connection: live.info.id, direction: 'sent', data });
    live.ws.send(JSON.stringify(data));
  }

  private settle(id: string): Pending | undefined {
    const p = this.pending.get(id);
    if (p) clearTimeout(p.timer);
    this.pending.delete(id);
    return p;
  }

  private receive(info: SocketConnection, text: string | null): void {
    let msg: Record<string, unknown> | null = null;
    try {
      msg = text === null ? null : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      // reported below
    }
    this.log.push({ connection: info.id, direction: 'received', data: msg ?? text });
    const id = typeof msg?.envelope_id === 'string' ? msg.envelope_id : null;
    const p = id === null ? undefined : this.settle(id);
    if (!msg || id === null || !p) return this.warn(`socket mode: unexpected frame from the app: ${text ?? '<binary>'}`);
    const payload = typeof msg.payload === 'object' && msg.payload !== null ? (msg.payload as Record<string, unknown>) : {};
    if (!p.accepts && Object.keys(payload).length > 0) this.warn(`socket mode: ack of ${id} carries a payload, but the envelope does not accept one (Slack ignores it)`);
    p.resolve({ envelope_id: id, payload, connection: info.id });
  }

  send(type: EnvelopeType, payload: Record<string, unknown>, opts: SendOptions = {}): Promise<SocketAck> {
    const live = this.live.at(-1);
    if (!live) return Promise.reject(new Error('socket mode: no open connection to deliver on (await waitForConnection() first)'));
    const envelope_id = randomUUID();
    const accepts = opts.acceptsResponsePayload ?? type !== 'events_api';
    const ackTimeoutMs = opts.ackTimeoutMs ?? 3000;
    return new Promise<SocketAck>((resolve, reject) => {
      const timer = setTimeout(() => this.settle(envelope_id)?.reject(new Error(`envelope ${envelope_id} (${type}) was not acknowledged within ${ackTimeoutMs} ms`)), ackTimeoutMs);
      this.pending.set(envelope_id, { resolve, reject, timer, connection: live.info.id, accepts });
      this.write(live, { envelope_id, type, accepts_response_payload: accepts, payload, retry_attempt: opts.retryAttempt ?? 0, retry_reason: opts.retryReason ?? '' });
    });
  }

  async drop(opts: { disconnect?: DisconnectReason; terminate?: boolean } = {}): Promise<SocketConnection> {
    const live = this.live.at(-1);
    if (!live) throw new Error('socket mode: no open connection to drop');
    this.greetedAtDrop = this.all.length;
    const closed = new Promise<void>((resolve) => live.ws.once('close', () => resolve()));
    if (opts.disconnect) this.write(live, { type: 'disconnect', reason: opts.disconnect, debug_info: { host: `applink-fake-${live.info.id}` } });
    if (opts.terminate) live.ws.terminate();
    else live.ws.close(1001, 'going away');
    await closed;
    return live.info;
  }

  connections(): SocketConnection[] {
    return this.all.map((c) => ({ ...c }));
  }

  waitForConnection(n = 1, timeoutMs = 10_000): Promise<SocketConnection> {
    if (this.all.length >= n) return Promise.resolve(this.all[n - 1] as SocketConnection);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        n, resolve, reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new Error(`socket mode: connection ${n} did not arrive within ${timeoutMs} ms (${this.all.length} so far, ${this.opens} apps.connections.open)`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  reconnected(timeoutMs?: number): Promise<SocketConnection> {
    return this.waitForConnection(this.greetedAtDrop + 1, timeoutMs);
  }

  frames(): Array<{ connection: number; direction: 'sent' | 'received'; data: unknown }> {
    return [...this.log];
  }

  /** Closes every socket with a close frame (so a client mid-handshake finishes it), terminating any that lingers past 200 ms. */
  async close(): Promise<void> {
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(new Error('the fake was closed'));
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(new Error('the fake was closed'));
    }
    this.waiters.clear();
    await Promise.all(this.live.map((l) => new Promise<void>((resolve) => {
      const force = setTimeout(() => l.ws.terminate(), 200);
      l.ws.once('close', () => {
        clearTimeout(force);
        resolve();
      });
      l.ws.close(1001, 'going away');
    })));
    this.wss.close();
  }
}
