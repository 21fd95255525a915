import { createTimeline, parseRemediationId } from '../../app/reports/timeline.js';
import { orRefuse } from '../refusal.js';
import { timelineMessage } from '../views/timeline.js';
import type { Subcommand } from './subcommand.js';

export const showCommand: Subcommand = {
  name: 'show',
  usage: 'show PW-12',
  summary: 'a remediation’s record and audit trail: who did what when, files with SHA-256, decisions, windows',
  permission: 'read',
  handler: (deps) => {
    const timeline = createTimeline({ store: deps.store });
    return async ({ args, respond }) => {
      const id = parseRemediationId(args[0]);
      if (!id) {
        await respond({ response_type: 'ephemeral', text: 'Which remediation? For example `/patch show PW-12`.' });
        return;
      }
      await respond({ response_type: 'ephemeral', ...timelineMessage(orRefuse(await timeline(id)), deps.messageContext()) });
    };
  },
};
