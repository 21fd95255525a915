import { createInventoryReport } from '../../app/reports/inventory-report.js';
import { createStatusReport } from '../../app/reports/status-report.js';
import { statusMessage } from '../views/status.js';
import type { Subcommand } from './subcommand.js';

export const statusCommand: Subcommand = {
  name: 'status',
  usage: 'status [public]',
  summary: 'open work by severity and state, overdue with owners, due within 7 days, SLA compliance, time to remediate, advisories awaiting review, next window, coverage gaps (`public` posts it in the channel)',
  permission: 'read',
  handler: (deps) => {
    const report = createStatusReport({
      store: deps.store,
      inventory: createInventoryReport({ store: deps.store, staleScanDays: deps.policy.inventory.staleScanDays, now: deps.now }),
      reviewWithinDays: deps.policy.advisories.reviewWithinDays,
      windows: deps.policy.maintenanceWindows,
      timeZone: deps.policy.timezone,
      now: deps.now,
      emergencies: deps.deploy.pendingEmergencies,
    });
    return async ({ args, respond }) => {
      const inChannel = args[0]?.toLowerCase() === 'public';
      const message = statusMessage(await report(), deps.messageContext());
      await respond({ response_type: inChannel ? 'in_channel' : 'ephemeral', ...message });
    };
  },
};
