/**
 * The FileDownloader port on Slack: opens a file's url_private_download with the bot token (Node's fetch, 30 s
 * timeout for the whole download) and hands its body over as it arrives, to be streamed into the store. The token is only ever sent to Slack's own hosts (those of the Web
 * API URL and its subdomains, e.g. files.slack.com), never to whatever URL a payload names.
 */
import { ExternalServiceError } from '../../app/errors.js';
import type { Download, FileDownloader } from '../../app/workflow/evidence-intake.js';

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

/** The body as it arrives; an outside failure mid-way becomes ExternalServiceError. */
async function* chunksOf(body: ReadableStream<Uint8Array>, describe: (e: unknown) => ExternalServiceError): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  let done = false;
  try {
    for (;;) {
      let next: Awaited<ReturnType<typeof reader.read>>;
      try {
        next = await reader.read();
      } catch (e) {
        throw describe(e);
      }
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    // Left early (too large, a failure elsewhere): the rest is not downloaded.
    if (!done) await reader.cancel().catch(() => undefined);
  }
}

export function slackFileDownloader({ token, apiUrl, timeoutMs = 30_000, fetch = globalThis.fetch }: SlackFilesOptions): FileDownloader {
  const api = new URL(apiUrl);
  const describe = (e: unknown): ExternalServiceError => {
    if (e instanceof ExternalServiceError) return e;
    const timedOut = (e as Error).name === 'TimeoutError' || (e as Error).name === 'AbortError';
    return new ExternalServiceError('Slack', timedOut ? `no answer within ${Math.round(timeoutMs / 1000)} s` : `download failed (${(e as Error).message})`, null, true);
  };
  return {
    async open(url): Promise<Download> {
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        throw new ExternalServiceError('Slack', 'the file has no download address');
      }
      if (!allowed(target, api)) throw new ExternalServiceError('Slack', `refusing to send the bot token to ${target.host}`);
      let res: Response;
      try {
        res = await fetch(target, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
      } catch (e) {
        throw describe(e);
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new ExternalServiceError('Slack', `download answered ${res.status}`, res.status, res.status >= 500);
      }
      const declared = Number(res.headers.get('content-length') ?? NaN);
      const body = res.body;
      return {
        contentType: res.headers.get('content-type') ?? 'application/octet-stream',
        length: Number.isFinite(declared) ? declared : null,
        body: body ? chunksOf(body, describe) : (async function* () {})(),
        cancel: async () => void (await body?.cancel().catch(() => undefined)),
      };
    },
  };
}
