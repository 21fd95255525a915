/**
 * kill -9 of the bot in the middle of its work, then a restart on the same store (SQLite, or MongoDB when
 * MONGODB_URI is set): for each case of crash-cases.ts, at a kill point drawn from the printed seed (FAULTS_SEED
 * replays it; FAULTS_KILLS points per case, default 1). After the restart the work finishes, and then: the audit
 * chain verifies, every step has its event in order, no event is lost or doubled, no message is posted twice or
 * left stale, no SSM command goes out twice, no evidence file is half-written, the case's own checks hold, and no
 * log line of either run (at debug) shows a secret. With FAULTS_LOG_DIR set, each run's bot log is kept there.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHANNEL, SIGNING_SECRET } from '../support/bot-harness.js';
import { GITHUB_TOKEN } from '../integration/sync-support.js';
import { settled, until } from '../integration/workflow-support.js';
import { CRASH_CASES } from './crash-cases.js';
import type { CrashCase } from './support/crash-scene.js';
import { startBotWorld, type BotWorld } from './support/bot-process.js';
import { checkInvariants } from './support/invariants.js';
import { createRng, faultSeed } from './support/mutate.js';
import { newStoreTarget, storeKind } from './support/store-target.js';
import { faultTally } from './support/tally.js';

const KILLS = Number(process.env['FAULTS_KILLS'] ?? 1);
/** FAULTS_PROBE=1: no kill; each case fails saying how many calls its work makes (to set its range). */
const PROBE = process.env['FAULTS_PROBE'] === '1';
const seed = faultSeed();

describe(`kill -9 and restart on ${storeKind()} (seed ${seed})`, () => {
  const tally = faultTally('kill -9 and restart');
  const rng = createRng(seed);
  const runs = CRASH_CASES.flatMap((c) => c.points(rng, KILLS).map((k) => [c.name, PROBE ? 100_000 : k, c] as const));
  beforeAll(() => void process.stdout.write(`kill -9 and restart: seed ${seed} (replay with FAULTS_SEED=${seed}); kill points ${runs.map(([n, k]) => `${n} #${k}`).join(', ')}\n`));

  it.each(runs)('%s, killed at call %i: it finishes after the restart, nothing lost or doubled', async (_name, k, c: CrashCase) => {
    const scene = await c.setUp();
    const target = newStoreTarget(c.name);
    const store = await target.open();
    let world: BotWorld | null = null;
    try {
      await scene.seed?.(store);
      const given = scene.seedsInventory
        ? { assets: new Set((await store.assets.list()).map((a) => a.id)), findings: new Set((await store.findings.list()).map((f) => f.id)) }
        : undefined;
      world = await startBotWorld({ store: target, ...(scene.policy ? { policy: scene.policy } : {}), ...(scene.env ? { env: scene.env } : {}) });
      const w = world;
      const bot = await w.start();
      const wire = scene.wire?.(w) ?? w.slackWire;
      let from = 0;
      const arm = (): void => {
        from = wire.seen;
        wire.arm(k, () => void bot.process.child.kill('SIGKILL'));
      };
      await scene.begin(bot, w, store, arm).catch((e: unknown) => {
        if (!wire.fired) throw e; // the bot died under the request that began it: that is the kill
      });
      await until(async () => wire.fired || (await scene.done(store, w)), 'the kill point or the end of the work', 60_000);
      wire.disarm();
      // A kill point past the end of the work would test nothing: each case's range stays within its calls.
      if (!wire.fired) throw new Error(`${c.name}: the work ended after ${wire.seen - from} calls, before kill point ${k}`);
      tally.injected();
      await bot.kill();

      const again = await w.start();
      await scene.resume?.(again, w, store);
      await until(() => scene.done(store, w), 'the work, finished after the restart', 90_000);
      await settled({ fake: w.slack }, 1500, 60_000);
      await again.stop();

      const found = await checkInvariants({ store, slack: w.slack, channel: CHANNEL, evidenceDir: target.evidenceDir, ...(given ? { given } : {}) });
      const own = await scene.verify(store, w);
      tally.lost(found.record.lost + own.lost);
      expect({ record: found.record.problems, postedTwice: found.twice.problems, stale: found.stale.problems, own: own.problems }).toEqual({ record: [], postedTwice: [], stale: [], own: [] });
      const secrets = [w.slack.botToken, SIGNING_SECRET, GITHUB_TOKEN, 'fake-verification-token', ...w.slack.responses().map((r) => r.url)];
      tally.logsChecked(w.logs(), secrets);
      tally.survived();
    } finally {
      const logDir = process.env['FAULTS_LOG_DIR'];
      if (logDir && world) writeFileSync(join(logDir, `${c.name.replace(/\W+/g, '-')}-${k}-${storeKind()}.log`), world.logs().join('\n'));
      await world?.close();
      await store.close();
      await scene.close();
      await target.dispose();
    }
  });
});
