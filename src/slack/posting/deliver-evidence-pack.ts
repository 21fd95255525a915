/**
 * `/patch evidence`'s work after the ack: one message in the person's DM with the bot, updated as the pack is built
 * (src/app/evidence), then the zip uploaded there (streamed, upload v2) with its SHA-256 in the message and the file's
 * comment. The zip is built in a temporary folder and removed once uploaded; a failure says so in the same message.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { Period } from '../../app/evidence/period.js';
import type { SlackDeps } from '../deps.js';
import { uploadFile } from '../adapters/file-upload.js';
import { packFailedMessage, packProgressMessage, packReadyMessage } from '../views/evidence-pack.js';
import { createMessageUpdater } from './message-updater.js';

const opened = z.object({ channel: z.object({ id: z.string().min(1) }) });

export function createPackDelivery(deps: Pick<SlackDeps, 'client' | 'evidencePack' | 'logger'>) {
  const { client, logger } = deps;
  return async (period: Period, userId: string): Promise<void> => {
    const dm = opened.parse(await client.conversations.open({ users: userId })).channel.id;
    const posted = await client.chat.postMessage({ channel: dm, ...packProgressMessage(period, null) });
    const message = createMessageUpdater({ client, channel: dm, ts: posted.ts ?? '', logger, what: 'the evidence pack message' });
    const dir = await mkdtemp(join(tmpdir(), 'patchwarden-slack-pack-'));
    const fileName = `patchwarden-evidence-${period.label}.zip`;
    let phase = '';
    try {
      const result = await deps.evidencePack({
        period,
        out: join(dir, fileName),
        by: userId,
        onProgress: (p) => {
          message.show(packProgressMessage(period, p), p.phase !== phase);
          phase = p.phase;
        },
      });
      await uploadFile(client, { path: result.path, filename: fileName, title: `Evidence pack ${period.label}`, channelId: dm, initialComment: `Evidence pack ${period.label} · sha256 ${result.sha256}` });
      await message.finish(packReadyMessage(period, result, fileName));
    } catch (e) {
      logger.error({ err: e, period: period.label, userId }, 'the evidence pack could not be delivered');
      await message.finish(packFailedMessage(period, e instanceof Error ? e.message : String(e)));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}
