/**
 * The ports: what the use cases need from the outside world, in the domain's words. Adapters live in
 * src/store (SQLite, MongoDB) and src/sources; one contract suite (test/contract) holds both stores to this.
 */
import type { Readable } from 'node:stream';
import type { Advisory, AdvisoryLink, AdvisoryReview } from '../domain/advisory.js';
import type { Asset, Source } from '../domain/asset.js';
import type { Finding, FindingState } from '../domain/finding.js';
import type { Remediation } from '../domain/remediation.js';
import type { RemediationState } from '../domain/remediation-state.js';
import type { Result } from '../domain/result.js';
import type { Severity } from '../domain/severity.js';
import type { Instant } from '../domain/time.js';
import type { AuditEvent, AuditEventInput } from './audit.js';
import type { Effect, EffectInput, EffectState, EffectUpdate } from './outbox/effects.js';

/** A write lost the optimistic-concurrency race, or would duplicate a unique key. */
export type StoreConflict =
  | { readonly code: 'store.conflict'; readonly id: string; readonly expectedVersion: number }
  | { readonly code: 'store.duplicate'; readonly id: string };

/**
 * Assets, findings, advisories and advisory links, and small documents, written together with the audit events
 * that record them and the Slack effects they cause (the outbox), atomically.
 */
export interface Change {
  readonly assets?: readonly Asset[];
  readonly findings?: readonly Finding[];
  /** New or changed advisories (replaced whole, like assets and findings). */
  readonly advisories?: readonly Advisory[];
  /** Links to add; a link already stored (same advisory and remediation) is kept as it is. */
  readonly advisoryLinks?: readonly AdvisoryLink[];
  readonly events: readonly AuditEventInput[];
  readonly effects?: readonly EffectInput[];
  /** Key-value entries written in the same unit (last writer wins, as `kv.put`). */
  readonly kv?: readonly KeyValueEntry[];
}

export interface KeyValueEntry {
  readonly ns: string;
  readonly key: string;
  readonly value: unknown;
}

export interface AssetQuery {
  readonly source?: Source;
  readonly inScope?: boolean;
}

export interface FindingQuery {
  readonly assetId?: string;
  readonly remediationId?: string;
  readonly source?: Source;
  readonly state?: FindingState;
  /** Findings naming any of these CVEs. */
  readonly cves?: readonly string[];
}

export interface RemediationQuery {
  readonly states?: readonly RemediationState[];
  readonly severities?: readonly Severity[];
  readonly owner?: string;
  /** dueAt >= dueFrom */
  readonly dueFrom?: Instant;
  /** dueAt < dueBefore */
  readonly dueBefore?: Instant;
  /** closedAt >= closedSince (closed ones only) */
  readonly closedSince?: Instant;
  /** createdAt >= createdSince (recorded since then: what is new since the last digest) */
  readonly createdSince?: Instant;
  readonly limit?: number;
  readonly offset?: number;
}

export interface AdvisoryQuery {
  readonly feed?: string;
  /** Advisories naming any of these CVEs. */
  readonly cves?: readonly string[];
  /** firstSeenAt < seenBefore */
  readonly seenBefore?: Instant;
  /** firstSeenAt >= seenSince */
  readonly seenSince?: Instant;
  /** Only those with (true) or without (false) a review. */
  readonly reviewed?: boolean;
  /** Only those recorded as their feed's baseline (true), or only the others (false). */
  readonly baseline?: boolean;
  readonly limit?: number;
}

export interface StateSeverityCount {
  readonly state: RemediationState;
  readonly severity: Severity;
  readonly count: number;
}

/**
 * The few fields reports aggregate over (SLA compliance, time to remediate, owners of overdue work), read without
 * the whole record so that thousands of them stay cheap.
 */
export type RemediationFacts = Pick<
  Remediation,
  'id' | 'state' | 'severity' | 'owner' | 'dueAt' | 'closedAt' | 'createdAt' | 'slaStartAt' | 'resolution'
