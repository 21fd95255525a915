/**
 * The policy file (patchwarden.config.yaml): SLA, roles, environments, maintenance windows, schedules.
 * Every key is optional; what is left out takes the default shown in patchwarden.config.example.yaml.
 */
import { validate as isCron } from 'node-cron';
import { z } from 'zod';
import { DEFAULT_FIRST_READ } from './domain/advisory.js';
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

/** AWS's own RSS feed of its Security Bulletins (https://aws.amazon.com/security/security-bulletins/). */
export const AWS_SECURITY_BULLETINS = { name: 'AWS Security Bulletins', url: 'https://aws.amazon.com/security/security-bulletins/rss/feed/' } as const;

const advisoryFeed = z.strictObject({
  name: z.string().trim().min(1).max(60),
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL of an RSS 2.0 or Atom feed' }),
});

const maintenanceWindow = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes'),
  name: z.string().min(1).max(75),
  cron,
  durationMinutes: z.number().int().min(15).max(24 * 60),
  timezone: timezone.optional(),
  environments: z.array(z.string()).default([]),
});

/**
 * One `owners:` rule: exactly one of what it matches (a repository glob, a Snyk project name glob, an environment, an
 * SSM patch group, a tag value where SSM can read tags) or `default`, and the owner it gives. Written as
 * `{ repository: 'acme/pay*', owner: U0123 }`, or `{ default: U0123 }` for the default.
 */
const ownerRule = z.union([
  z.strictObject({ repository: z.string().min(1), owner: slackPrincipal }),
  z.strictObject({ snykProject: z.string().min(1), owner: slackPrincipal }),
  z.strictObject({ environment: z.string().min(1), owner: slackPrincipal }),
  z.strictObject({ patchGroup: z.string().min(1), owner: slackPrincipal }),
  z.strictObject({ tag: z.strictObject({ key: z.string().min(1), value: z.string().min(1) }), owner: slackPrincipal }),
  z.strictObject({ default: slackPrincipal }).transform((r) => ({ default: true as const, owner: r.default })),
], { error: 'each owners entry is one of repository, snykProject, environment, patchGroup or tag (with owner), or default: <Slack id>' });

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
    owners: z.array(ownerRule).default([]),
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
    advisories: z
      .strictObject({
        feeds: z.array(advisoryFeed).max(20).default([{ ...AWS_SECURITY_BULLETINS }]),
        reviewWithinDays: z.number().int().min(1).max(365).default(7),
        firstRead: z
          .strictObject({
            reviewDays: z.number().int().min(0).max(3650).default(DEFAULT_FIRST_READ.reviewDays),
            reviewAtMost: z.number().int().min(0).max(1000).default(DEFAULT_FIRST_READ.reviewAtMost),
          })
          .prefault({}),
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
    if (p.owners.filter((o) => 'default' in o).length > 1) ctx.addIssue({ code: 'custom', path: ['owners'], message: 'has more than one default' });
    p.owners.forEach((o, i) => {
      if ('environment' in o && !(o.environment in p.environments)) ctx.addIssue({ code: 'custom', path: ['owners', i, 'environment'], message: `names "${o.environment}", which is not under environments` });
    });
    const names = p.advisories.feeds.map((f) => f.name.toLowerCase());
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) ctx.addIssue({ code: 'custom', path: ['advisories', 'feeds', i, 'name'], message: `"${p.advisories.feeds[i]?.name}" is used twice` });
    });
    const ids = p.maintenanceWindows.map((w) => w.id);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) ctx.addIssue({ code: 'custom', path: ['maintenanceWindows', i, 'id'], message: `"${id}" is used twice` });
    });
  });

export type Policy = z.output<typeof policySchema>;
export type MaintenanceWindowPolicy = Policy['maintenanceWindows'][number];
export type DeployPolicy = Policy['deploy'];
export type AdvisoryFeedPolicy = Policy['advisories']['feeds'][number];
