import { inventoryMessage } from '../views/inventory.js';
import type { Subcommand } from './subcommand.js';

export const inventoryCommand: Subcommand = {
  name: 'inventory',
  usage: 'inventory',
  summary: 'assets by source, and the coverage gaps: findings without an owner, stale scans, lost SSM agents, Dependabot off',
  permission: 'read',
  handler: (deps) => async ({ respond }) => {
    await respond({ response_type: 'ephemeral', ...inventoryMessage(await deps.reports.inventory(), deps.policy.timezone) });
  },
};
