/** The SSM fake, driven by the real @aws-sdk/client-ssm: awsJson1_1 parsing, model limits, NextToken, throttling, Run Command. */
import {
  DescribeInstanceInformationCommand, DescribeInstancePatchesCommand, DescribeInstancePatchStatesCommand, DescribeMaintenanceWindowsCommand,
  GetCommandInvocationCommand, InvalidInstanceId, InvalidNextToken, InvalidResourceId, InvocationDoesNotExist, ListCommandInvocationsCommand,
  ListResourceComplianceSummariesCommand, ListTagsForResourceCommand, paginateDescribeInstanceInformation, SendCommandCommand, SSMClient,
  ThrottlingException, ValidationException,
} from '@aws-sdk/client-ssm';
import { buildPopulation } from '../support/population/build-population.js';
import { countsOf } from '../support/population/counts.js';
import { SMALL_EXPECTED, SMALL_FACTS, small } from '../support/population/presets.js';
import type { Population, SsmInstance } from '../support/population/types.js';
import { startFakeSsm, type FakeSsm } from '../support/ssm/fake-ssm.js';

const client = (fake: FakeSsm): SSMClient => new SSMClient({ endpoint: fake.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });

async function rejection(p: Promise<unknown>): Promise<Error & { name: string; message: string; $metadata?: { httpStatusCode?: number } }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { name: string };
  }
  throw new Error('expected the call to fail');
}

