/**
 * The command table: each command's words, arguments and summary, which `--help` prints without loading any of
 * them, and its code, imported only when it runs (a command's dependencies, the AWS SDK, octokit, mongoose, zod,
 * cost a second or more to load: `patchwarden --help` should not pay for them, nor `audit verify` for the sources).
 * To add a command: its spec here, its file exporting a CliCommand `{ ...SPEC, run }`, one line in COMMANDS.
 */
import type { CliCommand, CommandSpec } from './command.js';

export const SYNC = {
  name: ['sync'],
  args: '[--source github|snyk|ssm|advisories]…',
  summary: 'pull assets and findings from the configured sources, and the advisory feeds, now; exit 1 if a source failed',
} as const satisfies CommandSpec;

export const INVENTORY = {
  name: ['inventory'],
  args: '[--gaps-only] [--json] [--fail-on-gaps]',
  summary: 'list every asset (by name, with its owner and the owners: rule that gave it) and the coverage gaps an auditor would flag',
} as const satisfies CommandSpec;

export const AUDIT_VERIFY = {
  name: ['audit', 'verify'],
  args: '[--expect-head <seq>:<sha256>]',
  summary: 'recompute the audit log’s hash chain; exit 1 naming the first bad seq',
} as const satisfies CommandSpec;

export const EVIDENCE = {
  name: ['evidence'],
  args: '--period YYYY-MM | --from YYYY-MM-DD --to YYYY-MM-DD [--out pack.zip]',
  summary: 'write the auditor’s evidence pack of a period (zip); prints its path and SHA-256',
} as const satisfies CommandSpec;

export const EVIDENCE_VERIFY = {
  name: ['evidence', 'verify'],
  args: '<pack.zip>',
  summary: 'check an evidence pack: every file against its manifest, the audit log segment link by link',
} as const satisfies CommandSpec;

/** A command whose code is imported when it runs. */
export const lazy = (spec: CommandSpec, load: () => Promise<CliCommand>): CliCommand => ({
  ...spec,
  run: async (args, io) => (await load()).run(args, io),
});

export const COMMANDS: readonly CliCommand[] = [
  lazy(SYNC, async () => (await import('./sync.js')).sync),
  lazy(INVENTORY, async () => (await import('./inventory.js')).inventory),
  lazy(AUDIT_VERIFY, async () => (await import('./audit-verify.js')).auditVerify),
  lazy(EVIDENCE, async () => (await import('./evidence.js')).evidence),
  lazy(EVIDENCE_VERIFY, async () => (await import('./evidence-verify.js')).evidenceVerify),
];
