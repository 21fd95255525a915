import { createFindingsDetail } from '../../app/reports/findings-detail.js';
import { createTimeline, parseRemediationId } from '../../app/reports/timeline.js';
import { err, ok } from '../../domain/result.js';
import { postFindingsCsv } from '../posting/thread-findings.js';
import { orRefuse } from '../refusal.js';
import { findingsPages } from '../views/findings-pages.js';
import { timelineMessage } from '../views/timeline.js';
import type { Subcommand } from './subcommand.js';

export const showCommand: Subcommand = {
  name: 'show',
  usage: 'show PW-12 [findings]',
  summary: 'a remediation’s record, what is behind it and its audit trail; `findings` lists every finding (a patch run: every patch and host)',
  permission: 'read',
  handler: (deps) => {
    const timeline = createTimeline({ store: deps.store });
    const findingsOf = createFindingsDetail({ store: deps.store });
    return async ({ args, respond }) => {
      const id = parseRemediationId(args[0]);
      if (!id) {
        await respond({ response_type: 'ephemeral', text: 'Which remediation? For example `/patch show PW-12`, or `/patch show PW-12 findings` for every finding.' });
        return;
      }
      if (args[1]?.toLowerCase() !== 'findings') {
        await respond({ response_type: 'ephemeral', ...timelineMessage(orRefuse(await timeline(id)), deps.messageContext()) });
        return;
      }
      const found = await deps.store.remediations.get(id);
      const r = orRefuse(found ? ok(found) : err({ code: 'remediation.not_found' as const, id }));
      const detail = await findingsOf(r);
      const { pages, left } = findingsPages(detail, deps.policy.timezone);
      for (const page of pages) await respond({ response_type: 'ephemeral', ...page });
      // More than fits: the whole list goes to the remediation's thread as a CSV. One without a message yet gets it
      // now, and posting it puts the findings and the CSV in its thread.
      if (left > 0) {
        if (r.message) await postFindingsCsv(deps.client, detail, r.message);
        else await deps.publisher.publish(r);
      }
    };
  },
};
