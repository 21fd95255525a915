/**
 * The SSM fake's Run Command as deployment uses it, driven by the real @aws-sdk/client-ssm: a client finds its own
 * command by Comment with ListCommands and polls it to the end; Install and Scan change what DescribeInstancePatchStates
 * and DescribeInstancePatches report; output is cut at the model's limits; failures and timeouts on demand.
 */
import {
  DescribeInstancePatchesCommand, DescribeInstancePatchStatesCommand, GetCommandInvocationCommand, ListCommandInvocationsCommand,
  ListCommandsCommand, SendCommandCommand, SSMClient, type Command,
} from '@aws-sdk/client-ssm';
import { small } from '../support/population/presets.js';
import { startFakeSsm, type FakeSsm } from '../support/ssm/fake-ssm.js';

const RUN_AT = new Date('2026-11-02T10:00:00.000Z');
const PATCH = 'AWS-RunPatchBaseline';

/** The fake works on its own copies, so one population serves every test. */
const population = small();
const ids = population.ssm.instances.map((i) => i.instanceId);
let fake: FakeSsm;
let ssm: SSMClient;
beforeEach(async () => {
  fake = await startFakeSsm(population, { progress: { pendingPolls: 1, inProgressPolls: 1 }, clock: () => RUN_AT });
  ssm = new SSMClient({ endpoint: fake.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
});
afterEach(async () => {
  ssm.destroy();
  await fake.close();
});

const send = (instanceIds: string[], operation: 'Scan' | 'Install', extra: Record<string, unknown> = {}) =>
  ssm.send(new SendCommandCommand({ DocumentName: PATCH, InstanceIds: instanceIds, Parameters: { Operation: [operation] }, ...extra }));
const commands = async (input: ConstructorParameters<typeof ListCommandsCommand>[0] = {}): Promise<Command[]> => (await ssm.send(new ListCommandsCommand(input))).Commands ?? [];
const patchState = async (id: string) => (await ssm.send(new DescribeInstancePatchStatesCommand({ InstanceIds: [id] }))).InstancePatchStates?.[0];
const patchesIn = async (id: string, state: string) => (await ssm.send(new DescribeInstancePatchesCommand({ InstanceId: id, Filters: [{ Key: 'State', Values: [state] }] }))).Patches ?? [];

describe('SSM fake: ListCommands and the effect of a run', () => {
  it('lets a client find its own command by Comment and poll it Pending -> InProgress -> Success', async () => {
    const failedOn = population.ssm.instances.find((i) => i.patches.some((p) => p.state === 'FAILED'))?.instanceId as string;
    const mine = [ids[0] as string, failedOn];
    await send([ids[2] as string], 'Scan', { Comment: 'someone else' });
    const sent = await send(mine, 'Install', { Comment: 'patchwarden PW-7 install' });
    const listed = await commands();
    expect(listed.map((c) => c.Comment)).toEqual(['patchwarden PW-7 install', 'someone else']);
    const found = listed.find((c) => c.Comment === 'patchwarden PW-7 install');
    expect(found).toMatchObject({ CommandId: sent.Command?.CommandId, DocumentName: PATCH, Parameters: { Operation: ['Install'] }, InstanceIds: mine, TargetCount: 2, RequestedDateTime: RUN_AT, Status: 'Pending' });

    const byId = { CommandId: found?.CommandId as string };
    expect((await commands(byId)).map((c) => [c.Status, c.CompletedCount])).toEqual([['InProgress', 0]]);
    expect((await commands(byId)).map((c) => [c.Status, c.CompletedCount, c.ErrorCount])).toEqual([['Success', 2, 0]]);
    expect(fake.knobs.sendCommandCounts).toEqual({ [`${PATCH}:Scan`]: 1, [`${PATCH}:Install`]: 1 });

    for (const id of mine) {
      expect(await patchState(id)).toMatchObject({ Operation: 'Install', OperationStartTime: RUN_AT, OperationEndTime: RUN_AT, MissingCount: 0, FailedCount: 0 });
      expect([await patchesIn(id, 'Missing'), await patchesIn(id, 'Failed')]).toEqual([[], []]);
    }
    const installed = await patchesIn(failedOn, 'Installed');
    expect(installed.every((p) => p.InstalledTime instanceof Date)).toBe(true);
    expect(installed.map((p) => p.InstalledTime?.toISOString())).toContain(RUN_AT.toISOString());
  });

  it('makes a Scan refresh OperationEndTime with Operation Scan, leaving the patches as they are', async () => {
    const id = ids[1] as string;
    const before = await patchState(id);
    expect(before?.OperationEndTime?.getTime()).toBeLessThan(RUN_AT.getTime());
    await send([id], 'Scan');
    fake.knobs.completeCommands();
    const after = await patchState(id);
    expect(after).toMatchObject({ Operation: 'Scan', OperationEndTime: RUN_AT, MissingCount: before?.MissingCount, InstalledCount: before?.InstalledCount });
  });

  it('installs as INSTALLED_PENDING_REBOOT with RebootOption NoReboot', async () => {
    const id = ids[0] as string;
    await send([id], 'Install', { Parameters: { Operation: ['Install'], RebootOption: ['NoReboot'] } });
    fake.knobs.completeCommands();
    expect(await patchState(id)).toMatchObject({ MissingCount: 0, InstalledPendingRebootCount: 3, RebootOption: 'NoReboot' });
  });

  it('filters ListCommands by InstanceId, DocumentName, Status, ExecutionStage and time, and refuses what the model refuses', async () => {
    fake.knobs.failInvocations([ids[1] as string]);
    const ok = await send([ids[0] as string], 'Scan');
    const bad = await send([ids[1] as string], 'Install');
    const idsOf = (cs: Command[]) => cs.map((c) => c.CommandId);
    expect(idsOf(await commands({ Filters: [{ key: 'ExecutionStage', value: 'Executing' }] }))).toEqual([bad.Command?.CommandId, ok.Command?.CommandId]);
    fake.knobs.completeCommands();
    expect(idsOf(await commands({ Filters: [{ key: 'Status', value: 'Failed' }] }))).toEqual([bad.Command?.CommandId]);
    expect(idsOf(await commands({ InstanceId: ids[0] }))).toEqual([ok.Command?.CommandId]);
    expect(idsOf(await commands({ Filters: [{ key: 'ExecutionStage', value: 'Complete' }, { key: 'DocumentName', value: PATCH }] }))).toHaveLength(2);
    expect(await commands({ Filters: [{ key: 'InvokedAfter', value: '2026-11-02T10:00:01Z' }] })).toEqual([]);
    expect(idsOf(await commands({ Filters: [{ key: 'InvokedBefore', value: '2026-11-03T00:00:00Z' }], MaxResults: 1 }))).toEqual([bad.Command?.CommandId]);

    await expect(commands({ CommandId: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({ name: 'InvalidCommandId' });
    await expect(commands({ Filters: [{ key: 'Owner' as 'Status', value: 'me' }] })).rejects.toMatchObject({ name: 'InvalidFilterKey' });
    await expect(ssm.send(new ListCommandInvocationsCommand({ Filters: [{ key: 'ExecutionStage', value: 'Complete' }] }))).rejects.toMatchObject({ name: 'InvalidFilterKey' });
    await expect(commands({ MaxResults: 51 })).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(send([ids[0] as string], 'Scan', { Comment: 'x'.repeat(101) })).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(send([ids[0] as string], 'Scan', { Targets: [{ Key: 'InstanceIds', Values: [ids[0]] }] })).rejects.toMatchObject({ name: 'ValidationException' });
    expect(fake.knobs.sendCommandCounts).toEqual({ [`${PATCH}:Scan`]: 1, [`${PATCH}:Install`]: 1 });
  });
});

describe('SSM fake: invocation results', () => {
  it('cuts StandardOutputContent at 24,000 characters and a plugin Output at 2,500', async () => {
    const id = ids[0] as string;
    fake.knobs.setCommandOutput(id, 'Installing...\n'.repeat(3000));
    const sent = await send([id], 'Install');
    fake.knobs.completeCommands();
    const got = await ssm.send(new GetCommandInvocationCommand({ CommandId: sent.Command?.CommandId, InstanceId: id }));
    expect([got.Status, got.StandardOutputContent?.length]).toEqual(['Success', 24_000]);
    const listed = await ssm.send(new ListCommandInvocationsCommand({ CommandId: sent.Command?.CommandId, Details: true }));
    expect(listed.CommandInvocations?.[0]?.CommandPlugins?.[0]?.Output?.length).toBe(2_500);
  });

  it('reports per-instance Status and StatusDetails: Success, Failed, and both kinds of TimedOut', async () => {
    const [ok, failing, slow, lost] = [ids[0], ids[1], ids[3], ids[2]] as [string, string, string, string];
    fake.knobs.failInvocations([failing]);
    fake.knobs.timeOutInvocations([slow]);
    fake.setPingStatus(lost, 'ConnectionLost');
    const sent = await send([ok, failing, slow, lost], 'Install');
    fake.knobs.completeCommands();
    const listed = await ssm.send(new ListCommandInvocationsCommand({ CommandId: sent.Command?.CommandId, Details: true }));
    expect(listed.CommandInvocations?.map((i) => [i.InstanceId, i.Status, i.StatusDetails, i.CommandPlugins?.[0]?.ResponseCode])).toEqual([
      [ok, 'Success', 'Success', 0], [failing, 'Failed', 'Failed', 1], [slow, 'TimedOut', 'Execution Timed Out', -1], [lost, 'TimedOut', 'Delivery Timed Out', -1],
    ]);
    expect(listed.CommandInvocations?.[1]?.CommandPlugins?.[0]?.Output).toContain('----------ERROR-------\nFailed to install package');
    const timedOut = await ssm.send(new ListCommandInvocationsCommand({ CommandId: sent.Command?.CommandId, Filters: [{ key: 'Status', value: 'ExecutionTimedOut' }] }));
    expect(timedOut.CommandInvocations?.map((i) => i.InstanceId)).toEqual([slow]);
    const [command] = await commands({ CommandId: sent.Command?.CommandId });
    expect(command).toMatchObject({ Status: 'Failed', CompletedCount: 4, ErrorCount: 3, DeliveryTimedOutCount: 1 });
    expect((await patchState(failing))?.MissingCount).toBeGreaterThan(0);
  });
});
