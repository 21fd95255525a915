import { createInventoryReport } from '../../app/reports/inventory-report.js';
import { inventoryMessage } from '../views/inventory.js';
import type { Subcommand } from './subcommand.js';

export const inventoryCommand: Subcommand = {
  name: 'inventory',
  usage: 'inventory',
  summary: 'assets by source, and the coverage gaps: findings without an owner, stale scans, lost SSM agents, Dependabot off',
  permission: 'read',
  handler: (deps) => {
    const report = createInventoryReport({ store: deps.store, staleScanDays: deps.policy.inventory.staleScanDays, now: deps.now });
    return async ({ respond }) => {
      await respond({ response_type: 'ephemeral', ...inventoryMessage(await report(), deps.policy.timezone) });
    };
  },
};