>;

/** How many remediations one person owns (`owner` null: nobody does). */
export interface OwnerCount {
  readonly owner: string | null;
  readonly count: number;
}

export interface AssetFindingCount {
  readonly assetId: string;
  readonly count: number;
}

export interface AssetRepo {
  get(id: string): Promise<Asset | null>;
  getMany(ids: readonly string[]): Promise<Asset[]>;
  list(query?: AssetQuery): Promise<Asset[]>;
}

export interface FindingRepo {
  get(id: string): Promise<Finding | null>;
  getMany(ids: readonly string[]): Promise<Finding[]>;
  list(query?: FindingQuery): Promise<Finding[]>;
  count(query?: FindingQuery): Promise<number>;
  /** How many of the matching findings each asset has (assets with none are left out), in asset id order. */
  countByAsset(query?: FindingQuery): Promise<AssetFindingCount[]>;
}

export interface RemediationRepo {
  /** The next short id, `PW-<n>`, unique across replicas. */
  nextId(): Promise<string>;
  get(id: string): Promise<Remediation | null>;
  getByKey(key: string): Promise<Remediation | null>;
  /** Ordered by due date, then id. */
  list(query?: RemediationQuery): Promise<Remediation[]>;
  count(query?: RemediationQuery): Promise<number>;
  /** What `list` selects, in the same order, as facts only. */
  facts(query?: RemediationQuery): Promise<RemediationFacts[]>;
  /**
   * What `list` selects (limit and offset aside), counted per owner, in no order: a count per person without
   * reading each remediation (the status report's overdue-by-owner over thousands of them).
   */
  countByOwner(query?: RemediationQuery): Promise<OwnerCount[]>;
  countByStateAndSeverity(): Promise<StateSeverityCount[]>;
  /**
   * Each of `ids` as it stood just before `at`: its last version whose `updatedAt` is earlier than `at`, from the
   * history every write keeps. Ids with no such version (created later, or unknown) are left out; no order.
   */
  versionsBefore(ids: readonly string[], at: Instant): Promise<Remediation[]>;
  /**
   * Inserts at version 1 with its audit events and Slack effects; refuses a second remediation with the same id
   * or key.
   */
  create(r: Remediation, events: readonly AuditEventInput[], effects?: readonly EffectInput[]): Promise<Result<Remediation, StoreConflict>>;
  /**
   * Writes `next` only if the stored version is still `expectedVersion`, together with its audit events and the
   * Slack effects it causes; returns the stored remediation at `expectedVersion + 1`. Two writers from the same
   * version: one wins. The events of successive versions reach the log in version order.
   */
  update(
    next: Remediation,
    expectedVersion: number,
    events: readonly AuditEventInput[],
    effects?: readonly EffectInput[],
  ): Promise<Result<Remediation, StoreConflict>>;
  /*
   * Batches, for the sync's thousands of writes. Optional: src/app/sync/remediation-batches.ts falls back to one call each, so an
   * adapter implements them where one round trip (one SQLite transaction, one fsync) for many is a real saving.
   * Each item has exactly the semantics of its single call and is applied or refused on its own.
   */
  /** `count` new short ids at once, increasing (as `nextId` would give them one by one). */
  nextIds?(count: number): Promise<string[]>;
  /** `create` for each item, results in order. */
  createMany?(items: readonly RemediationCreate[]): Promise<Result<Remediation, StoreConflict>[]>;
  /** `update` for each item, results in order. */
  updateMany?(items: readonly RemediationUpdate[]): Promise<Result<Remediation, StoreConflict>[]>;
}

export interface RemediationCreate {
  readonly remediation: Remediation;
  readonly events: readonly AuditEventInput[];
  readonly effects?: readonly EffectInput[];
}

