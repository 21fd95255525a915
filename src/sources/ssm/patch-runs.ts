/**
 * SSM Run Command for deployments (the SsmRuns port of src/app/deploy): which managed instances a run targets
 * (DescribeInstanceInformation filtered by the environment's targets, and by instance id 50 at a time), SendCommand
 * (never retried blindly: a lost answer is looked up by its Comment instead), ListCommands (a run's commands found by
 * Comment and followed by their counts), ListCommandInvocations (all pages; with Details for the output), and the
 * patch states and open patches that verify.
 */
import type { InstanceInformationStringFilter } from '@aws-sdk/client-ssm';
import type { CommandSummary, InvocationReport, ManagedInstance, PatchStateReport, SsmRuns, SsmTarget } from '../../app/deploy/deploy-ports.js';
import { batches, invocationStatus } from '../../domain/ssm-run.js';
import type { SsmApi } from './client.js';
import { missingPatches, patchStates } from './instance-reads.js';
import type { InvocationJson, PluginJson } from './run-schemas.js';

/** SSM's output of a plugin that did not apply to the platform (AWS-RunPatchBaseline has one per OS). */
const SKIPPED = /skipped due to unsatisfied preconditions/i;
const OUTPUT_MAX = 2500;

function report(inv: InvocationJson): InvocationReport {
  const ran = inv.CommandPlugins.filter((p) => !SKIPPED.test(p.Output ?? ''));
  const plugins: PluginJson[] = ran.length > 0 ? ran : inv.CommandPlugins;
  const first = plugins[0];
  const starts = plugins.map((p) => p.ResponseStartDateTime).filter((d): d is Date => d !== undefined);
  const ends = plugins.map((p) => p.ResponseFinishDateTime).filter((d): d is Date => d !== undefined);
  return {
    instanceId: inv.InstanceId,
    name: inv.InstanceName || null,
    status: invocationStatus(inv.Status, inv.StatusDetails),
    statusDetails: inv.StatusDetails,
    responseCode: first?.ResponseCode ?? null,
    output: plugins.map((p) => p.Output ?? '').filter(Boolean).join('\n').slice(0, OUTPUT_MAX),
    startedAt: starts.length > 0 ? new Date(Math.min(...starts.map((d) => d.getTime()))).toISOString() : null,
    finishedAt: ends.length > 0 ? new Date(Math.max(...ends.map((d) => d.getTime()))).toISOString() : null,
  };
}

export function createSsmRuns(api: SsmApi): SsmRuns {
  async function list(filters: InstanceInformationStringFilter[]): Promise<ManagedInstance[]> {
    const out: ManagedInstance[] = [];
    let token: string | undefined;
    do {
      const page = await api.describeInstanceInformation({ Filters: filters, MaxResults: 50, ...(token ? { NextToken: token } : {}) });
      out.push(...page.InstanceInformationList.map((i) => ({ instanceId: i.InstanceId, name: i.ComputerName || null, platform: i.PlatformType ?? null })));
      token = page.NextToken;
    } while (token);
    return out;
  }

  return {
    requests: () => api.stats.requests,

    async instances(targets: readonly SsmTarget[], only = {}) {
      const filters: InstanceInformationStringFilter[] = targets.map((t) => ({ Key: t.key, Values: [...t.values] }));
      if (only.platforms && only.platforms.length > 0) filters.push({ Key: 'PlatformTypes', Values: [...only.platforms] });
      if (!only.instanceIds) return list(filters);
      const found = await Promise.all(batches(only.instanceIds).map((ids) => list([...filters, { Key: 'InstanceIds', Values: ids }])));
      return found.flat();
    },

    async send(req) {
      const parameters: Record<string, string[]> = { Operation: [req.operation] };
      if (req.operation === 'Install') parameters.RebootOption = [req.rebootOption];
      const out = await api.sendCommand({
        DocumentName: req.document,
        InstanceIds: [...req.instanceIds],
        Parameters: parameters,
        MaxConcurrency: req.maxConcurrency,
        MaxErrors: req.maxErrors,
        Comment: req.comment,
      });
      return { commandId: out.Command.CommandId, comment: out.Command.Comment || req.comment };
    },

    async listCommands(document, since) {
      const found: CommandSummary[] = [];
      let token: string | undefined;
      do {
        const page = await api.listCommands({
          Filters: [{ key: 'InvokedAfter', value: since.toISOString() }, { key: 'DocumentName', value: document }],
          MaxResults: 50,
          ...(token ? { NextToken: token } : {}),
        });
        found.push(...page.Commands.map((c) => ({ commandId: c.CommandId, comment: c.Comment, status: c.Status ?? 'Pending', targets: c.TargetCount ?? 0, completed: c.CompletedCount ?? 0, errors: c.ErrorCount ?? 0 })));
        token = page.NextToken;
      } while (token);
      return found;
    },

    async invocations(commandId, details) {
      const out: InvocationReport[] = [];
      let token: string | undefined;
      do {
        const page = await api.listCommandInvocations({ CommandId: commandId, Details: details, MaxResults: 50, ...(token ? { NextToken: token } : {}) });
        out.push(...page.CommandInvocations.map(report));
        token = page.NextToken;
      } while (token);
      return out;
    },

    async patchStates(instanceIds) {
      const states = await patchStates(api, instanceIds);
      return [...states.values()].map((s): PatchStateReport => ({
        instanceId: s.InstanceId,
        baselineId: s.BaselineId ?? '',
        patchGroup: s.PatchGroup || null,
        installed: s.InstalledCount ?? 0,
        missing: s.MissingCount ?? 0,
        failed: s.FailedCount ?? 0,
        operation: s.Operation === 'Install' ? 'Install' : 'Scan',
        operationStartTime: (s.OperationStartTime ?? s.OperationEndTime).toISOString(),
        operationEndTime: s.OperationEndTime.toISOString(),
      }));
    },

    async openPatches(instanceId) {
      const patches = await missingPatches(api, instanceId);
      return patches ? patches.map((p) => p.KBId) : null;
    },
  };
}
