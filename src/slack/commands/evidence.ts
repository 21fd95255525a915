/**
 * `/patch evidence 2026-11` or `/patch evidence 2026-10-01 2026-12-31` (leads, managers, auditors): the auditor's
 * evidence pack of that period, built after the ack and delivered to the person's DM with the bot (see
 * src/slack/posting/deliver-evidence-pack.ts). One pack at a time across replicas (the `evidence-pack` lease).
 */
import { parsePeriod, type PeriodInput } from '../../app/evidence/period.js';
import { runUnderLease } from '../../jobs/lease.js';
import { createPackDelivery } from '../posting/deliver-evidence-pack.js';
import { Refusal } from '../refusal.js';
import type { Subcommand } from './subcommand.js';

export const EVIDENCE_PACK_JOB = 'evidence-pack';
/** Renewed while the pack is built; long enough to outlive a pause of the process. */
export const EVIDENCE_PACK_LEASE_MS = 10 * 60_000;

function input(args: readonly string[]): PeriodInput {
  if (args.length === 2) return { from: args[0]!, to: args[1]! };
  return { month: args.join(' ') };
}

export const evidenceCommand: Subcommand = {
  name: 'evidence',
  usage: 'evidence YYYY-MM | evidence YYYY-MM-DD YYYY-MM-DD',
  summary: 'the auditor’s evidence pack of a month or of days, sent to you as a zip (leads, managers, auditors)',
  permission: 'evidence',
  lane: 'background',
  handler: (deps) => {
    const deliver = createPackDelivery(deps);
    return async ({ args, userId, respond }) => {
      const period = parsePeriod(input(args), deps.policy.timezone, deps.now());
      if (!period.ok) throw new Refusal(period.error);
      const outcome = await runUnderLease(deps.store, { name: EVIDENCE_PACK_JOB, ttlMs: EVIDENCE_PACK_LEASE_MS, now: deps.now, logger: deps.logger }, async () => {
        await respond({ response_type: 'ephemeral', text: `Building the evidence pack for ${period.value.label}: I will send it to you in a direct message.` });
        await deliver(period.value, userId);
      });
      if (outcome.status === 'skipped') throw new Refusal({ code: 'pack.busy' });
    };
  },
};
