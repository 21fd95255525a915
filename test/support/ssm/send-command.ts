/**
 * SendCommand as the model validates it, for AWS-RunPatchBaseline: DocumentName required (any other document is
 * InvalidDocument), InstanceIds (<= 50, each known, else InvalidInstanceId) or Targets (<= 5, each <= 50 values, by
 * `tag:<k>`, `tag-key` or `InstanceIds`) but not both, Parameters Operation Scan|Install and RebootOption
 * RebootIfNeeded|NoReboot (InvalidParameters), Comment <= 100, TimeoutSeconds 30..2592000, MaxConcurrency and MaxErrors
 * by the model's patterns (ValidationException worded like AWS's).
 */
import type { SsmInstance } from '../population/types.js';
import { AwsError, int, list, pattern, str, type Input } from './protocol.js';

const PATCH_PARAMETERS = ['Operation', 'RebootOption', 'SnapshotId', 'InstallOverrideList', 'BaselineOverride', 'AssociationId'];

export interface SendCommandRequest {
  documentName: string;
  operation: 'Scan' | 'Install';
  parameters: Record<string, string[]>;
  instanceIds: string[];
  targets: { Key: string; Values: string[] }[];
  comment: string;
  timeoutSeconds: number;
  maxConcurrency: string;
  maxErrors: string;
  /** The instances the command runs on. */
  chosen: SsmInstance[];
}

export function validateSendCommand(input: Input, instances: SsmInstance[], byId: Map<string, SsmInstance>): SendCommandRequest {
  const documentName = str(input, 'DocumentName', true) as string;
  const ids = list<string>(input, 'InstanceIds', 50);
  const targets = list<{ Key: string; Values: string[] }>(input, 'Targets', 5);
  const timeoutSeconds = int(input, 'TimeoutSeconds', 30, 2_592_000, 3600);
  const comment = str(input, 'Comment', false) ?? '';
  if (comment.length > 100) throw new AwsError('ValidationException', `1 validation error detected: Value '${comment}' at 'comment' failed to satisfy constraint: Member must have length less than or equal to 100`);
  const maxConcurrency = pattern(input, 'MaxConcurrency', /^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$/, 7) ?? '50';
  const maxErrors = pattern(input, 'MaxErrors', /^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$/, 7) ?? '0';
  for (const t of targets ?? []) if ((t.Values ?? []).length > 50) throw new AwsError('ValidationException', "1 validation error detected: Value at 'targets.member.values' failed to satisfy constraint: Member must have length less than or equal to 50");
  if (documentName !== 'AWS-RunPatchBaseline') throw new AwsError('InvalidDocument', `Document with name ${documentName} does not exist.`);
  const parameters = (input.Parameters ?? {}) as Record<string, string[]>;
  const unknown = Object.keys(parameters).find((k) => !PATCH_PARAMETERS.includes(k));
  if (unknown) throw new AwsError('InvalidParameters', `Parameter "${unknown}" is not recognized by document AWS-RunPatchBaseline.`);
  const operation = parameters.Operation?.[0];
  if (operation !== 'Scan' && operation !== 'Install') throw new AwsError('InvalidParameters', 'Parameter "Operation" must be "Scan" or "Install".');
  if (!['RebootIfNeeded', 'NoReboot', undefined].includes(parameters.RebootOption?.[0])) throw new AwsError('InvalidParameters', 'Parameter "RebootOption" must be "RebootIfNeeded" or "NoReboot".');
  if ((ids === undefined) === (targets === undefined)) throw new AwsError('ValidationException', 'Specify either InstanceIds or Targets, not both and not neither.');
  let chosen: SsmInstance[];
  if (ids) {
    const missing = ids.filter((id) => !byId.has(id));
    if (missing.length > 0) throw new AwsError('InvalidInstanceId', `Instances [[${missing.join(', ')}]] not in a valid state for account 123456789012`);
    chosen = ids.map((id) => byId.get(id) as SsmInstance);
  } else {
    chosen = instances.filter((i) => (targets ?? []).every((t) => matchesTarget(i, t)));
  }
  return { documentName, operation, parameters, instanceIds: ids ?? [], targets: targets ?? [], comment, timeoutSeconds, maxConcurrency, maxErrors, chosen };
}

function matchesTarget(i: SsmInstance, t: { Key: string; Values: string[] }): boolean {
  if (t.Key === 'InstanceIds') return t.Values.includes(i.instanceId);
  if (t.Key === 'tag-key') return t.Values.some((k) => k in i.tags);
  if (t.Key.startsWith('tag:')) return t.Values.includes(i.tags[t.Key.slice(4)] ?? '\u0000');
  return false;
}
