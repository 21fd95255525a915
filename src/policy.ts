/**
 * The policy file (patchwarden.config.yaml): SLA, roles, environments, maintenance windows, schedules.
 * Every key is optional; what is left out takes the default shown in patchwarden.config.example.yaml.
 */
import { validate as isCron } from 'node-cron';
import { z } from 'zod';
import { ROLES } from './domain/roles.js';
import { DEFAULT_SLA } from './domain/sla.js';

const isTimezone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const timezone = z.string().refine(isTimezone, 'must be an IANA time zone such as Europe/Berlin or UTC');
const cron = z.string().refine(isCron, 'must be a cron expression such as "0 9 1 * *"');
const days = z.number().int().positive().max(3650);
/** Slack user ids (U…, W…) or user group ids (S…). */
const slackPrincipal = z.string().regex(/^[UWS][A-Z0-9]{2,}$/, 'must be a Slack user id (U…) or user group id (S…)');

const ssmTarget = z.strictObject({
  key: z.string().regex(/^(tag:.+|tag-key|InstanceIds|resource-groups:Name)$/, 'must be tag:<Name>, tag-key, InstanceIds or resource-groups:Name'),
  values: z.array(z.string().min(1)).min(1).max(50),
});

const environment = z.strictObject({
  /** Non-production environments are where tests run ("Run in staging"). */
  production: z.boolean().default(false),
  ssmTargets: z.array(ssmTarget).max(5).default([]),
});

const maintenanceWindow = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes'),
  name: z.string().min(1).max(75),
  cron,
  durationMinutes: z.number().int().min(15).max(24 * 60),
  timezone: timezone.optional(),
  environments: z.array(z.string()).default([]),
});

export const policySchema = z
  .strictObject({
    timezone: timezone.default('UTC'),
    sla: z
      .strictObject({
        days: z
          .strictObject({ critical: days.default(DEFAULT_SLA.days.critical), high: days.default(DEFAULT_SLA.days.high), medium: days.default(DEFAULT_SLA.days.medium), low: days.default(DEFAULT_SLA.days.low) })
          .prefault({}),
        reminderLeadDays: z.number().int().min(0).max(365).default(DEFAULT_SLA.reminderLeadDays),
        riskAcceptanceMaxDays: days.default(DEFAULT_SLA.riskAcceptanceMaxDays),
      })
      .prefault({}),
    roles: z.strictObject(Object.fromEntries(ROLES.map((r) => [r, z.array(slackPrincipal).default([])])) as Record<(typeof ROLES)[number], z.ZodDefault<z.ZodArray<typeof slackPrincipal>>>).prefault({}),
    environments: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'environment names are lower-case'), environment).default({
      staging: { production: false, ssmTargets: [{ key: 'tag:Environment', values: ['staging'] }] },
      production: { production: true, ssmTargets: [{ key: 'tag:Environment', values: ['production'] }] },
    }),
    maintenanceWindows: z.array(maintenanceWindow).default([]),
    schedules: z
      .strictObject({
        digest: cron.default('0 9 1 * *'),
        sync: cron.default('0 */6 * * *'),
        reminders: cron.default('0 8 * * *'),
      })
      .prefault({}),
    deploy: z
      .strictObject({
        document: z.string().regex(/^[a-zA-Z0-9_\-.:/]{3,128}$/, 'must be an SSM document name such as AWS-RunPatchBaseline').default('AWS-RunPatchBaseline'),
        rebootOption: z.enum(['RebootIfNeeded', 'NoReboot']).default('RebootIfNeeded'),
        maxConcurrency: z.string().regex(/^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$/, 'must be a number of instances (10) or a percentage (10%)').default('10%'),
        maxErrors: z.string().regex(/^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$/, 'must be a number of instances (0, 1) or a percentage (10%)').default('0'),
        emergencyApprovalDays: z.number().int().min(1).max(30).default(3),
        pollSeconds: z.number().int().min(1).max(300).default(15),
      })
      .prefault({}),
    inventory: z
      .strictObject({
        staleScanDays: days.default(30),
        environmentTag: z.string().default('Environment'),
        ownerTag: z.string().default('Owner'),
      })
      .prefault({}),
  })
  .superRefine((p, ctx) => {
    p.maintenanceWindows.forEach((w, i) => {
      for (const env of w.environments) {
        if (!(env in p.environments)) ctx.addIssue({ code: 'custom', path: ['maintenanceWindows', i, 'environments'], message: `names "${env}", which is not under environments` });
      }
    });
    const ids = p.maintenanceWindows.map((w) => w.id);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) ctx.addIssue({ code: 'custom', path: ['maintenanceWindows', i, 'id'], message: `"${id}" is used twice` });
    });
  });

export type Policy = z.output<typeof policySchema>;
export type MaintenanceWindowPolicy = Policy['maintenanceWindows'][number];
export type DeployPolicy = Policy['deploy'];
