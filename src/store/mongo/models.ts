import { Schema, type Connection, type Model, type mongo, type SchemaOptions } from 'mongoose';
import type { AuditEvent, AuditEventInput } from '../../app/audit.js';
import type { Effect, EffectInput } from '../../app/outbox/effects.js';
import type { KeyValueEntry } from '../../app/ports.js';
import type { Advisory, AdvisoryLink, AdvisoryReview } from '../../domain/advisory.js';
import type { Asset } from '../../domain/asset.js';
import type { Finding } from '../../domain/finding.js';
import type { Remediation } from '../../domain/remediation.js';

/** An audit event waiting to be chained, with the id that keeps it from being appended twice. */
export interface EventEntry extends AuditEventInput {
  readonly id: string;
}

/** `_commit`: the `write` of the version document that last materialised it (remediation-writes.ts). */
export type RemediationDoc = Remediation & { _id: string; _commit?: string };
/**
 * One per version of a remediation being written, `_id` = `<id>@<version>`: inserting it is the commit point of a
 * write (the unique `_id` lets exactly one writer make each version), and it carries the new state, its audit
 * events and its Slack effects until all are applied (remediation-writes.ts); then it is deleted. (Documents with
 * `pending: false` are the history an older release kept.)
 */
export interface VersionDoc {
  _id: string;
  remediationId: string;
  version: number;
  /** This write's own id (a uuid): what the remediation document carries once materialised from it. */
  write: string;
  /** The writer's clock, for people reading the collection; staleness is judged by the reader's (leftovers.ts). */
  at: string;
  pending: boolean;
  doc: Remediation;
  events: EventEntry[];
  effects?: EffectInput[];
}
/**
 * One per version of a remediation once written, `_id` = `<id>@<version>#<write>`: the remediation as that write left
 * it, for reading it as it stood at a past moment (`versionsBefore`). Inserted when the version's events are recorded.
 */
export interface HistoryDoc {
  _id: string;
  remediationId: string;
  version: number;
  updatedAt: string;
  doc: Remediation;
}
/** `_commit`: the id of the journal entry that last wrote it (see journal.ts). */
export type AssetDoc = Asset & { _id: string; _commit: string };
export type FindingDoc = Finding & { _id: string; _commit: string };
export type AdvisoryDoc = Advisory & { _id: string; _commit: string };
/** `_id` = `<advisory id>|<remediation id>`: a link is inserted once. */
export type AdvisoryLinkDoc = AdvisoryLink & { _id: string };
/**
 * `_id` = the advisory id: inserting it is the commit point of a review (of two leads, one insert wins). It carries
 * its audit events and Slack effects until they are recorded (`pending`), like a remediation version document.
 */
export type AdvisoryReviewDoc = AdvisoryReview & { _id: string; pending: boolean; writtenAt: string; events: EventEntry[]; effects?: EffectInput[] };
/** `_id` is the event id: not part of the hashed content, unique, so a repeated flush appends nothing. */
export type AuditDoc = AuditEvent & { _id: string };
export interface JournalDoc {
  /** `j<15-digit counter>` (journal.ts): sorts in the order the ids were taken, whatever the writers' clocks. */
  _id: string;
  at: string;
  assets: Asset[];
  findings: Finding[];
  /** Absent in entries written before advisories existed. */
  advisories?: Advisory[];
  advisoryLinks?: AdvisoryLink[];
  events: EventEntry[];
  effects?: EffectInput[];
  kv?: KeyValueEntry[];
}
/**
 * An idempotency key (idempotency.ts). Documents without `state` were written by an older release: done. A key
 * taken again after a release or a lapsed hold is taken by inserting `term:<n>:<key>` first.
 */
export interface IdempotencyDoc {
  _id: string;
  claimedAt: string;
  state?: 'in_progress' | 'done' | 'released';
  /** Epoch milliseconds the claim holds until; null: until completed or released. */
  until?: number | null;
  term?: number;
}
/** An effect of the outbox (src/app/outbox), `_id` = its id. */
export type OutboxDoc = Effect & { _id: string };
/** One per holding of a lease, `_id` = `<name>#<term>`; the highest term is the lease (leases.ts). */
export interface LeaseDoc {
  _id: string;
  name: string;
  term: number;
  holder: string;
  /** Epoch milliseconds, as the SQLite adapter keeps it. */
  expiresAt: number;
}
/** One per value handed out, `_id` = `<name>:<value>` (counters.ts). */
export interface CounterDoc {
  _id: string;
  name: string;
  value: number;
}
export interface KvDoc {
  /** `JSON.stringify([ns, key])`: one unique id per pair, whatever characters either holds. */
  _id: string;
  ns: string;
  key: string;
  value: unknown;
}

/**
 * Schemas declare the fields we filter and sort on; the rest of each record is stored as given (`strict: false`,
 * `minimize: false` so `{}` survives). No autoIndex / autoCreate: `createIndexes` below builds them at open.
 */
const options: SchemaOptions = { strict: false, minimize: false, versionKey: false, autoIndex: false, autoCreate: false, id: false };
const text = { type: String };

function schema(collection: string, fields: Record<string, unknown>, indexes: [Record<string, 1 | -1>, { unique: true }?][]): Schema {
  const s = new Schema({ _id: text, ...fields }, { ...options, collection });
  for (const [fields, opts] of indexes) s.index(fields, opts);
  return s;
}

