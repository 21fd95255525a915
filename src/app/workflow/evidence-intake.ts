/**
 * Test evidence from Slack: checks each file a person attached (count, size, kind), downloads it with the bot
 * token, refuses anything that is not the file (Slack's sign-in page, an empty file, bytes that are not what the
 * name says: evidence-content.ts), hashes it and keeps a copy in the
 * evidence store. All or nothing: a file is stored only when every file of the upload is good.
 */
import { createHash } from 'node:crypto';
import type { EvidenceFile } from '../../domain/remediation.js';
import { err, ok, type Result } from '../../domain/result.js';
import { ExternalServiceError, type AppError } from '../errors.js';
import type { EvidenceStore } from '../ports.js';
import { contentProblem, extensionOf } from './evidence-content.js';

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

export interface Downloaded {
  readonly contentType: string;
  /** The body, or null when it grew past `maxBytes` (reading stopped there). */
  readonly bytes: Uint8Array | null;
}

/** Downloads a private file; outside failures (network, status, timeout) throw ExternalServiceError. */
export interface FileDownloader {
  download(url: string, maxBytes: number): Promise<Downloaded>;
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

export function createEvidenceIntake({ downloader, evidence }: { downloader: FileDownloader; evidence: EvidenceStore }): EvidenceIntake {
  async function fetchOne(f: IncomingFile): Promise<Result<{ file: IncomingFile; bytes: Uint8Array; contentType: string }, AppError>> {
    let got: Downloaded;
    try {
      got = await downloader.download(f.url, EVIDENCE_LIMITS.maxBytes);
    } catch (e) {
      if (!(e instanceof ExternalServiceError)) throw e;
      return err({ code: 'evidence.download_failed', name: f.name, reason: e.status ? `HTTP ${e.status}` : e.message.replace(/^[^:]*: /, '') });
    }
    if (HTML.test(got.contentType)) return err({ code: 'evidence.not_a_file', name: f.name, contentType: got.contentType });
    if (got.bytes === null) return err({ code: 'evidence.too_large', name: f.name, size: EVIDENCE_LIMITS.maxBytes + 1, max: EVIDENCE_LIMITS.maxBytes });
    const wrong = contentProblem(f.name, got.bytes);
    if (wrong) return err(wrong);
    return ok({ file: f, bytes: got.bytes, contentType: got.contentType });
  }

  return async (files) => {
    const refused = checkFiles(files);
    if (refused) return err(refused);
    const fetched = await Promise.all(files.map(fetchOne));
    const failed = fetched.find((r) => !r.ok);
    if (failed && !failed.ok) return err(failed.error);
    const kept: EvidenceFile[] = [];
    for (const r of fetched) {
      if (!r.ok) continue;
      const { file, bytes, contentType } = r.value;
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const mimeType = file.mimeType || contentType.split(';')[0]!.trim();
      const stored = await evidence.put(bytes, file.name, mimeType);
      if (stored.sha256 !== sha256) throw new Error(`evidence store kept ${file.name} under ${stored.sha256}, expected ${sha256}`);
      kept.push({ sha256, size: bytes.byteLength, name: file.name, mimeType, slackFileId: file.id });
    }
    return ok(kept);
  };
}