export interface RemediationUpdate {
  readonly next: Remediation;
  readonly expectedVersion: number;
  readonly events: readonly AuditEventInput[];
  readonly effects?: readonly EffectInput[];
}

/** Advisories from the feeds, their links to remediations, and their one review each. */
export interface AdvisoryRepo {
  get(id: string): Promise<Advisory | null>;
  getMany(ids: readonly string[]): Promise<Advisory[]>;
  /** Newest first (first seen, then id). Advisories are written by `Store.commit`. */
  list(query?: AdvisoryQuery): Promise<Advisory[]>;
  count(query?: AdvisoryQuery): Promise<number>;
  /** Links of these advisories, or to this remediation (either filter, or both), oldest first. */
  links(query: { readonly advisoryIds?: readonly string[]; readonly remediationId?: string }): Promise<AdvisoryLink[]>;
  /**
   * Records THE review of an advisory with its audit events, its link when it names a remediation, and the Slack
   * effects it owes (its message updated, a note), as one unit. A second review of the same advisory is refused
   * (`store.duplicate`) and adds nothing: of two leads, exactly one decides.
   */
  review(review: AdvisoryReview, events: readonly AuditEventInput[], effects?: readonly EffectInput[]): Promise<Result<AdvisoryReview, StoreConflict>>;
  reviews(advisoryIds: readonly string[]): Promise<AdvisoryReview[]>;
}

export interface AuditLog {
  /** Appends events that record no other write (a denial, a sync run). */
  append(events: readonly AuditEventInput[]): Promise<AuditEvent[]>;
  head(): Promise<AuditEvent | null>;
  /** Events with seq >= fromSeq, in seq order. */
  read(fromSeq: number, limit: number): Promise<AuditEvent[]>;
  bySubject(subject: string): Promise<AuditEvent[]>;
  /** Every event in seq order, for `audit verify` and evidence packs. */
  stream(): AsyncIterable<AuditEvent>;
}

/**
 * Keys that make work happen once (Slack retries, a delivery reaching two replicas, a month's digest). A claimed
 * key is in progress until its work is `complete` (then it is never claimed again) or `release`d (then the next
 * claim gets it). A claim given `holdMs` lapses after that long in progress, so a crash after the claim does not
 * swallow the next delivery for good; without it, it holds until completed or released.
 */
export interface IdempotencyKeys {
  /** True when the caller now holds the key: new, released, or in progress for longer than its hold. */
  claim(key: string, at: Date, holdMs?: number): Promise<boolean>;
  /** Where a key stands: never claimed, in progress (and until when), or done. */
  state(key: string): Promise<KeyState | null>;
  /** The work is done: the key is never claimed again. */
  complete(key: string): Promise<void>;
  /** Gives a claimed key back: its work failed before anything was recorded, so the next delivery may try again. */
  release(key: string): Promise<void>;
}

export type KeyState = { readonly state: 'done' } | { readonly state: 'in_progress'; readonly until: Date | null };

export interface OutboxQuery {
  readonly subject?: string;
  /** Default: pending only. */
  readonly states?: readonly EffectState[];
  readonly limit?: number;
}

/**
 * The Slack effects that recorded steps still owe (src/app/outbox). Effects enter only with the write that causes
 * them (`effects` of a remediation write or a `Change`); the drainer reads them in recorded order and settles
 * each attempt.
 */
export interface Outbox {
  /** In recorded order (seq, n, id). */
  list(query?: OutboxQuery): Promise<Effect[]>;
  get(id: string): Promise<Effect | null>;
  /** Records an attempt or its outcome; only the drainer holding the subject's lease calls it. */
  settle(id: string, update: EffectUpdate): Promise<void>;
}