describe('SSM fake: inventory and compliance (small population)', () => {
  let population: Population;
  let fake: FakeSsm;
  let ssm: SSMClient;
  let byIndex: SsmInstance[];
  beforeEach(async () => {
    population = small();
    byIndex = population.ssm.instances;
    fake = await startFakeSsm(population);
    ssm = client(fake);
  });
  afterEach(async () => {
    ssm.destroy();
    await fake.close();
  });

  it('describes every managed instance with its ping status, parsed by the SDK (dates from epoch seconds)', async () => {
    const out = await ssm.send(new DescribeInstanceInformationCommand({ MaxResults: 50 }));
    const list = out.InstanceInformationList ?? [];
    expect(list).toHaveLength(SMALL_EXPECTED.ssm.instances);
    expect(list.filter((i) => i.PingStatus === 'ConnectionLost')).toHaveLength(SMALL_EXPECTED.ssm.connectionLost);
    const lost = list.find((i) => i.PingStatus === 'ConnectionLost');
    expect(lost?.LastPingDateTime).toEqual(new Date('2026-10-20T09:00:00.000Z'));
    expect(list.map((i) => [i.PlatformType, i.ResourceType])).toEqual([['Windows', 'EC2Instance'], ['Linux', 'EC2Instance'], ['Linux', 'EC2Instance'], ['Linux', 'ManagedInstance']]);
    expect(list[0]).not.toHaveProperty('Tags');
    const request = fake.requests[0];
    expect(request?.headers['x-amz-target']).toBe('AmazonSSM.DescribeInstanceInformation');
    expect(request?.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.body).toEqual({ MaxResults: 50 });
  });

  it('filters by tag and ping status; serves tags of hybrid nodes only through ListTagsForResource', async () => {
    const staging = await ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: 'tag:Environment', Values: ['staging'] }] }));
    expect(staging.InstanceInformationList?.map((i) => i.InstanceId)).toEqual([byIndex[2]?.instanceId]);
    const owned = await ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: 'tag-key', Values: ['Owner'] }, { Key: 'PingStatus', Values: ['Online'] }] }));
    expect(owned.InstanceInformationList).toHaveLength(2);
    const hybrid = byIndex[3] as SsmInstance;
    const tags = await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'ManagedInstance', ResourceId: hybrid.instanceId }));
    expect(tags.TagList).toEqual([{ Key: 'Name', Value: 'production-batch-4' }, { Key: 'Environment', Value: 'production' }, { Key: 'Patch Group', Value: 'production' }]);
    const ec2 = await rejection(ssm.send(new ListTagsForResourceCommand({ ResourceType: 'ManagedInstance', ResourceId: byIndex[0]?.instanceId })));
    expect(ec2).toBeInstanceOf(InvalidResourceId);
  });

  it('reports patch states with counts and the last scan time', async () => {
    const out = await ssm.send(new DescribeInstancePatchStatesCommand({ InstanceIds: byIndex.map((i) => i.instanceId) }));
    const states = out.InstancePatchStates ?? [];
    expect(states.map((s) => [s.MissingCount, s.InstalledCount, s.FailedCount])).toEqual([[3, 2, 0], [3, 2, 0], [3, 2, 0], [3, 2, 1]]);
    expect(states[1]?.OperationEndTime).toEqual(new Date('2026-09-17T09:00:00.000Z'));
    expect(states.reduce((n, s) => n + (s.MissingCount ?? 0), 0)).toBe(SMALL_EXPECTED.ssm.missingPatches);
  });

  it('lists missing and failed patches with KB ids and CVE ids', async () => {
    const windows = byIndex[0] as SsmInstance;
    const out = await ssm.send(new DescribeInstancePatchesCommand({ InstanceId: windows.instanceId, Filters: [{ Key: 'State', Values: ['Missing', 'Failed'] }] }));
    const first = out.Patches?.[0];
    expect(first).toMatchObject({ KBId: SMALL_FACTS.kevListedMissingPatch.kbId, State: 'MISSING', Classification: 'SecurityUpdates', InstalledTime: new Date(0) });
    expect(first?.CVEIds?.split(',')).toContain(SMALL_FACTS.kevListedMissingPatch.cve);
    expect(out.Patches).toHaveLength(3);
    const failed = await ssm.send(new DescribeInstancePatchesCommand({ InstanceId: byIndex[3]?.instanceId, Filters: [{ Key: 'State', Values: ['Failed'] }] }));
    expect(failed.Patches?.map((p) => p.State)).toEqual(['FAILED']);
    expect(await rejection(ssm.send(new DescribeInstancePatchesCommand({ InstanceId: 'i-0123456789abcdef0' })))).toBeInstanceOf(InvalidInstanceId);
  });

  it('summarises patch compliance per instance and lists maintenance windows', async () => {
    const out = await ssm.send(new ListResourceComplianceSummariesCommand({ Filters: [{ Key: 'ComplianceType', Values: ['Patch'], Type: 'EQUAL' }], MaxResults: 50 }));
    const items = out.ResourceComplianceSummaryItems ?? [];
    expect(items).toHaveLength(4);
    expect(items[0]).toMatchObject({ ResourceId: byIndex[0]?.instanceId, Status: 'NON_COMPLIANT', NonCompliantSummary: { NonCompliantCount: 3 }, CompliantSummary: { CompliantCount: 2 } });
    expect(items[0]?.ExecutionSummary?.ExecutionTime).toEqual(new Date('2026-11-01T08:00:00.000Z'));
    const mw = await ssm.send(new DescribeMaintenanceWindowsCommand({ Filters: [{ Key: 'Enabled', Values: ['true'] }] }));
    expect(mw.WindowIdentities?.map((w) => [w.Name, w.Duration, w.Cutoff, w.Schedule])).toEqual([
      ['production-monthly-patching', 4, 1, 'cron(0 2 ? * SUN#2 *)'],
      ['staging-weekly-patching', 2, 0, 'cron(0 22 ? * WED *)'],
    ]);
  });

  it('throws ValidationException past the model limits', async () => {
    const tooSmall = await rejection(ssm.send(new DescribeInstanceInformationCommand({ MaxResults: 4 })));
    expect(tooSmall).toBeInstanceOf(ValidationException);
    expect(tooSmall.message).toBe("1 validation error detected: Value '4' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 5");
    expect(tooSmall.$metadata?.httpStatusCode).toBe(400);
    const ids = Array.from({ length: 51 }, (_, i) => `i-0${i.toString(16).padStart(16, '0')}`);
    const tooMany = await rejection(ssm.send(new DescribeInstancePatchStatesCommand({ InstanceIds: ids })));
    expect(tooMany).toBeInstanceOf(ValidationException);
    expect(tooMany.message).toContain("at 'instanceIds' failed to satisfy constraint: Member must have length less than or equal to 50");
    expect(await rejection(ssm.send(new DescribeInstancePatchesCommand({ InstanceId: byIndex[0]?.instanceId, MaxResults: 101 })))).toBeInstanceOf(ValidationException);
    const fiveFilters = Array.from({ length: 6 }, () => ({ Key: 'State', Values: ['Missing'] }));
    expect(await rejection(ssm.send(new DescribeInstancePatchesCommand({ InstanceId: byIndex[0]?.instanceId, Filters: fiveFilters })))).toBeInstanceOf(ValidationException);
  });

  it('surfaces an injected throttle as the SDK ThrottlingException, then serves the retry', async () => {
    fake.knobs.failNext({ throttle: true, operation: 'DescribeInstancePatches' });
    const call = () => ssm.send(new DescribeInstancePatchesCommand({ InstanceId: byIndex[1]?.instanceId }));
    const e = await rejection(call());
    expect(e).toBeInstanceOf(ThrottlingException);
    expect(e.message).toBe('Rate exceeded');
    expect((await call()).Patches).toHaveLength(5);
    expect(fake.knobs.counters).toMatchObject({ requests: 2, failed: 1, byOperation: { DescribeInstancePatches: 2 } });
  });
});

