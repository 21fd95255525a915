import type { StatusReport } from '../../app/reports/status-report.js';
import type { SlackMessage } from '../views/remediation-message.js';
import { statusMessage } from '../views/status.js';
import type { Subcommand } from './subcommand.js';

const MINUTE_MS = 60_000;

export const statusCommand: Subcommand = {
  name: 'status',
  usage: 'status [public]',
  summary: 'open work by severity and state, overdue with owners, due within 7 days, SLA compliance, time to remediate, advisories awaiting review, next window, coverage gaps (`public` posts it in the channel)',
  permission: 'read',
  handler: (deps) => {
    // The report is shared (computed once per change of the store: src/app/reports/shared-report.ts), and so is its
    // message within a minute (its due dates read "in 3 days", never finer).
    let last: { readonly report: StatusReport; readonly minute: number; readonly message: SlackMessage } | null = null;
    return async ({ args, respond }) => {
      const inChannel = args[0]?.toLowerCase() === 'public';
      const report = await deps.reports.status();
      const ctx = deps.messageContext();
      const minute = Math.floor(ctx.now.getTime() / MINUTE_MS);
      if (last?.report !== report || last.minute !== minute) last = { report, minute, message: statusMessage(report, ctx) };
      await respond({ response_type: inChannel ? 'in_channel' : 'ephemeral', ...last.message });
    };
  },
};
