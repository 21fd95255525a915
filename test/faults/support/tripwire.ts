/**
 * A pass-through HTTP proxy in front of one fake (Slack, GitHub, Snyk, SSM…) that can pull the plug at a chosen
 * moment: armed with `k`, it calls `trip()` when the k-th request after arming arrives, before that request is
 * forwarded, and drops it. With `trip` killing the bot (SIGKILL), that is "the bot died right before its k-th call
 * to the outside": between a store write and the Slack post, between two pages, mid-step. Link headers that point
 * at the fake are rewritten to point here, so every page of a paginated read passes the wire too.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Tripwire {
  /** Give the bot this instead of the fake's URL (same path prefix). */
  readonly url: string;
  /** Requests forwarded so far (since start). */
  readonly seen: number;
  /** Calls `trip` at the k-th request from now (1 = the next one); that request is dropped. */
  arm(k: number, trip: () => void): void;
  disarm(): void;
  /** Whether it fired since it was last armed. */
  readonly fired: boolean;
  close(): Promise<void>;
}

export async function startTripwire(target: string): Promise<Tripwire> {
  const base = new URL(target);
  let seen = 0;
  let armed: { at: number; trip: () => void } | null = null;
  let fired = false;
  let self = '';

  const forward = (req: IncomingMessage, res: ServerResponse): void => {
    const upstream = request(
      { host: base.hostname, port: base.port, method: req.method, path: req.url, headers: { ...req.headers, host: base.host } },
      (up) => {
        const headers = { ...up.headers };
        if (typeof headers.link === 'string') headers.link = headers.link.split(base.origin).join(self);
        res.writeHead(up.statusCode ?? 502, headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  };

  const server = createServer((req, res) => {
    seen += 1;
    if (armed && seen >= armed.at) {
      const { trip } = armed;
      armed = null;
      fired = true;
      trip();
      req.socket.destroy();
      return;
    }
    forward(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  self = `http://127.0.0.1:${port}`;
  return {
    url: `${self}${base.pathname === '/' ? '' : base.pathname}`,
    get seen() {
      return seen;
    },
    arm(k, trip) {
      armed = { at: seen + k, trip };
      fired = false;
    },
    disarm() {
      armed = null;
    },
    get fired() {
      return fired;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
