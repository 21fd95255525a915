/**
 * kill -9 during an evidence export: a lead's `/patch evidence 2026-11` over the seeded month, the bot killed at its
 * k-th call to Slack (opening the DM, the progress message and its updates, the upload, the final message), then
 * restarted; when no pack reached the DM the lead asks again, as they would. Every pack that reached anyone is whole:
 * a completed upload of a zip that `evidence verify` accepts; nothing half-uploaded was shared; the export audited.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyPack } from '../../src/app/evidence/verify-pack.js';
import { CHANNEL, PEOPLE } from '../support/bot-harness.js';
import { SEED, seedEvidencePeriod } from '../support/evidence-seed.js';
import type { BotWorld, RunningBot } from './support/bot-process.js';
import { between, NEVER, type CrashCase } from './support/crash-scene.js';

const LEAD = PEOPLE.lead.id;
const ZIP = `patchwarden-evidence-${SEED.period}.zip`;
const ask = (bot: RunningBot) => bot.driver.slashCommand({ command: '/patch', text: `evidence ${SEED.period}`, user_id: LEAD, channel_id: CHANNEL });
/** Packs in the lead's DM: uploads completed and shared there. */
const delivered = (world: BotWorld) => world.slack.files().filter((f) => f.name === ZIP && f.completed && f.channels.includes(world.slack.dmChannel(LEAD)));

export const EVIDENCE_EXPORT: CrashCase = {
  name: 'an evidence export',
  points: between(1, 16),
  async setUp() {
    return {
      policy: { schedules: { sync: NEVER, digest: NEVER, reminders: NEVER }, timezone: 'UTC' },
      env: { CHROMIUM_PATH: '' },
      seed: async (store) => void (await seedEvidencePeriod(store)),
      seedsInventory: true,
      begin: async (bot, _world, _store, arm) => {
        arm();
        await ask(bot);
      },
      done: async (_store, world) => delivered(world).length > 0,
      resume: async (bot, world) => {
        if (delivered(world).length === 0) await ask(bot);
      },
      verify: async (store, world) => {
        const problems: string[] = [];
        const dir = mkdtempSync(join(tmpdir(), 'pw-faults-pack-'));
        try {
          for (const f of world.slack.files().filter((x) => x.name === ZIP)) {
            if (!f.completed) {
              if (f.channels.length > 0) problems.push(`a pack shared before its upload completed (${f.id})`);
              continue;
            }
            const path = join(dir, `${f.id}.zip`);
            writeFileSync(path, f.bytes ?? Buffer.alloc(0));
            const verdict = await verifyPack(path);
            if (!verdict.ok) problems.push(`pack ${f.id} does not verify: ${verdict.problems.slice(0, 3).join('; ')}`);
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
        const exported = (await store.audit.read(1, 100_000)).filter((e) => e.action === 'evidence.pack_exported');
        if (exported.length === 0) problems.push('no evidence.pack_exported event');
        return { problems, lost: delivered(world).length === 0 ? 1 : 0 };
      },
      close: async () => undefined,
    };
  },
};
