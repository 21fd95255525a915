/**
 * `patchwarden evidence --period 2026-11 | --from 2026-10-01 --to 2026-12-31 [--out pack.zip]`: the auditor's evidence
 * pack of a period, from the same store the bot uses (src/app/evidence). Prints the zip's path and SHA-256; exit 0,
 * or 1 when the pack had to report the audit log broken in the store (the pack is written all the same).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createEvidencePack } from '../app/evidence/build-pack.js';
import { parsePeriod, type PeriodInput } from '../app/evidence/period.js';
import { printerFor } from '../browser/printer-for.js';
import { configuredSources } from '../config.js';
import { SYSTEM_ID } from '../domain/roles.js';
import { openStore } from '../store/open-store.js';
import { toolVersion } from '../version.js';
import { cliConfig, storeExists } from './cli-config.js';
import { EVIDENCE } from './commands.js';
import { EXIT, type CliCommand } from './command.js';
import { plainPackProgress, terminalPackProgress } from './pack-progress.js';

const usage = (message: string, io: { stderr: (s: string) => void }): number => {
  io.stderr(`${message}\nusage: patchwarden evidence ${EVIDENCE.args}\n`);
  return EXIT.usage;
};

export const evidence: CliCommand = {
  ...EVIDENCE,
  run: async (args, io) => {
    let values: { period?: string; from?: string; to?: string; out?: string };
    try {
      ({ values } = parseArgs({ args: [...args], options: { period: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' } }, strict: true }));
    } catch (e) {
      return usage((e as Error).message, io);
    }
    const { period: month, from, to } = values;
    if (month !== undefined && (from !== undefined || to !== undefined)) return usage('give --period, or --from and --to, not both', io);
    if (month === undefined && (from === undefined || to === undefined)) return usage('which period? give --period YYYY-MM, or --from and --to', io);
    const input: PeriodInput = month !== undefined ? { month } : { from: from!, to: to! };
    const config = cliConfig(io, 'evidence');
    if (!config) return EXIT.failed;
    const period = parsePeriod(input, config.policy.timezone, new Date());
    if (!period.ok) return usage(`not a period: ${period.error.text}: ${period.error.reason}`, io);
    if (!storeExists(config, io, 'store to take evidence from')) return EXIT.failed;
    const out = resolve(values.out ?? `patchwarden-evidence-${period.value.label}.zip`);
    const store = await openStore(config.store);
    const progress = io.isTTY ? terminalPackProgress(io.stdout) : plainPackProgress(io.stdout);
    try {
      const now = () => new Date();
      const pack = createEvidencePack({ store, policy: config.policy, sources: configuredSources(config), printer: printerFor(config.chromiumPath), toolVersion: toolVersion(), now });
      const result = await pack({ period: period.value, out, by: SYSTEM_ID.cli, onProgress: (p) => progress.update(p) });
      progress.stop();
      for (const p of result.problems) io.stderr(`warning: ${p}\n`);
      const m = result.manifest;
      io.stdout(`${result.path}\nsha256 ${result.sha256}  (${result.size.toLocaleString('en-US')} bytes; ${m.counts.remediations.toLocaleString('en-US')} remediations, ${m.counts.evidenceFiles.toLocaleString('en-US')} evidence files, ${m.counts.auditEvents.toLocaleString('en-US')} audit events)\n`);
      return m.auditChain.verification.ok ? EXIT.ok : EXIT.failed;
    } finally {
      progress.stop();
      await store.close();
    }
  },
};
