/**
 * The shape of a kill -9 case (crash-restart.faults.ts runs them): what to seed, which wire carries the kill point,
 * how the work begins, when it is done, how a person would pick it up again, and what must hold besides the
 * invariants; and the helpers the cases share.
 */
import type { Store } from '../../../src/app/ports.js';
import type { Remediation } from '../../../src/domain/remediation.js';
import { aRemediation } from '../../support/builders.js';
import type { Rng } from '../../support/population/prng.js';
import type { BotWorld, RunningBot } from './bot-process.js';
import type { Findings } from './invariants.js';
import type { Tripwire } from './tripwire.js';

export interface CrashScene {
  /** Over DEFAULT_POLICY (schedules, say). */
  readonly policy?: Record<string, unknown>;
  /** The outside systems the bot talks to (their tripwired URLs, tokens). */
  readonly env?: Record<string, string>;
  /** The wire whose k-th call (counted from when the work begins) is the kill point; default the Slack wire. */
  wire?(world: BotWorld): Tripwire;
  /** Before the bot first starts: what the store holds. */
  seed?(store: Store): Promise<void>;
  /** The seed writes assets and findings directly, without their detection events: those are not held to them. */
  readonly seedsInventory?: boolean;
  /** Starts the work; resolves once it is under way. The wire is armed right before `arm()` is called. */
  begin(bot: RunningBot, world: BotWorld, store: Store, arm: () => void): Promise<void>;
  /** Polled: the work is finished (what the person or the schedule would see). */
  done(store: Store, world: BotWorld): Promise<boolean>;
  /** After the restart, when nothing else would start it again (a person asks again). */
  resume?(bot: RunningBot, world: BotWorld, store: Store): Promise<void>;
  /** What must hold besides the invariants; `lost` counts records that should be there and are not. */
  verify(store: Store, world: BotWorld): Promise<Findings>;
  close(): Promise<void>;
}

export interface CrashCase {
  readonly name: string;
  /** Kill points (call numbers on the wire) to try, drawn from the seed. */
  points(rng: Rng, count: number): number[];
  setUp(): Promise<CrashScene>;
}

export const between = (lo: number, hi: number) => (rng: Rng, count: number): number[] => Array.from({ length: count }, () => rng.between(lo, hi));
/** Every second: the restarted bot's schedule picks the job up again at once. */
export const EVERY_SECOND = '* * * * * *';
export const NEVER = '0 0 1 1 *';
export const DAY = 86_400_000;

/** A new remediation and the effect that posts its message when the bot starts. */
export async function withMessage(store: Store, overrides: Partial<Remediation>): Promise<Remediation> {
  const id = await store.remediations.nextId();
  const created = await store.remediations.create(aRemediation({ ...overrides, id, createdAt: new Date().toISOString() }), [
    { at: new Date().toISOString(), actor: 'system:test', action: 'remediation.created', subject: id, data: { state: overrides.state ?? 'new' } },
  ]);
  if (!created.ok) throw new Error(`seed: ${created.error.code}`);
  await store.commit({ events: [], effects: [{ kind: 'remediation.message', subject: id }] });
  return created.value;
}

export const threadTexts = (world: BotWorld, r: Remediation | null): string[] => (r?.message ? world.slack.replies(r.message.channel, r.message.ts).map((m) => m.text ?? '') : []);

