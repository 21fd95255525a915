import { DIGEST_JOB, DIGEST_LEASE_MS } from '../../jobs/digest-job.js';
import { runUnderLease } from '../../jobs/lease.js';
import { actorId } from '../../domain/roles.js';
import { createDigestPoster } from '../posting/post-digest.js';
import { plural } from '../views/format.js';
import { Refusal } from '../refusal.js';
import type { Subcommand } from './subcommand.js';

/** Posts a digest now, under the same lease as the scheduled one (never two at once), whatever the period. */
export const digestCommand: Subcommand = {
  name: 'digest',
  usage: 'digest',
  summary: 'post the digest in the patch channel now (leads)',
  permission: 'digest',
  lane: 'background',
  handler: (deps) => {
    const poster = createDigestPoster(deps);
    return async ({ actor, respond }) => {
      await respond({ response_type: 'ephemeral', text: `Posting the digest in <#${deps.channel}>…` });
      const outcome = await runUnderLease(deps.store, { name: DIGEST_JOB, ttlMs: DIGEST_LEASE_MS, now: deps.now, logger: deps.logger }, (lease) =>
        poster.post({ trigger: 'on_demand', by: actorId(actor), holds: lease.holds }),
      );
      if (outcome.status === 'skipped') throw new Refusal({ code: 'job.busy', job: 'digest' });
      const posted = outcome.value;
      await respond({
        response_type: 'ephemeral',
        text: posted
          ? `Digest posted in <#${posted.channel}>: ${plural(posted.remediations, 'remediation')}, ${posted.fresh} new, each new one with its own message.`
          : 'No digest was posted.',
      });
    };
  },
};
