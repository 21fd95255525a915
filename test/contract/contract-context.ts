import type { AuditEventInput } from '../../src/app/audit.js';
import type { Store } from '../../src/app/ports.js';
import { T0 } from '../support/builders.js';
import type { AuditAction } from '../../src/app/audit-actions.js';

/** What the contract suite needs from an adapter. */
export interface StoreAdapter {
  readonly name: string;
  /** A store on a fresh, empty database. */
  open(): Promise<Store>;
  /** A second, independent connection to the database the last `open()` created. */
  openSecond?(): Promise<Store>;
  /** Removes every database this adapter created. */
  cleanup(): Promise<void>;
}

export interface ContractContext {
  /** This test's store, on a database of its own. */
  store(): Store;
  /** A second connection to this test's database (closed after the test). */
  second(): Promise<Store>;
  readonly hasSecond: boolean;
}

/** Opens a fresh store before each test and closes every connection after it. */
export function useStores(adapter: StoreAdapter): ContractContext {
  let current: Store | null = null;
  const open: Store[] = [];
  beforeEach(async () => {
    current = await adapter.open();
    open.push(current);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    current = null;
  });
  afterAll(() => adapter.cleanup());
  return {
    hasSecond: adapter.openSecond !== undefined,
    store: () => {
      if (!current) throw new Error('no store open outside a test');
      return current;
    },
    second: async () => {
      if (!adapter.openSecond) throw new Error(`the ${adapter.name} adapter has no second connection`);
      const s = await adapter.openSecond();
      open.push(s);
      return s;
    },
  };
}

/** An audit event input about `subject`. */
/** The store treats actions as opaque, so these tests may name any (cast: the app's are checked by the compiler). */
export const event = (subject: string, action = 'test.recorded', data: Record<string, unknown> = {}): AuditEventInput => ({
  at: T0.toISOString(),
  actor: 'U0LEAD',
  action: action as AuditAction,
  subject,
  data,
});

export const byId = <T extends { readonly id: string }>(items: readonly T[]): T[] => [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
export const ids = (items: readonly { readonly id: string }[]): string[] => items.map((i) => i.id);