export interface Models {
  readonly remediations: Model<RemediationDoc>;
  readonly versions: Model<VersionDoc>;
  readonly history: Model<HistoryDoc>;
  readonly assets: Model<AssetDoc>;
  readonly findings: Model<FindingDoc>;
  readonly audit: Model<AuditDoc>;
  readonly journal: Model<JournalDoc>;
  readonly idempotency: Model<IdempotencyDoc>;
  readonly leases: Model<LeaseDoc>;
  readonly counters: Model<CounterDoc>;
  readonly kv: Model<KvDoc>;
  readonly outbox: Model<OutboxDoc>;
  readonly advisories: Model<AdvisoryDoc>;
  readonly advisoryLinks: Model<AdvisoryLinkDoc>;
  readonly advisoryReviews: Model<AdvisoryReviewDoc>;
}

/** The models, bound to this store's own connection (never mongoose's global one). */
export function createModels(conn: Connection): Models {
  return {
    remediations: conn.model<RemediationDoc>(
      'Remediation',
      schema('remediations', { key: text, state: text, severity: text, owner: text, dueAt: text, closedAt: text, createdAt: text, version: Number }, [
        [{ key: 1 }, { unique: true }],
        [{ state: 1, dueAt: 1, _id: 1 }],
        [{ state: 1, severity: 1 }],
        [{ dueAt: 1, _id: 1 }],
        [{ severity: 1, dueAt: 1, _id: 1 }],
        [{ owner: 1, dueAt: 1, _id: 1 }],
        [{ closedAt: 1 }],
        [{ createdAt: 1 }],
      ]),
    ),
    versions: conn.model<VersionDoc>(
      'RemediationVersion',
      schema('remediation_versions', { remediationId: text, version: Number, at: text, pending: Boolean }, [
        [{ pending: 1, at: 1 }],
        [{ remediationId: 1, version: 1 }],
      ]),
    ),
    history: conn.model<HistoryDoc>('RemediationHistory', schema('remediation_history', { remediationId: text, version: Number, updatedAt: text }, [[{ remediationId: 1, version: 1 }]])),
    assets: conn.model<AssetDoc>('Asset', schema('assets', { source: text, inScope: Boolean, _commit: text }, [[{ source: 1 }], [{ inScope: 1 }]])),
    findings: conn.model<FindingDoc>(
      'Finding',
      schema('findings', { assetId: text, remediationId: text, source: text, state: text, _commit: text }, [
        [{ assetId: 1, state: 1 }],
        [{ remediationId: 1 }],
        [{ source: 1, state: 1 }],
        [{ state: 1 }],
        [{ state: 1, assetId: 1 }],
      ]),
    ),
    audit: conn.model<AuditDoc>('AuditEvent', schema('audit_events', { seq: Number, subject: text }, [[{ seq: 1 }, { unique: true }], [{ subject: 1, seq: 1 }]])),
    journal: conn.model<JournalDoc>('JournalEntry', schema('journal', { at: text }, [[{ at: 1 }]])),
    idempotency: conn.model<IdempotencyDoc>('IdempotencyKey', schema('idempotency_keys', {}, [])),
    leases: conn.model<LeaseDoc>('Lease', schema('leases', { name: text, term: Number }, [[{ name: 1, term: -1 }]])),
    counters: conn.model<CounterDoc>('Counter', schema('counters', { name: text, value: Number }, [[{ name: 1, value: -1 }]])),
    kv: conn.model<KvDoc>('KeyValue', schema('kv', { ns: text, key: text }, [[{ ns: 1, key: 1 }]])),
    outbox: conn.model<OutboxDoc>(
      'OutboxEffect',
      schema('outbox', { subject: text, state: text, seq: Number, n: Number }, [
        [{ state: 1, seq: 1, n: 1, _id: 1 }],
        [{ subject: 1, seq: 1, n: 1, _id: 1 }],
      ]),
    ),
    advisories: conn.model<AdvisoryDoc>(
      'Advisory',
      schema('advisories', { feed: text, firstSeenAt: text, cves: [text], baseline: Boolean, _commit: text }, [[{ firstSeenAt: -1, _id: 1 }], [{ feed: 1 }], [{ cves: 1 }]]),
    ),
    advisoryLinks: conn.model<AdvisoryLinkDoc>(
      'AdvisoryLink',
      schema('advisory_links', { advisoryId: text, remediationId: text, at: text }, [[{ advisoryId: 1 }], [{ remediationId: 1 }]]),
    ),
    advisoryReviews: conn.model<AdvisoryReviewDoc>('AdvisoryReview', schema('advisory_reviews', { pending: Boolean, writtenAt: text }, [[{ pending: 1, writtenAt: 1 }]])),
  };
}

/** Creates the declared indexes (idempotent) and waits for them, so the first query already has them. */
export async function createIndexes(models: Models): Promise<void> {
  for (const model of Object.values(models) as Model<unknown>[]) await model.createIndexes();
}

/**
 * The driver collection behind a model, typed by its documents: for writes that must reach the server exactly as
 * built (no casting, no hydration).
 */
export const rawCollection = <T extends mongo.Document>(model: Model<T>): mongo.Collection<T> =>
  model.collection as unknown as mongo.Collection<T>;
