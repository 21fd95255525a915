/**
 * The blast radius of a run, shown before it (the approval, Deploy now and Run in staging modals; the thread note
 * when it starts): the environment, how many instances and which, the document, reboot option, MaxConcurrency and
 * MaxErrors. For a Dependabot fix: which pull request gets merged, and when it would not be.
 */
import type { KnownBlock } from '@slack/types';
import type { DeployPlan } from '../../app/deploy/start-deployment.js';
import type { Targets } from '../../app/deploy/targets.js';
import type { SsmRun } from '../../domain/run-records.js';
import { escapeText, plural, truncate } from './format.js';
import { md } from './modal-parts.js';
import { runSettings } from './deployment-record.js';

const NAMES_SHOWN = 20;

/** `web-1 (i-0abc), web-2 (i-0def) and 10 more`. */
export function instanceNames(instances: Targets['instances'], max = NAMES_SHOWN): string {
  const shown = instances.slice(0, max).map((i) => (i.name ? `${escapeText(truncate(i.name, 60))} (\`${i.instanceId}\`)` : `\`${i.instanceId}\``));
  return `${shown.join(', ')}${instances.length > max ? ` and ${instances.length - max} more` : ''}`;
}

export type RunSettings = Pick<SsmRun, 'document' | 'rebootOption' | 'maxConcurrency' | 'maxErrors'>;

/** A run's own targets, as a blast radius. */
export const targetsOf = (run: SsmRun): Targets => ({ environment: run.environment, instances: run.instances.map((i) => ({ instanceId: i.instanceId, name: i.name, platform: null })) });

/** The run's settings and targets in one text: what a person confirms. */
export function blastRadiusText(targets: Targets, deploy: RunSettings, operation: 'Install' | 'Scan' = 'Install'): string {
  const settings = runSettings({ document: deploy.document, operation, rebootOption: deploy.rebootOption, maxConcurrency: deploy.maxConcurrency, maxErrors: deploy.maxErrors });
  return `*Blast radius:* ${plural(targets.instances.length, 'instance')} in *${escapeText(targets.environment)}*: ${instanceNames(targets.instances)}\n${settings}`;
}

export function blastRadiusBlocks(plan: DeployPlan, deploy: RunSettings): KnownBlock[] {
  if (plan.kind === 'ssm') return [{ type: 'section', block_id: 'blast_radius', text: md(blastRadiusText(plan.targets, deploy)) }];
  const version = plan.version ? ` to ${escapeText(plan.version)} or later` : '';
  return [{
    type: 'section',
    block_id: 'blast_radius',
    text: md(`*What deploying does:* merge Dependabot’s pull request in *${escapeText(plan.repository)}* that upgrades ${escapeText(plan.package)}${version}, with its head commit, only when every check is green (a red or pending check, or GitHub refusing the merge, stops it and nothing changes).`),
  }];
}

/** When there is nothing to show (no targets, not configured): the sentence instead. */
export const blastRadiusProblem = (sentence: string): KnownBlock => ({ type: 'context', block_id: 'blast_radius', elements: [md(`:warning: Deploying it: ${sentence}`)] });
