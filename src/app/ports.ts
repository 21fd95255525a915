/**
 * The ports: what the use cases need from the outside world, in the domain's words. Adapters live in
 * src/store (SQLite, MongoDB) and src/sources; one contract suite (test/contract) holds both stores to this.
 */
import type { Asset, Source } from '../domain/asset.js';
import type { Finding, FindingState } from '../domain/finding.js';
import type { Remediation } from '../domain/remediation.js';
import type { RemediationState } from '../domain/remediation-state.js';
import type { Result } from '../domain/result.js';
import type { Severity } from '../domain/severity.js';
import type { Instant } from '../domain/time.js';
import type { Readable } from 'node:stream';
import type { AuditEvent, AuditEventInput } from './audit.js';

/** A write lost the optimistic-concurrency race, or would duplicate a unique key. */
export type StoreConflict =
  | { readonly code: 'store.conflict'; readonly id: string; readonly expectedVersion: number }
  | { readonly code: 'store.duplicate'; readonly id: string };

/** Assets and findings written together with the audit events that record them, atomically. */
export interface Change {
  readonly assets?: readonly Asset[];
  readonly findings?: readonly Finding[];
  readonly events: readonly AuditEventInput[];
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
  countByStateAndSeverity(): Promise<StateSeverityCount[]>;
  /**
   * Each of `ids` as it stood just before `at`: its last version whose `updatedAt` is earlier than `at`, from the
   * history every write keeps. Ids with no such version (created later, or unknown) are left out; no order.
   */
  versionsBefore(ids: readonly string[], at: Instant): Promise<Remediation[]>;
  /** Inserts at version 1 with its audit events; refuses a second remediation with the same id or key. */
  create(r: Remediation, events: readonly AuditEventInput[]): Promise<Result<Remediation, StoreConflict>>;
  /**
   * Writes `next` only if the stored version is still `expectedVersion`, together with its audit events;
   * returns the stored remediation at `expectedVersion + 1`. Two writers from the same version: one wins.
   */
  update(next: Remediation, expectedVersion: number, events: readonly AuditEventInput[]): Promise<Result<Remediation, StoreConflict>>;
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
}

export interface RemediationUpdate {
  readonly next: Remediation;
  readonly expectedVersion: number;
  readonly events: readonly AuditEventInput[];
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

export interface IdempotencyKeys {
  /** True the first time a key is seen, false every time after (Slack retries, double clicks, replicas). */
  claim(key: string, at: Date): Promise<boolean>;
  /** Gives a claimed key back: its work failed before anything was done, so the next delivery may try again. */
  release(key: string): Promise<void>;
}

/** Leases so that, with several replicas, exactly one runs each cron job. */
export interface JobLeases {
  /** True if `holder` now holds `name` until now + ttl: it was free, expired, or already theirs. */
  acquire(name: string, holder: string, ttlMs: number, now: Date): Promise<boolean>;
  /** Extends a lease `holder` still holds; false if it expired and someone else took it. */
  renew(name: string, holder: string, ttlMs: number, now: Date): Promise<boolean>;
  release(name: string, holder: string): Promise<void>;
}

/** Small JSON documents by namespace: sync high-water marks and ETags, KEV / EPSS caches. */
export interface KeyValue {
  get<T = unknown>(ns: string, key: string): Promise<T | null>;
  getMany<T = unknown>(ns: string, keys: readonly string[]): Promise<Map<string, T>>;
  put(ns: string, key: string, value: unknown): Promise<void>;
  putMany(ns: string, entries: ReadonlyMap<string, unknown>): Promise<void>;
}

export interface Store {
  readonly kind: 'sqlite' | 'mongo';
  readonly assets: AssetRepo;
  readonly findings: FindingRepo;
  readonly remediations: RemediationRepo;
  readonly audit: AuditLog;
  readonly idempotency: IdempotencyKeys;
  readonly leases: JobLeases;
  readonly kv: KeyValue;
  readonly evidence: EvidenceStore;
  /** Writes assets and findings with their audit events as one unit. */
  commit(change: Change): Promise<void>;
  close(): Promise<void>;
}

export interface StoredFile {
  readonly sha256: string;
  readonly size: number;
}

/** Evidence files, content-addressed: a folder beside the SQLite file, or GridFS. */
export interface EvidenceStore {
  put(bytes: Uint8Array, name: string, mimeType: string): Promise<StoredFile>;
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
