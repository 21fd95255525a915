/**
 * `/patch status [public]`: the report for the person who asked; `public` posts it for the whole channel, which
 * only leads and managers may do, and only in the patch channel or one the policy names (`status.publicChannels`):
 * it names overdue work, owners and repositories, which a shared channel must not read.
 */
import type { StatusReport } from '../../app/reports/status-report.js';
import { COMMAND } from '../ids.js';
import { orRefuse, Refusal } from '../refusal.js';
import type { SlackMessage } from '../views/remediation-message.js';
import { statusMessage } from '../views/status.js';
import type { Subcommand } from './subcommand.js';

const MINUTE_MS = 60_000;

export const statusCommand: Subcommand = {
  name: 'status',
  usage: 'status [public]',
  summary: 'open work by severity and state, overdue with owners, due within 7 days, SLA compliance, time to remediate, advisories awaiting review, next window, coverage gaps (`public`, for leads and managers, posts it in the patch channel)',
  permission: 'read',
  handler: (deps) => {
    const allowed = [deps.channel, ...deps.policy.status.publicChannels.filter((c) => c !== deps.channel)];
    // The report is shared (computed once per change of the store: src/app/reports/shared-report.ts), and so is its
    // message within a minute (its due dates read "in 3 days", never finer).
    let last: { readonly report: StatusReport; readonly minute: number; readonly message: SlackMessage } | null = null;
    return async ({ args, actor, channelId, respond }) => {
      const inChannel = args[0]?.toLowerCase() === 'public';
      if (inChannel) {
        orRefuse(await deps.authorize(actor, 'publish_status', `${COMMAND} status public`));
        if (!allowed.includes(channelId)) throw new Refusal({ code: 'status.channel_not_allowed', allowed });
      }
      const report = await deps.reports.status();
      const ctx = deps.messageContext();
      const minute = Math.floor(ctx.now.getTime() / MINUTE_MS);
      if (last?.report !== report || last.minute !== minute) last = { report, minute, message: statusMessage(report, ctx) };
      await respond({ response_type: inChannel ? 'in_channel' : 'ephemeral', ...last.message });
    };
  },
};
