/**
 * The FileDownloader port on Slack: fetches a file's url_private_download with the bot token (Node's fetch,
 * 30 s timeout), reading at most `maxBytes`. The token is only ever sent to Slack's own hosts (those of the Web
 * API URL and its subdomains, e.g. files.slack.com), never to whatever URL a payload names.
 */
import { ExternalServiceError } from '../../app/errors.js';
import type { Downloaded, FileDownloader } from '../../app/workflow/evidence-intake.js';

export interface SlackFilesOptions {
  readonly token: string;
  /** SLACK_API_URL: files are served from its host or a subdomain of it. */
  readonly apiUrl: string;
  readonly timeoutMs?: number;
  readonly fetch?: typeof globalThis.fetch;
}

function allowed(url: URL, api: URL): boolean {
  const host = api.hostname.replace(/^(www|api)\./, '');
  const sameHost = url.hostname === host || url.hostname.endsWith(`.${host}`) || url.hostname === api.hostname;
  return sameHost && (url.protocol === 'https:' || url.protocol === api.protocol);
}

async function readCapped(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array | null> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export function slackFileDownloader({ token, apiUrl, timeoutMs = 30_000, fetch = globalThis.fetch }: SlackFilesOptions): FileDownloader {
  const api = new URL(apiUrl);
  return {
    async download(url, maxBytes): Promise<Downloaded> {
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        throw new ExternalServiceError('Slack', 'the file has no download address');
      }
      if (!allowed(target, api)) throw new ExternalServiceError('Slack', `refusing to send the bot token to ${target.host}`);
      try {
        const res = await fetch(target, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
        if (!res.ok) {
          await res.body?.cancel();
          throw new ExternalServiceError('Slack', `download answered ${res.status}`, res.status, res.status >= 500);
        }
        const contentType = res.headers.get('content-type') ?? 'application/octet-stream';
        const declared = Number(res.headers.get('content-length') ?? NaN);
        if (Number.isFinite(declared) && declared > maxBytes) {
          await res.body?.cancel();
          return { contentType, bytes: null };
        }
        return { contentType, bytes: res.body ? await readCapped(res.body, maxBytes) : new Uint8Array() };
      } catch (e) {
        if (e instanceof ExternalServiceError) throw e;
        const timedOut = (e as Error).name === 'TimeoutError' || (e as Error).name === 'AbortError';
        throw new ExternalServiceError('Slack', timedOut ? `no answer within ${Math.round(timeoutMs / 1000)} s` : `download failed (${(e as Error).message})`, null, true);
      }
    },
  };
}