describe('SSM fake: NextToken pagination', () => {
  const population = buildPopulation({ repos: 0, snykProjects: 0, snykIssues: 0, cveOverlap: 0, instances: 23, missingPerInstance: 15 });
  let fake: FakeSsm;
  let ssm: SSMClient;
  beforeEach(async () => {
    fake = await startFakeSsm(population);
    ssm = client(fake);
  });
  afterEach(async () => {
    ssm.destroy();
    await fake.close();
  });

  it('walks DescribeInstanceInformation with the SDK paginator in ceil(23/5) pages', async () => {
    const ids: string[] = [];
    for await (const page of paginateDescribeInstanceInformation({ client: ssm, pageSize: 5 }, {})) ids.push(...(page.InstanceInformationList ?? []).map((i) => i.InstanceId as string));
    expect(ids).toEqual(population.ssm.instances.map((i) => i.instanceId));
    expect(fake.requests.map((r) => r.page)).toEqual([1, 2, 3, 4, 5]);
  });

  it('pages DescribeInstancePatches and rejects a token from another request', async () => {
    const id = population.ssm.instances[5]?.instanceId;
    const first = await ssm.send(new DescribeInstancePatchesCommand({ InstanceId: id, MaxResults: 10 }));
    expect(first.Patches).toHaveLength(10);
    const second = await ssm.send(new DescribeInstancePatchesCommand({ InstanceId: id, MaxResults: 10, NextToken: first.NextToken }));
    expect(second.Patches).toHaveLength(8);
    expect(second.NextToken).toBeUndefined();
    const other = await rejection(ssm.send(new DescribeInstancePatchesCommand({ InstanceId: population.ssm.instances[6]?.instanceId, NextToken: first.NextToken })));
    expect(other).toBeInstanceOf(InvalidNextToken);
    expect(await rejection(ssm.send(new DescribeInstanceInformationCommand({ NextToken: 'garbage' })))).toBeInstanceOf(InvalidNextToken);
  });

  it('fails only the K-th page of a walk', async () => {
    fake.knobs.failNext({ status: 503, operation: 'DescribeInstanceInformation', page: 2 });
    const first = await ssm.send(new DescribeInstanceInformationCommand({ MaxResults: 10 }));
    const e = await rejection(ssm.send(new DescribeInstanceInformationCommand({ MaxResults: 10, NextToken: first.NextToken })));
    expect(e.$metadata?.httpStatusCode).toBe(503);
    const again = await ssm.send(new DescribeInstanceInformationCommand({ MaxResults: 10, NextToken: first.NextToken }));
    expect(again.InstanceInformationList).toHaveLength(10);
  });
});

