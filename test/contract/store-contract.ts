/**
 * THE store contract: every adapter of the Store port passes the same tests, named the same way. Run by
 * store.test.ts once per adapter in adapters.ts.
 */
import { advisoryContract } from './contract-advisories.js';
import { assetAndFindingContract } from './contract-assets-findings.js';
import { auditContract } from './contract-audit.js';
import { batchContract } from './contract-batches.js';
import { useStores, type StoreAdapter } from './contract-context.js';
import { idempotencyContract, keyValueContract, leaseContract } from './contract-coordination.js';
import { evidenceContract } from './contract-evidence.js';
import { historyContract } from './contract-history.js';
import { outboxContract } from './contract-outbox.js';
import { queryContract } from './contract-queries.js';
import { regroupContract } from './contract-regroup.js';
import { remediationContract } from './contract-remediations.js';

export type { StoreAdapter } from './contract-context.js';

export function describeStoreContract(adapter: StoreAdapter): void {
  const ctx = useStores(adapter);
  describe('assets and findings', () => assetAndFindingContract(ctx));
  describe('remediations', () => remediationContract(ctx));
  describe('remediation batches', () => batchContract(ctx));
  describe('remediation queries', () => queryContract(ctx));
  describe('remediation history', () => historyContract(ctx));
  describe('audit log', () => auditContract(ctx));
  describe('idempotency keys', () => idempotencyContract(ctx));
  describe('job leases', () => leaseContract(ctx));
  describe('key-value', () => keyValueContract(ctx));
  describe('evidence', () => evidenceContract(ctx));
  describe('outbox', () => outboxContract(ctx));
  describe('regrouping OS patches by baseline (a store from before)', () => regroupContract(ctx));
  describe('advisories', () => advisoryContract(ctx));
}
