/**
 * A file on disk uploaded to a Slack conversation with the upload v2 flow, streamed: files.getUploadURLExternal
 * (name and length), the bytes POSTed to the upload_url straight from the file (never whole in memory: an evidence
 * pack can be hundreds of megabytes), then files.completeUploadExternal shares it with its comment. Slack's answers
 * are parsed by zod; a failure becomes an ExternalServiceError naming the step.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline } from 'node:stream/promises';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { ExternalServiceError } from '../../app/errors.js';

/** Slack's limit for one file. */
export const SLACK_FILE_MAX_BYTES = 1024 * 1024 * 1024;

const uploadUrlAnswer = z.object({ upload_url: z.url(), file_id: z.string().min(1) });
const completeAnswer = z.object({ files: z.array(z.object({ id: z.string() })).min(1) });

export interface UploadRequest {
  readonly path: string;
  readonly filename: string;
  readonly title: string;
  readonly channelId: string;
  readonly initialComment?: string;
  readonly timeoutMs?: number;
}

/** POSTs the file's bytes to `url` with their length; resolves on a 200. */
async function postBytes(url: URL, path: string, size: number, timeoutMs: number): Promise<void> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const status = await new Promise<number>((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) }, timeout: timeoutMs }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0)).once('error', reject);
    });
    req.once('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.once('error', reject);
    pipeline(createReadStream(path), req).catch(reject);
  });
  if (status !== 200) throw new ExternalServiceError('Slack', `the upload answered HTTP ${status}`, status, status >= 500);
}

export async function uploadFile(client: WebClient, r: UploadRequest): Promise<{ readonly fileId: string }> {
  const { size } = await stat(r.path);
  if (size > SLACK_FILE_MAX_BYTES) throw new ExternalServiceError('Slack', `the file is ${(size / 1_048_576).toFixed(0)} MB, over Slack's 1 GB per file`);
  const asked = uploadUrlAnswer.safeParse(await client.files.getUploadURLExternal({ filename: r.filename, length: size }));
  if (!asked.success) throw new ExternalServiceError('Slack', 'files.getUploadURLExternal gave no upload address');
  try {
    await postBytes(new URL(asked.data.upload_url), r.path, size, r.timeoutMs ?? 600_000);
  } catch (e) {
    if (e instanceof ExternalServiceError) throw e;
    throw new ExternalServiceError('Slack', `the upload failed: ${(e as Error).message}`, null, true);
  }
  const done = completeAnswer.safeParse(await client.files.completeUploadExternal({
    files: [{ id: asked.data.file_id, title: r.title }],
    channel_id: r.channelId,
    ...(r.initialComment ? { initial_comment: r.initialComment } : {}),
  }));
  if (!done.success) throw new ExternalServiceError('Slack', 'files.completeUploadExternal did not confirm the file');
  return { fileId: asked.data.file_id };
}