describe('SSM fake: Run Command with AWS-RunPatchBaseline', () => {
  let population: Population;
  let fake: FakeSsm;
  let ssm: SSMClient;
  beforeEach(async () => {
    population = small();
    fake = await startFakeSsm(population, { progress: { pendingPolls: 1, inProgressPolls: 1, invisibleGets: 1 } });
    ssm = client(fake);
  });
  afterEach(async () => {
    ssm.destroy();
    await fake.close();
  });

  it('targets by tag, progresses Pending -> InProgress -> Success, and Install installs the missing patches', async () => {
    const sent = await ssm.send(new SendCommandCommand({
      DocumentName: 'AWS-RunPatchBaseline', Targets: [{ Key: 'tag:Environment', Values: ['production'] }],
      Parameters: { Operation: ['Install'], RebootOption: ['RebootIfNeeded'] }, MaxConcurrency: '50%', MaxErrors: '0', Comment: 'PW-7 production',
    }));
    const command = sent.Command;
    expect(command).toMatchObject({ Status: 'Pending', TargetCount: 2, DocumentName: 'AWS-RunPatchBaseline', MaxConcurrency: '50%', MaxErrors: '0' });
    expect(command?.RequestedDateTime).toBeInstanceOf(Date);
    const instanceId = population.ssm.instances[1]?.instanceId as string;
    const poll = () => ssm.send(new GetCommandInvocationCommand({ CommandId: command?.CommandId, InstanceId: instanceId }));
    expect(await rejection(poll())).toBeInstanceOf(InvocationDoesNotExist);
    expect((await poll()).Status).toBe('Pending');
    expect((await poll()).Status).toBe('InProgress');
    const done = await poll();
    expect(done).toMatchObject({ Status: 'Success', StatusDetails: 'Success', ResponseCode: 0, PluginName: 'PatchLinux' });
    expect(done.StandardOutputContent).toContain('MissingCount        : 0');
    expect(done.ExecutionEndDateTime).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const after = await ssm.send(new DescribeInstancePatchStatesCommand({ InstanceIds: [instanceId] }));
    expect(after.InstancePatchStates?.[0]).toMatchObject({ MissingCount: 0, InstalledCount: 5, Operation: 'Install' });
    const listed = await ssm.send(new ListCommandInvocationsCommand({ CommandId: command?.CommandId, Details: true }));
    const other = population.ssm.instances[3]?.instanceId;
    expect(listed.CommandInvocations?.map((i) => [i.InstanceId, i.Status, i.CommandPlugins?.[0]?.Name])).toEqual([[instanceId, 'Success', 'PatchLinux'], [other, 'Pending', 'PatchLinux']]);
  });

  it('ends Failed for a failing instance and TimedOut for one that lost its agent', async () => {
    const [ok, , lost, failing] = population.ssm.instances.map((i) => i.instanceId) as [string, string, string, string];
    fake.knobs.failInvocations([failing]);
    const sent = await ssm.send(new SendCommandCommand({ DocumentName: 'AWS-RunPatchBaseline', InstanceIds: [ok, lost, failing], Parameters: { Operation: ['Scan'] } }));
    fake.knobs.completeCommands();
    const listed = await ssm.send(new ListCommandInvocationsCommand({ CommandId: sent.Command?.CommandId, MaxResults: 2 }));
    const rest = await ssm.send(new ListCommandInvocationsCommand({ CommandId: sent.Command?.CommandId, MaxResults: 2, NextToken: listed.NextToken }));
    const rows = [...(listed.CommandInvocations ?? []), ...(rest.CommandInvocations ?? [])];
    expect(rows.map((r) => [r.InstanceId, r.Status, r.StatusDetails])).toEqual([[ok, 'Success', 'Success'], [lost, 'TimedOut', 'Delivery Timed Out'], [failing, 'Failed', 'Failed']]);
    expect(fake.commands[0]?.invocations.map((i) => i.final?.ResponseCode)).toEqual([0, -1, 1]);
  });

  it('validates SendCommand as the model does', async () => {
    const id = population.ssm.instances[0]?.instanceId as string;
    const base = { DocumentName: 'AWS-RunPatchBaseline', Parameters: { Operation: ['Scan'] } };
    const fiftyOne = Array.from({ length: 51 }, () => id);
    expect(await rejection(ssm.send(new SendCommandCommand({ ...base, InstanceIds: fiftyOne })))).toBeInstanceOf(ValidationException);
    const concurrency = await rejection(ssm.send(new SendCommandCommand({ ...base, InstanceIds: [id], MaxConcurrency: '0' })));
    expect(concurrency.message).toContain("at 'maxConcurrency' failed to satisfy constraint: Member must satisfy regular expression pattern");
    expect(await rejection(ssm.send(new SendCommandCommand({ ...base, InstanceIds: [id], MaxErrors: '101%' })))).toBeInstanceOf(ValidationException);
    expect((await rejection(ssm.send(new SendCommandCommand({ ...base, InstanceIds: ['i-0ffffffffffffffff'] })))).name).toBe('InvalidInstanceId');
    expect((await rejection(ssm.send(new SendCommandCommand({ ...base, DocumentName: 'AWS-Nope', InstanceIds: [id] })))).name).toBe('InvalidDocument');
    expect((await rejection(ssm.send(new SendCommandCommand({ DocumentName: 'AWS-RunPatchBaseline', InstanceIds: [id], Parameters: { Operation: ['Upgrade'] } })))).name).toBe('InvalidParameters');
    expect((await ssm.send(new SendCommandCommand({ ...base, InstanceIds: [id], MaxErrors: '0', MaxConcurrency: '10' }))).Command?.TargetCount).toBe(1);
  });
});

describe('SSM fake: benchmark population', () => {
  it('reports 15 missing patches on each of 2,000 instances, fetched in batches of 50', async () => {
    const population = buildPopulation({ seed: 42, repos: 0, snykProjects: 0, snykIssues: 0, cveOverlap: 0, instances: 2000, missingPerInstance: 15 });
    const fake = await startFakeSsm(population);
    const ssm = client(fake);
    try {
      const ids: string[] = [];
      for await (const page of paginateDescribeInstanceInformation({ client: ssm, pageSize: 50 }, {})) ids.push(...(page.InstanceInformationList ?? []).map((i) => i.InstanceId as string));
      let missing = 0;
      for (let k = 0; k < ids.length; k += 50) {
        const out = await ssm.send(new DescribeInstancePatchStatesCommand({ InstanceIds: ids.slice(k, k + 50), MaxResults: 50 }));
        missing += (out.InstancePatchStates ?? []).reduce((n, s) => n + (s.MissingCount ?? 0), 0);
      }
      expect(ids).toHaveLength(2000);
      expect(missing).toBe(countsOf(population).ssm.missingPatches);
      expect(missing).toBe(30_000);
      expect(fake.knobs.counters.byOperation).toEqual({ DescribeInstanceInformation: 40, DescribeInstancePatchStates: 40 });
    } finally {
      ssm.destroy();
      await fake.close();
    }
  }, 60_000);
});
