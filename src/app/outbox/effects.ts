/**
 * What the bot means to do in Slack, recorded in the same atomic unit as the step that causes it (the store's
 * outbox), then done by the drainer (drain-outbox.ts) with retries. A step that is recorded therefore always gets
 * its message, its thread note or its reminder, exactly once, whatever crashes or Slack outages come between.
 *
 * To add one: a kind here, a handler for it in src/slack/posting/outbox-handlers.ts, and the effect in the
 * `effects` of the write that causes it (a `VersionedChange`, a `Change`, or a step's `followUp`).
 */
import type { Instant } from '../../domain/time.js';

export const EFFECT_KINDS = [
  // The subject's one message in the patch channel, posted or updated to show the remediation as stored now.
  'remediation.message',
  // A line in the remediation's thread (its message is posted first if it has none): `{ text }`.
  'remediation.note',
  // What is behind the remediation (its findings, cut, with the whole list as a CSV) in its thread, once.
  'remediation.findings',
  // A direct message: `{ user, text, blocks? }`.
  'slack.dm',
  // A message in a channel: `{ channel, text, blocks?, thread? }`; `thread: 'subject'` replies in the thread of
  // the first message this subject posted (a digest's summary).
  'slack.post',
  // An advisory's one message in the patch channel (subject `advisory:<id>`), posted or updated to show it as stored
  // now: its review, its links. Not posted while nothing is owed (a baseline advisory, one linked by a CVE).
  'advisory.message',
  // A line in the advisory message's thread (its message is posted first if it has none): `{ text }`.
  'advisory.note',
  // Many reminders in one round-up message (handled together: every pending one of the subject).
  'reminder.roundup',
  // The digest's thread: the audit log's head after the digest, and the complete list as a CSV file.
  'digest.anchor',
  'digest.csv',
] as const;

export type EffectKind = (typeof EFFECT_KINDS)[number];

/** An effect as a step hands it to the store. Effects of one subject are done one after the other, in order. */
export interface EffectInput {
  readonly kind: EffectKind;
  /** What it is about, and its ordering group: a remediation id, `digest:<id>`, `reminders:<run>`. */
  readonly subject: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

export type EffectState = 'pending' | 'done' | 'failed';

/** An effect as the outbox holds it. */
export interface Effect {
  /** Unique, given by the store; also what marks the Slack message it posts (for replays). */
  readonly id: string;
  readonly kind: EffectKind;
  readonly subject: string;
  readonly data: Readonly<Record<string, unknown>>;
  /** The order it was recorded in: the audit seq of its write's last event (the head, without one), then `n`. */
  readonly seq: number;
  readonly n: number;
  /** When it was recorded (its write's first event's time, else the store's clock). */
  readonly at: Instant;
  readonly state: EffectState;
  /** Attempts started so far: more than 0 means Slack may already have it (a replay looks before posting). */
  readonly attempts: number;
  /** Not before this instant (a retry's back-off); null: now. */
  readonly nextAt: Instant | null;
  readonly error: string | null;
  /** What the handler reported (the channel and ts it posted), for later effects of the subject. */
  readonly result: Readonly<Record<string, unknown>> | null;
}

export type EffectUpdate = Pick<Effect, 'state' | 'attempts' | 'nextAt' | 'error' | 'result'>;

/** Orders effects as they were recorded. */
export const recordedOrder = (a: Effect, b: Effect): number => a.seq - b.seq || a.n - b.n || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The stored form of new effects: what every adapter writes for `effects` given to a write. */
export function newEffects(inputs: readonly EffectInput[], ids: (n: number) => string, seq: number, at: Instant): Effect[] {
  return inputs.map((e, n) => ({
    id: ids(n),
    kind: e.kind,
    subject: e.subject,
    data: e.data ?? {},
    seq,
    n,
    at,
    state: 'pending',
    attempts: 0,
    nextAt: null,
    error: null,
    result: null,
  }));
}
