/**
 * The SSM client: @aws-sdk/client-ssm in AWS_REGION (endpoint AWS_ENDPOINT_URL_SSM when set, the SDK's usual
 * credential chain), with the SDK's own retries off and ours on: throttling, 5xx and broken connections are
 * retried with backoff within bounds; anything else (a ValidationException is a bug on our side) fails at once.
 * Every answer is parsed by zod; every failure leaves as ExternalServiceError.
 */
import {
  DescribeInstanceInformationCommand, DescribeInstancePatchesCommand, DescribeInstancePatchStatesCommand, ListCommandInvocationsCommand, ListCommandsCommand,
  ListTagsForResourceCommand, SendCommandCommand, SSMClient,
  type DescribeInstanceInformationRequest, type DescribeInstancePatchesRequest, type DescribeInstancePatchStatesRequest, type ListCommandInvocationsRequest,
  type ListCommandsRequest, type SendCommandRequest,
} from '@aws-sdk/client-ssm';
import type { z } from 'zod';
import { ExternalServiceError } from '../../app/errors.js';
import type { Logger } from '../../logger.js';
import { parseResponse } from '../shared/parse.js';
import { withRetry, type RetryPolicy, type Sleep, type Verdict } from '../shared/retry.js';
import { listCommandInvocationsSchema, listCommandsSchema, sendCommandSchema } from './run-schemas.js';
import { describeInstanceInformationSchema, describeInstancePatchesSchema, describeInstancePatchStatesSchema, listTagsSchema } from './schemas.js';

export interface SsmStats {
  requests: number;
  retries: number;
  byOperation: Record<string, number>;
}

export interface SsmClientOptions {
  readonly region: string;
  readonly endpoint: string | null;
  readonly logger: Logger;
  readonly policy: RetryPolicy;
  readonly sleep: Sleep;
  /** Tests: static credentials instead of the SDK's chain. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
}

const THROTTLING = new Set(['ThrottlingException', 'ThrottledException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'RequestThrottled', 'RequestThrottledException', 'SlowDown', 'TransactionInProgressException']);
const TRANSIENT = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'InternalServerError', 'ServiceUnavailable']);
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

interface SdkError { name?: string; message?: string; code?: string; $fault?: string; $metadata?: { httpStatusCode?: number }; $retryable?: { throttling?: boolean } }

export function classifySsmError(e: unknown): Verdict {
  if (!(e instanceof Error) || e instanceof ExternalServiceError) return { retry: false };
  const s = e as SdkError;
  const status = s.$metadata?.httpStatusCode;
  if (THROTTLING.has(s.name ?? '') || s.$retryable?.throttling) return { retry: true, reason: s.name ?? 'throttled' };
  if (TRANSIENT.has(s.name ?? '') || (status !== undefined && status >= 500) || NETWORK.has(s.code ?? '')) return { retry: true, reason: s.name ?? `HTTP ${status ?? '?'}` };
  return { retry: false };
}

export function createSsmApi(opts: SsmClientOptions) {
  const client = new SSMClient({
    region: opts.region,
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
    maxAttempts: 1,
    requestHandler: { requestTimeout: 30_000, connectionTimeout: 5_000 },
  });
  const stats: SsmStats = { requests: 0, retries: 0, byOperation: {} };

  /** One operation, retried within the policy unless `once` (a SendCommand is never repeated blindly). */
  async function call<S extends z.ZodType>(operation: string, send: () => Promise<unknown>, schema: S, once = false): Promise<z.output<S>> {
    try {
      const out = await withRetry(() => {
        stats.requests += 1;
        stats.byOperation[operation] = (stats.byOperation[operation] ?? 0) + 1;
        return send();
      }, {
        policy: once ? { ...opts.policy, maxAttempts: 1 } : opts.policy,
        sleep: opts.sleep,
        classify: classifySsmError,
        onRetry: (r) => {
          stats.retries += 1;
          opts.logger.warn({ attempt: r.attempt, waitMs: r.waitMs, reason: r.reason }, `${operation}: retrying`);
        },
      });
      return parseResponse(schema, out, 'ssm', operation);
    } catch (e) {
      if (e instanceof ExternalServiceError) throw e;
      const s = (e ?? {}) as SdkError;
      const name = s.name ?? 'Error';
      const hint = name === 'ValidationException' ? ' (a request patchwarden should not have made: please report it)' : '';
      throw new ExternalServiceError('ssm', `${operation} failed with ${name}: ${s.message ?? String(e)}${hint}`, s.$metadata?.httpStatusCode ?? null, classifySsmError(e).retry);
    }
  }

  return {
    stats,
    describeInstanceInformation: (input: DescribeInstanceInformationRequest) =>
      call('DescribeInstanceInformation', () => client.send(new DescribeInstanceInformationCommand(input)), describeInstanceInformationSchema),
    describeInstancePatchStates: (input: DescribeInstancePatchStatesRequest) =>
      call('DescribeInstancePatchStates', () => client.send(new DescribeInstancePatchStatesCommand(input)), describeInstancePatchStatesSchema),
    describeInstancePatches: (input: DescribeInstancePatchesRequest) =>
      call('DescribeInstancePatches', () => client.send(new DescribeInstancePatchesCommand(input)), describeInstancePatchesSchema),
    sendCommand: (input: SendCommandRequest) => call('SendCommand', () => client.send(new SendCommandCommand(input)), sendCommandSchema, true),
    listCommands: (input: ListCommandsRequest) => call('ListCommands', () => client.send(new ListCommandsCommand(input)), listCommandsSchema),
    listCommandInvocations: (input: ListCommandInvocationsRequest) =>
      call('ListCommandInvocations', () => client.send(new ListCommandInvocationsCommand(input)), listCommandInvocationsSchema),
    listTags: (instanceId: string) =>
      call('ListTagsForResource', () => client.send(new ListTagsForResourceCommand({ ResourceType: 'ManagedInstance', ResourceId: instanceId })), listTagsSchema),
    destroy: () => client.destroy(),
  };
}

export type SsmApi = ReturnType<typeof createSsmApi>;
