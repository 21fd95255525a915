/**
 * `/patch status [public]`: the report for the person who asked; `public` posts it for the whole channel, which
 * only leads and managers may do, and only in the patch channel or one the policy names (`status.publicChannels`):
 * it names overdue work, owners and repositories, which a shared channel must not read.
 */
import { createInventoryReport } from '../../app/reports/inventory-report.js';
import { createStatusReport } from '../../app/reports/status-report.js';
import { orRefuse, Refusal } from '../refusal.js';
import { COMMAND } from '../ids.js';
import { statusMessage } from '../views/status.js';
import type { Subcommand } from './subcommand.js';

export const statusCommand: Subcommand = {
  name: 'status',
  usage: 'status [public]',
  summary: 'open work by severity and state, overdue with owners, due within 7 days, SLA compliance, time to remediate, advisories awaiting review, next window, coverage gaps (`public`, for leads and managers, posts it in the patch channel)',
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
    const allowed = [deps.channel, ...deps.policy.status.publicChannels.filter((c) => c !== deps.channel)];
    return async ({ args, actor, channelId, respond }) => {
      const inChannel = args[0]?.toLowerCase() === 'public';
      if (inChannel) {
        orRefuse(await deps.authorize(actor, 'publish_status', `${COMMAND} status public`));
        if (!allowed.includes(channelId)) throw new Refusal({ code: 'status.channel_not_allowed', allowed });
      }
      const message = statusMessage(await report(), deps.messageContext());
      await respond({ response_type: inChannel ? 'in_channel' : 'ephemeral', ...message });
    };
  },
};
