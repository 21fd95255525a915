/**
 * The Bolt app: HTTP on `/slack/events` (with `/healthz`) by default (Bolt's receiver behind a guard: receiver.ts),
 * Socket Mode when an app token is set.
 * Bolt logs through pino, talks to `SLACK_API_URL`, and its token is checked with auth.test before we say "ready".
 */
import type { ServerResponse } from 'node:http';
import bolt, { type App as BoltApp } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import type { SlackConfig } from '../config.js';
import { boltLogger, type Logger } from '../logger.js';
import { createHttpReceiver, type AckCounter } from './receiver.js';
import { guardSocketFrames } from './socket-frames.js';

const { App, LogLevel, SocketModeReceiver } = bolt;
export type App = BoltApp;

export interface SlackAppOptions {
  readonly slack: SlackConfig;
  readonly logger: Logger;
  /** Answers /healthz: true when the store responds (cached and time-limited: health-check.ts). */
  readonly healthy: () => Promise<boolean>;
  /** False while starting (reports warming): /healthz answers 503 `starting`, so no load balancer sends work yet. */
  readonly ready?: () => boolean;
  /** Extra Web API client options (tests turn retries off). */
  readonly clientOptions?: WebClientOptions;
  /** Counts the HTTP requests not yet acknowledged (the turns hold new work for them). */
  readonly acks?: AckCounter;
}

function healthRoute(healthy: () => Promise<boolean>, ready: () => boolean, logger: Logger) {
  return (_req: unknown, res: ServerResponse): void => {
    if (!ready()) {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'starting' }));
      return;
    }
    healthy()
      .catch((e: unknown) => {
        logger.warn({ err: e }, 'health check failed');
        return false;
      })
      .then((ok) => {
        res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: ok ? 'ok' : 'unavailable' }));
      })
      .catch(() => undefined);
  };
}

export function createSlackApp({ slack, logger, healthy, ready = () => true, clientOptions, acks }: SlackAppOptions): App {
  const customRoutes = [{ path: '/healthz', method: ['GET'], handler: healthRoute(healthy, ready, logger) }];
  const common = {
    token: slack.botToken,
    logger: boltLogger(logger),
    logLevel: LogLevel.INFO,
    deferInitialization: true,
    // The error handler gets the request body, so it can tell the person what happened.
    extendedErrorHandler: true,
    // Bolt's per-conversation state store: unused here, and a lookup on every request's ack path.
    convoStore: false as const,
    clientOptions: { ...clientOptions, slackApiUrl: slack.apiUrl },
  };
  if (!slack.appToken) return new App({ ...common, receiver: createHttpReceiver({ signingSecret: slack.signingSecret ?? '', customRoutes, logger: common.logger, ...(acks ? { acks } : {}) }) });
  // The Socket Mode client opens its connection (apps.connections.open) with these options too: SLACK_API_URL holds.
  const receiver = new SocketModeReceiver({ appToken: slack.appToken, logger: common.logger, logLevel: common.logLevel, customRoutes, installerOptions: { port: slack.port, clientOptions: common.clientOptions } });
  guardSocketFrames(receiver.client, logger.child({ component: 'socket-mode' }));
  return new App({ ...common, receiver });
}
