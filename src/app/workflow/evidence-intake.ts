/**
 * Test evidence from Slack: checks each file a person attached (count, size, kind), streams it from Slack with the
 * bot token into the evidence store (hashed on the way, never whole in memory), refuses anything that is not the
 * file (Slack's sign-in page, an empty file, bytes that are not what the name says: evidence-content.ts, read from
 * the first bytes as they pass) or grows past the limit, and keeps them. All or nothing: a file is kept only when
 * every file of the upload is good; the others are dropped.
 */
import type { EvidenceFile } from '../../domain/remediation.js';
import { err, ok, type Result } from '../../domain/result.js';
import { ExternalServiceError, type AppError } from '../errors.js';
import { EvidenceTooLarge, type EvidenceStore, type ReceivedEvidence } from '../ports.js';
import { CONTENT_CHECKED_BYTES, contentProblem, extensionOf } from './evidence-content.js';

/** A file as a person attached it (Slack's file object, in our words). */
export interface IncomingFile {
  readonly id: string;
  readonly name: string;
  /** Size Slack reports. */
  readonly size: number;
  readonly mimeType: string;
  /** Where to download it from (Slack's url_private_download). */
  readonly url: string;
}

/** A private file being downloaded: what the server said of it, and its bytes as they arrive. */
export interface Download {
  readonly contentType: string;
  /** The length the server announced, if it did. */
  readonly length: number | null;
  /** The bytes; an outside failure while reading throws ExternalServiceError. Leaving the loop early stops the download. */
  readonly body: AsyncIterable<Uint8Array>;
  /** Stops it without reading on. */
  cancel(): Promise<void>;
}

/** Opens a private file's download; outside failures (network, status, timeout) throw ExternalServiceError. */
export interface FileDownloader {
  open(url: string): Promise<Download>;
}

export const EVIDENCE_LIMITS = {
  maxFiles: 10,
  maxBytes: 10 * 1024 * 1024,
  /** By extension; Slack's `filetypes` on the file_input is a convenience only. */
  types: ['png', 'jpg', 'jpeg', 'pdf', 'txt', 'log'],
} as const;

/** What can be refused before downloading anything (shown on the form). */
export function checkFiles(files: readonly Pick<IncomingFile, 'name' | 'size'>[]): AppError | null {
  if (files.length > EVIDENCE_LIMITS.maxFiles) return { code: 'evidence.too_many', count: files.length, max: EVIDENCE_LIMITS.maxFiles };
  for (const f of files) {
    if (!(EVIDENCE_LIMITS.types as readonly string[]).includes(extensionOf(f.name))) {
      return { code: 'evidence.type_not_allowed', name: f.name, allowed: EVIDENCE_LIMITS.types };
    }
    if (f.size > EVIDENCE_LIMITS.maxBytes) return { code: 'evidence.too_large', name: f.name, size: f.size, max: EVIDENCE_LIMITS.maxBytes };
    if (f.size === 0) return { code: 'evidence.empty', name: f.name };
  }
  return null;
}

export type EvidenceIntake = (files: readonly IncomingFile[]) => Promise<Result<EvidenceFile[], AppError>>;

const HTML = /^\s*(text\/html|application\/xhtml\+xml)\b/i;

type Received = { readonly file: IncomingFile; readonly mimeType: string; readonly held: ReceivedEvidence };

/** The bytes as they pass, keeping the first `keep` of them for the content check. */
function keepingHead(body: AsyncIterable<Uint8Array>, keep: number): { body: AsyncIterable<Uint8Array>; head: () => Uint8Array } {
  const chunks: Uint8Array[] = [];
  let kept = 0;
  return {
    body: (async function* () {
      for await (const chunk of body) {
        if (kept < keep) {
          chunks.push(chunk.subarray(0, keep - kept));
          kept += Math.min(chunk.length, keep - kept);
        }
        yield chunk;
      }
    })(),
    head: () => Buffer.concat(chunks),
  };
}

export function createEvidenceIntake({ downloader, evidence }: { downloader: FileDownloader; evidence: EvidenceStore }): EvidenceIntake {
  const downloadFailed = (f: IncomingFile, e: ExternalServiceError): AppError =>
    ({ code: 'evidence.download_failed', name: f.name, reason: e.status ? `HTTP ${e.status}` : e.message.replace(/^[^:]*: /, '') });
  const tooLarge = (f: IncomingFile): AppError => ({ code: 'evidence.too_large', name: f.name, size: EVIDENCE_LIMITS.maxBytes + 1, max: EVIDENCE_LIMITS.maxBytes });

  /** Streams one file from Slack into the store, held apart; never whole in memory. */
  async function receiveOne(f: IncomingFile): Promise<Result<Received, AppError>> {
    let download: Download;
    try {
      download = await downloader.open(f.url);
    } catch (e) {
      if (e instanceof ExternalServiceError) return err(downloadFailed(f, e));
      throw e;
    }
    if (HTML.test(download.contentType)) {
      await download.cancel();
      return err({ code: 'evidence.not_a_file', name: f.name, contentType: download.contentType });
    }
    if (download.length !== null && download.length > EVIDENCE_LIMITS.maxBytes) {
      await download.cancel();
      return err(tooLarge(f));
    }
    const mimeType = f.mimeType || download.contentType.split(';')[0]!.trim();
    const passing = keepingHead(download.body, CONTENT_CHECKED_BYTES);
    try {
      const held = await evidence.receive(passing.body, f.name, mimeType, EVIDENCE_LIMITS.maxBytes);
      const wrong = contentProblem(f.name, passing.head());
      if (!wrong) return ok({ file: f, mimeType, held });
      await held.discard();
      return err(wrong);
    } catch (e) {
      if (e instanceof EvidenceTooLarge) return err(tooLarge(f));
      if (e instanceof ExternalServiceError) return err(downloadFailed(f, e));
      throw e;
    }
  }

  return async (files) => {
    const refused = checkFiles(files);
    if (refused) return err(refused);
    // All at once: each streams through (a chunk at a time), so ten files of 10 MB never sit in memory.
    const received = await Promise.allSettled(files.map(receiveOne));
    const held = received.flatMap((r) => (r.status === 'fulfilled' && r.value.ok ? [r.value.value.held] : []));
    const failed = received.find((r) => r.status === 'rejected' || !r.value.ok);
    if (failed) {
      await Promise.all(held.map((h) => h.discard()));
      if (failed.status === 'rejected') throw failed.reason;
      if (!failed.value.ok) return err(failed.value.error);
    }
    const kept: EvidenceFile[] = [];
    for (const r of received) {
      if (r.status !== 'fulfilled' || !r.value.ok) continue;
      const { file, mimeType, held: h } = r.value.value;
      await h.keep();
      kept.push({ sha256: h.sha256, size: h.size, name: file.name, mimeType, slackFileId: file.id });
    }
    return ok(kept);
  };
}
