import { storeAdapters } from './adapters.js';
import { describeStoreContract } from './store-contract.js';

describe.each(storeAdapters().map((a) => [a.name, a] as const))('%s store', (_name, adapter) => describeStoreContract(adapter));
