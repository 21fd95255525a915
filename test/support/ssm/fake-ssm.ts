/**
 * An AWS Systems Manager fake for @aws-sdk/client-ssm (endpoint: fake.url): awsJson1_1, `POST /` routed on
 * `X-Amz-Target: AmazonSSM.<Operation>`, PascalCase JSON, epoch-second timestamps, errors as HTTP 400
 * `{"__type", "message"}` (ValidationException past the model's limits, InvalidNextToken,
 * InvalidInstanceId, InvocationDoesNotExist, ThrottlingException on demand). Signatures are not checked,
 * only that the request is SigV4-signed.
 */
import { json, mergeKnobs, startFakeServer, type FakeServer, type Knobs, type ParsedRequest, type Reply, type Route } from '../population/fake-http.js';
import type { Population, SsmInstance } from '../population/types.js';
import { CommandBook, type CommandRecord, type Progress } from './commands.js';
import {
  describeInstanceInformation, describeInstancePatches, describeInstancePatchStates, describeMaintenanceWindows, instanceInformationJson,
  listResourceComplianceSummaries, listTagsForResource, patchJson, patchStateJson,
} from './inventory.js';
import { AwsError, pageOf, type Input } from './protocol.js';

export interface FakeSsmOptions {
  progress?: Progress;
  clock?: () => Date;
}

export interface FakeSsmKnobs extends Knobs {
  /** Invocations on these instances end Failed (ResponseCode 1). */
  failInvocations(instanceIds: string[]): void;
  /** Invocations on these instances end TimedOut, "Execution Timed Out". */
  timeOutInvocations(instanceIds: string[]): void;
  /** Invocations on these instances run normally again (the cause of their failure fixed). */
  healInvocations(instanceIds: string[]): void;
  /** This instance's runs print `stdout` instead of the patch summary (see the 24,000 / 2,500 character cuts). */
  setCommandOutput(instanceId: string, stdout: string): void;
  /** Accepted SendCommand calls by `DocumentName:Operation`, e.g. { 'AWS-RunPatchBaseline:Install': 2 }. */
  readonly sendCommandCounts: Readonly<Record<string, number>>;
  /** Every invocation of every command runs to its end now. */
  completeCommands(): void;
}

export interface FakeSsm extends FakeServer {
  knobs: FakeSsmKnobs;
  setPingStatus(instanceId: string, status: SsmInstance['pingStatus']): void;
  /** The fake's own (mutable) copies; patches change when an Install run succeeds. */
  readonly instances: readonly SsmInstance[];
  readonly commands: readonly CommandRecord[];
}

const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** Default page sizes (the model gives ranges, not defaults; UNVERIFIED): each operation's fallback below. */
const PAGE_SIZE: Record<string, number> = { DescribeInstanceInformation: 10, DescribeInstancePatchStates: 10, DescribeInstancePatches: 10, ListResourceComplianceSummaries: 10, ListCommandInvocations: 10, ListCommands: 10, DescribeMaintenanceWindows: 10 };

