/** The parts of SSM's answers (as the AWS SDK hands them over: Dates already parsed) that we rely on. */
import { z } from 'zod';

const count = z.number().int().min(0).optional();

export const instanceInformationSchema = z.object({
  InstanceId: z.string().min(1),
  PingStatus: z.string().optional(),
  LastPingDateTime: z.date().optional(),
  AgentVersion: z.string().optional(),
  PlatformType: z.string().optional(),
  PlatformName: z.string().optional(),
  ResourceType: z.string().optional(),
  ComputerName: z.string().optional(),
});
export type InstanceInformation = z.output<typeof instanceInformationSchema>;
export const describeInstanceInformationSchema = z.object({
  InstanceInformationList: z.array(instanceInformationSchema).optional().default([]),
  NextToken: z.string().optional(),
});

export const patchStateSchema = z.object({
  InstanceId: z.string().min(1),
  SnapshotId: z.string().optional(),
  PatchGroup: z.string().optional(),
  BaselineId: z.string().optional(),
  Operation: z.string().optional(),
  OperationStartTime: z.date().optional(),
  OperationEndTime: z.date(),
  MissingCount: count,
  FailedCount: count,
  InstalledCount: count,
  InstalledPendingRebootCount: count,
  CriticalNonCompliantCount: count,
  SecurityNonCompliantCount: count,
});
export type PatchState = z.output<typeof patchStateSchema>;
export const describeInstancePatchStatesSchema = z.object({
  InstancePatchStates: z.array(patchStateSchema).optional().default([]),
  NextToken: z.string().optional(),
});

export const patchSchema = z.object({
  Title: z.string(),
  KBId: z.string().min(1),
  Classification: z.string().optional(),
  Severity: z.string().optional(),
  State: z.string(),
  CVEIds: z.string().optional(),
});
export type Patch = z.output<typeof patchSchema>;
export const describeInstancePatchesSchema = z.object({
  Patches: z.array(patchSchema).optional().default([]),
  NextToken: z.string().optional(),
});

export const listTagsSchema = z.object({ TagList: z.array(z.object({ Key: z.string(), Value: z.string() })).optional().default([]) });
