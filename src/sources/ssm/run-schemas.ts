/** The parts of SSM's Run Command answers (as the AWS SDK hands them over: Dates already parsed) that runs rely on. */
import { z } from 'zod';

const count = z.number().int().min(0).optional();

const command = z.object({
  CommandId: z.string().min(1),
  Comment: z.string().optional().default(''),
  DocumentName: z.string().optional(),
  Status: z.string().optional(),
  TargetCount: count,
  CompletedCount: count,
  ErrorCount: count,
});

export const sendCommandSchema = z.object({ Command: command });

export const listCommandsSchema = z.object({
  Commands: z.array(command).optional().default([]),
  NextToken: z.string().optional(),
});

const plugin = z.object({
  Name: z.string().optional(),
  Status: z.string().optional(),
  StatusDetails: z.string().optional(),
  ResponseCode: z.number().int().optional(),
  ResponseStartDateTime: z.date().optional(),
  ResponseFinishDateTime: z.date().optional(),
  Output: z.string().optional(),
});
export type PluginJson = z.output<typeof plugin>;

const invocation = z.object({
  CommandId: z.string(),
  InstanceId: z.string().min(1),
  InstanceName: z.string().optional(),
  Status: z.string(),
  StatusDetails: z.string().optional().default(''),
  CommandPlugins: z.array(plugin).optional().default([]),
});
export type InvocationJson = z.output<typeof invocation>;

export const listCommandInvocationsSchema = z.object({
  CommandInvocations: z.array(invocation).optional().default([]),
  NextToken: z.string().optional(),
});