/** Leases so that, with several replicas, exactly one runs each cron job. */
export interface JobLeases {
  /** True if `holder` now holds `name` until now + ttl: it was free, expired, or already theirs. */
  acquire(name: string, holder: string, ttlMs: number, now: Date): Promise<boolean>;
  /** Extends a lease `holder` still holds; false if it expired and someone else took it. */
  renew(name: string, holder: string, ttlMs: number, now: Date): Promise<boolean>;
  release(name: string, holder: string): Promise<void>;
  /** Who holds `name` at `now`, or null when no one does (never taken, expired, released). */
  holderOf(name: string, now: Date): Promise<string | null>;
  /**
   * Hands the lease `from` holds to `to` until now + ttl, for a holder known to be gone (a process of this host that
   * no longer runs: src/app/lease-holder.ts). False if `from` does not hold it any more; of two takers, one wins.
   */
  takeOver(name: string, from: string, to: string, ttlMs: number, now: Date): Promise<boolean>;
}

/** Small JSON documents by namespace: sync high-water marks and ETags, KEV / EPSS caches. */
export interface KeyValue {
  get<T = unknown>(ns: string, key: string): Promise<T | null>;
  getMany<T = unknown>(ns: string, keys: readonly string[]): Promise<Map<string, T>>;
  put(ns: string, key: string, value: unknown): Promise<void>;
  putMany(ns: string, entries: ReadonlyMap<string, unknown>): Promise<void>;
  /** Every entry of a namespace, by key (for small namespaces: runs in flight, changes awaiting approval). */
  list<T = unknown>(ns: string): Promise<Map<string, T>>;
  /** Removes an entry; nothing happens when there is none. */
  delete(ns: string, key: string): Promise<void>;
}

export interface Store {
  readonly kind: 'sqlite' | 'mongo';
  readonly assets: AssetRepo;
  readonly findings: FindingRepo;
  readonly remediations: RemediationRepo;
  readonly advisories: AdvisoryRepo;
  readonly audit: AuditLog;
  readonly idempotency: IdempotencyKeys;
  readonly leases: JobLeases;
  readonly kv: KeyValue;
  readonly evidence: EvidenceStore;
  readonly outbox: Outbox;
  /** Writes assets, findings, advisories, advisory links, key-value entries, audit events and effects as one unit. */
  commit(change: Change): Promise<void>;
  /**
   * Finishes now, whatever their age, the writes a crashed writer left half done where no other writer can be
   * in flight (the sync calls it under its lease before it reads). SQLite leaves nothing half done.
   */
  finishInterrupted(): Promise<void>;
  close(): Promise<void>;
}

export interface StoredFile {
  readonly sha256: string;
  readonly size: number;
}

/** Evidence files, content-addressed: a folder beside the SQLite file, or GridFS. */
export interface EvidenceStore {
  put(bytes: Uint8Array, name: string, mimeType: string): Promise<StoredFile>;
  /**
   * Takes a file in as it arrives (never whole in memory: ten files of 10 MB stream through), hashing it on the way,
   * and holds it apart until `keep()`. Past `maxBytes` it stops reading and throws EvidenceTooLarge; a failure of
   * `body` is thrown as it is. Either way nothing is kept.
   */
  receive(body: AsyncIterable<Uint8Array>, name: string, mimeType: string, maxBytes: number): Promise<ReceivedEvidence>;
  /** The bytes, after checking they still hash to `sha256`; null if absent. Throws EvidenceCorrupted if not. */
  get(sha256: string): Promise<{ bytes: Buffer; name: string; mimeType: string } | null>;
  has(sha256: string): Promise<boolean>;
  /**
   * The bytes as stored, as a stream, for copying without holding them (the evidence pack): NOT checked on the way,
   * so hash them as they pass. Null if unknown; throws EvidenceCorrupted if recorded but gone.
   */
  open(sha256: string): Promise<EvidenceStream | null>;
}

export interface EvidenceStream {
  readonly stream: Readable;
  readonly name: string;
  readonly mimeType: string;
  /** The recorded size. */
  readonly size: number;
}