export async function startFakeSsm(population: Population, opts: FakeSsmOptions = {}): Promise<FakeSsm> {
  const instances = population.ssm.instances.map((i) => ({ ...i, tags: { ...i.tags }, patches: i.patches.map((p) => ({ ...p })) }));
  const byId = new Map(instances.map((i) => [i.instanceId, i]));
  const windows = population.ssm.maintenanceWindows;
  const progress = { pendingPolls: 1, inProgressPolls: 1, invisibleGets: 0, ...opts.progress };
  const book = new CommandBook(instances, byId, progress, opts.clock ?? (() => new Date()));
  let requestSeq = 0;

  const error = (e: AwsError): Reply => json(e.status, { __type: e.type, message: e.message }, { 'x-amzn-errortype': e.type }, CONTENT_TYPE);
  const ok = (body: unknown): Reply => json(200, body, {}, CONTENT_TYPE);
  const withToken = (body: Record<string, unknown>, token: string | undefined): Record<string, unknown> => (token ? { ...body, NextToken: token } : body);

  const operations: Record<string, (input: Input) => Record<string, unknown>> = {
    DescribeInstanceInformation: (input) => {
      const page = describeInstanceInformation(input, instances);
      return withToken({ InstanceInformationList: page.items.map(instanceInformationJson) }, page.nextToken);
    },
    ListTagsForResource: (input) => listTagsForResource(input, byId, windows),
    DescribeInstancePatchStates: (input) => {
      const page = describeInstancePatchStates(input, byId);
      return withToken({ InstancePatchStates: page.items.map(patchStateJson) }, page.nextToken);
    },
    DescribeInstancePatches: (input) => {
      const page = describeInstancePatches(input, byId);
      return withToken({ Patches: page.items.map(patchJson) }, page.nextToken);
    },
    ListResourceComplianceSummaries: (input) => {
      const page = listResourceComplianceSummaries(input, instances);
      return withToken({ ResourceComplianceSummaryItems: page.items }, page.nextToken);
    },
    DescribeMaintenanceWindows: (input) => describeMaintenanceWindows(input, windows),
    SendCommand: (input) => book.send(input),
    GetCommandInvocation: (input) => book.get(input),
    ListCommands: (input) => {
      const page = book.listCommands(input);
      return withToken({ Commands: page.items.map(({ c, runs }) => book.commandJson(c, runs)) }, page.nextToken);
    },
    ListCommandInvocations: (input) => {
      const page = book.list(input);
      return withToken({ CommandInvocations: page.items.map(({ c, inv }) => book.invocationJson(c, inv, page.details)) }, page.nextToken);
    },
  };

  function route(req: ParsedRequest): Route | Reply {
    const target = req.headers['x-amz-target'];
    const op = typeof target === 'string' && target.startsWith('AmazonSSM.') ? target.slice('AmazonSSM.'.length) : '';
    if (req.method !== 'POST' || req.path !== '/') return error(new AwsError('UnknownOperationException', `Only POST / is served; got ${req.method} ${req.path}.`, 404));
    if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) return error(new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token'));
    if (req.headers['content-type'] !== CONTENT_TYPE) return error(new AwsError('SerializationException', `Content-Type must be ${CONTENT_TYPE}.`));
    const handler = operations[op];
    if (!handler) return error(new AwsError('UnknownOperationException', `Unknown operation ${String(target)}.`));
    let input: Input;
    try {
      input = req.body.length > 0 ? (JSON.parse(req.body.toString('utf8')) as Input) : {};
    } catch {
      return error(new AwsError('SerializationException', 'The request body is not valid JSON.'));
    }
    return {
      operation: op,
      page: op in PAGE_SIZE ? pageOf(input, typeof input.MaxResults === 'number' ? input.MaxResults : (PAGE_SIZE[op] as number)) : undefined,
      handle: () => {
        try {
          return ok(handler(input));
        } catch (e) {
          if (e instanceof AwsError) return error(e);
          throw e;
        }
      },
    } as Route;
  }

  const server = await startFakeServer({
    route,
    recordBody: true,
    failure: (f) => (f.throttle
      ? error(new AwsError('ThrottlingException', 'Rate exceeded'))
      : error(new AwsError(f.status === 500 ? 'InternalServerError' : 'ServiceUnavailable', 'The service is unavailable; try again.', f.status))),
    decorate: (reply) => ({ ...reply, headers: { ...reply.headers, 'x-amzn-requestid': `4f3c2b1a-0000-4000-8000-${String((requestSeq += 1)).padStart(12, '0')}` } }),
  });
  return {
    ...server,
    knobs: mergeKnobs<FakeSsmKnobs>(server.knobs, {
      failInvocations: (ids: string[]) => ids.forEach((id) => book.failing.add(id)),
      timeOutInvocations: (ids: string[]) => ids.forEach((id) => book.timingOut.add(id)),
      healInvocations: (ids: string[]) => ids.forEach((id) => {
        book.failing.delete(id);
        book.timingOut.delete(id);
      }),
      setCommandOutput: (id: string, stdout: string) => void book.outputs.set(id, stdout),
      get sendCommandCounts() {
        return { ...book.sent };
      },
      completeCommands: () => book.completeAll(),
    }),
    setPingStatus: (id, status) => {
      const i = byId.get(id);
      if (!i) throw new Error(`no instance ${id}`);
      i.pingStatus = status;
    },
    instances,
    commands: book.commands,
  };
}
