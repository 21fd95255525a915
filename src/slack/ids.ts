/**
 * Every Slack id patchwarden uses (action_id, callback_id, block_id) and the codecs for what rides in a button's
 * `value` or a modal's `private_metadata`. Both come back from Slack as untrusted text: decode with zod.
 */
import { z } from 'zod';

/** The one slash command (manifest.json); its subcommands are in src/slack/commands/table.ts. */
export const COMMAND = '/patch';

export const ACTION = {
  assess: 'pw.assess',
  uploadEvidence: 'pw.upload_evidence',
  approve: 'pw.approve',
  acceptRisk: 'pw.accept_risk',
  timeline: 'pw.timeline',
  runStaging: 'pw.run_staging',
  recordChecks: 'pw.record_checks',
  deployNow: 'pw.deploy_now',
  markDeployed: 'pw.mark_deployed',
  approveEmergency: 'pw.approve_emergency',
  /** A link button (the alert, the advisory): Slack still sends an action; we ack it and do nothing. */
  link: 'pw.link',
  /** A manual remediation: a lead records the check that verifies it. */
  recordCheck: 'pw.record_check',
  advisoryNotApplicable: 'pw.advisory_not_applicable',
  advisoryCovered: 'pw.advisory_covered',
  advisoryCreate: 'pw.advisory_create',
} as const;

export const VIEW = {
  assess: 'pw.assess_modal',
  testEvidence: 'pw.test_evidence_modal',
  approval: 'pw.approval_modal',
  riskAcceptance: 'pw.risk_acceptance_modal',
  stagingRun: 'pw.staging_run_modal',
  deployNow: 'pw.deploy_now_modal',
  markDeployed: 'pw.mark_deployed_modal',
  emergencyApproval: 'pw.emergency_approval_modal',
  recordCheck: 'pw.record_check_modal',
  advisoryNotApplicable: 'pw.advisory_not_applicable_modal',
  advisoryCovered: 'pw.advisory_covered_modal',
  /** Create remediation: from an advisory, or `/patch new`. */
  newRemediation: 'pw.new_remediation_modal',
} as const;

/** Input blocks of the modals: block_id and action_id are the same string. */
export const INPUT = {
  severity: 'severity',
  knownExploit: 'known_exploit',
  businessImpact: 'business_impact',
  rationale: 'rationale',
  owner: 'owner',
  environment: 'environment',
  result: 'result',
  notes: 'notes',
  files: 'files',
  decision: 'decision',
  window: 'window',
  changeTicket: 'change_ticket',
  reason: 'reason',
  justification: 'justification',
  compensatingControl: 'compensating_control',
  expiry: 'expiry',
  changeUrl: 'change_url',
  note: 'note',
  title: 'title',
  assets: 'assets',
  typedAssets: 'typed_assets',
  cves: 'cves',
  remediation: 'remediation',
  remediationTyped: 'remediation_typed',
  what: 'what',
  link: 'link',
} as const;

const remediationId = z.string().regex(/^PW-\d{1,9}$/);

/** A button's value: which remediation it acts on. */
const buttonValue = z.object({ r: remediationId });
/** A modal's private_metadata: the remediation, and where the person opened it from (for the reply). */
const modalMetadata = z.object({ r: remediationId, ch: z.string().max(20).optional(), ts: z.string().max(32).optional() });

export type ButtonValue = z.infer<typeof buttonValue>;
export type ModalMetadata = z.infer<typeof modalMetadata>;

const decode = <T>(schema: z.ZodType<T>, text: unknown): T | null => {
  if (typeof text !== 'string') return null;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
};

export const encodeButtonValue = (v: ButtonValue): string => JSON.stringify(v);
export const decodeButtonValue = (text: unknown): ButtonValue | null => decode(buttonValue, text);
export const encodeModalMetadata = (m: ModalMetadata): string => JSON.stringify(m);
export const decodeModalMetadata = (text: unknown): ModalMetadata | null => decode(modalMetadata, text);

const advisoryId = z.string().regex(/^adv-[0-9a-f]{16}$/);
/** An advisory button's value, and its modals' private_metadata (no `a`: `/patch new`, nothing to review). */
const advisoryValue = z.object({ a: advisoryId });
const advisoryMetadata = z.object({ a: advisoryId.optional() });

export type AdvisoryValue = z.infer<typeof advisoryValue>;
export type AdvisoryMetadata = z.infer<typeof advisoryMetadata>;
export const encodeAdvisoryValue = (v: AdvisoryValue): string => JSON.stringify(v);
export const decodeAdvisoryValue = (text: unknown): AdvisoryValue | null => decode(advisoryValue, text);
export const encodeAdvisoryMetadata = (m: AdvisoryMetadata): string => JSON.stringify(m);
export const decodeAdvisoryMetadata = (text: unknown): AdvisoryMetadata | null => decode(advisoryMetadata, text);
