/** Helpers for the source adapters' integration tests: a capturing logger, a sleep that records, draining a run. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import type { KeyValue, SourcePage, SourceRun, SyncCursor } from '../../src/app/ports.js';
import type { Asset } from '../../src/domain/asset.js';
import type { Finding } from '../../src/domain/finding.js';
import { parseBaseConfig, type BaseConfig } from '../../src/config.js';
import { createLogger, type Logger } from '../../src/logger.js';
import type { RetryPolicy } from '../../src/sources/shared/retry.js';

/** Fast, bounded retries for tests: the sleeps are recorded, never waited. */
export const TEST_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, maxWaitMs: 3_600_000 };

export interface Sleeper {
  readonly sleeps: number[];
  sleep(ms: number): Promise<void>;
}

export function recordingSleep(onSleep?: (ms: number) => void): Sleeper {
  const sleeps: number[] = [];
  return { sleeps, sleep: async (ms) => void (sleeps.push(ms), onSleep?.(ms)) };
}

/** A pino logger at trace level whose every line is kept as text. */
export function captureLogger(): { logger: Logger; text: () => string } {
  const lines: string[] = [];
  const stream = new Writable({ write: (chunk: Buffer, _e, done) => void (lines.push(chunk.toString()), done()) });
  return { logger: createLogger('trace', stream), text: () => lines.join('') };
}

export interface Drained {
  readonly pages: SourcePage[];
  readonly assets: Asset[];
  readonly findings: Finding[];
  readonly completeFor: string[];
  readonly cursor: SyncCursor;
}

export async function drain(run: SourceRun): Promise<Drained> {
  const pages: SourcePage[] = [];
  for await (const p of run.pages) pages.push(p);
  return {
    pages,
    assets: pages.flatMap((p) => p.assets ?? []),
    findings: pages.flatMap((p) => p.findings ?? []),
    completeFor: pages.flatMap((p) => p.completeFor ?? []),
    cursor: run.cursor(),
  };
}

/** The last version of each asset yielded (a run may yield an asset again when a probe changed it). */
export const latest = (assets: readonly Asset[]): Map<string, Asset> => new Map(assets.map((a) => [a.id, a]));

export function memoryKv(): KeyValue & { readonly data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  const k = (ns: string, key: string): string => `${ns}\u0000${key}`;
  const clone = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
  return {
    data,
    get: async <T>(ns: string, key: string) => (data.has(k(ns, key)) ? (clone(data.get(k(ns, key))) as T) : null),
    getMany: async <T>(ns: string, keys: readonly string[]) => new Map(keys.filter((key) => data.has(k(ns, key))).map((key) => [key, clone(data.get(k(ns, key))) as T])),
    put: async (ns, key, value) => void data.set(k(ns, key), clone(value)),
    putMany: async (ns, entries) => entries.forEach((v, key) => data.set(k(ns, key), clone(v))),
    list: async <T>(ns: string) => new Map([...data].filter(([key]) => key.startsWith(`${ns}\u0000`)).map(([key, v]) => [key.slice(ns.length + 1), clone(v) as T])),
    delete: async (ns, key) => void data.delete(k(ns, key)),
  };
}

/** A one-route HTTP server answering every request with the same body: for malformed-response tests. */
export async function fixedServer(status: number, contentType: string, body: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(status, { 'content-type': contentType });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((e) => (e ? reject(e) : resolve()));
    }),
  };
}

/** Rejection of a promise, or a failure if it resolved. */
export async function rejectionOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

/** A BaseConfig from environment variables only (policy defaults, feeds off unless given). */
export function configFrom(env: Record<string, string>): BaseConfig {
  const parsed = parseBaseConfig({ KEV_URL: '', EPSS_URL: '', ...env }, () => null);
  if (!parsed.ok) throw new Error(parsed.error.join('; '));
  return parsed.value;
}