/** A file received and held apart: kept as `put` would keep it (content-addressed), or dropped. */
export interface ReceivedEvidence extends StoredFile {
  keep(): Promise<void>;
  discard(): Promise<void>;
}

export class EvidenceTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`the file is larger than ${maxBytes} bytes`);
    this.name = 'EvidenceTooLarge';
  }
}

export class EvidenceCorrupted extends Error {
  constructor(readonly sha256: string) {
    super(`evidence file ${sha256} no longer matches its SHA-256`);
    this.name = 'EvidenceCorrupted';
  }
}

/**
 * Prints a local HTML file to a PDF file as a browser would (headless Chromium): the evidence pack's report.pdf. The
 * page may make no request of any kind while it loads.
 */
export interface PdfPrinter {
  print(htmlPath: string, pdfPath: string): Promise<void>;
}

/** Where a source left off, stored between runs (high-water marks, ETags, per-instance snapshot ids). */
export type SyncCursor = Readonly<Record<string, unknown>>;

export interface SourceProgress {
  /** Items read so far and, when the source knows it, in all. */
  readonly done: number;
  readonly total: number | null;
  /** What is counted: `alerts`, `issues`, `instances`. */
  readonly unit: string;
}

/** One page of what a source reports, already in the domain's words. */
export interface SourcePage {
  readonly assets?: readonly Asset[];
  /** Findings as the source now sees them, open or closed (`remediationId` null: grouping is the sync's job). */
  readonly findings?: readonly Finding[];
  /**
   * Assets whose open findings in this page are ALL their open findings (a full SSM patch scan): any other open
   * finding stored for them has been fixed.
   */
  readonly completeFor?: readonly string[];
  readonly progress: SourceProgress;
}

export interface SourceRun {
  readonly pages: AsyncIterable<SourcePage>;
  /** Read after the pages are consumed: the cursor for the next, incremental run. */
  cursor(): SyncCursor;
  /** What the run cost so far, when the source counts it (HTTP requests, retries among them): for the run record. */
  stats?(): { readonly requests: number; readonly retries: number };
}

/** GitHub Dependabot, Snyk or AWS SSM behind one shape. Outside failures surface as ExternalServiceError. */
export interface VulnerabilitySource {
  readonly name: 'github' | 'snyk' | 'ssm';
  run(cursor: SyncCursor | null, now: Date): SourceRun;
}

/** CISA KEV and FIRST EPSS. */
export interface EnrichmentFeeds {
  /** CVE id -> CISA's due date, for every CVE on the KEV catalogue (empty when the feed is off). */
  kevDueDates(): Promise<ReadonlyMap<string, string>>;
  /** CVE id -> EPSS probability 0..1, for those of `cves` EPSS knows (empty when off). */
  epssScores(cves: readonly string[]): Promise<ReadonlyMap<string, number>>;
}

/** What a feed answered last, for a conditional request next time (only for the same URL). */
export interface FeedValidators {
  readonly url: string;
  readonly etag: string | null;
  readonly lastModified: string | null;
}

export type AdvisoryFeedRead =
  | { readonly status: 'unchanged'; readonly validators: FeedValidators }
  | {
      readonly status: 'changed';
      /** Newest first, each item once, at most the reader's limit. */
      readonly advisories: readonly Advisory[];
      /** How many items the document listed (more than `advisories` when it was cut to the limit). */
      readonly listed: number;
      readonly validators: FeedValidators;
    };

/** One RSS or Atom advisory feed. Failures (no answer, an HTML page, malformed XML) surface as ExternalServiceError. */
export interface AdvisoryFeed {
  readonly name: string;
  readonly url: string;
  /** Conditional when `last` is for this URL: an unchanged feed answers 304 and costs no body. */
  read(last: FeedValidators | null, now: Date): Promise<AdvisoryFeedRead>;
  /** HTTP requests made so far (retries among them). */
  stats(): { readonly requests: number; readonly retries: number };
}
