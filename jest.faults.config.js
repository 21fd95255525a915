/** `npm run test:faults`: the fault suite (test/faults), each case a `*.faults.ts` file; see test/faults/README.md. */
import base from './jest.config.js';

export default {
  ...base,
  testMatch: ['**/test/faults/**/*.faults.ts'],
  testTimeout: 240_000,
  maxWorkers: 2,
};
