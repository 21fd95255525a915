/**
 * What the runner does for one remediation, as far as it can go now (src/jobs/deploy-runner.ts calls it under the
 * remediation's lease, at the bot's start, every minute, and right after a person starts something):
 * a staging run in flight is sent and followed; a scheduled remediation whose window has started is deployed, one
 * whose window ended is marked missed (back to approved); a running deployment is carried to its end; a deployed
 * one is verified. Everything it needs is in the store, so a restart picks up where the last process stopped.
 */
import { deployPath } from '../../domain/deploy-path.js';
import type { Remediation } from '../../domain/remediation.js';
import { missWindow } from '../../domain/deploy-transitions.js';
import { SYSTEM } from '../../domain/roles.js';
import { instant } from '../../domain/time.js';
import type { Step } from '../workflow/apply-step.js';
import type { Store } from '../ports.js';
import type { DeployDeps, Pace } from './deploy-deps.js';
import { createRunDeployment } from './run-deployment.js';
import { createSayStep } from './say-step.js';
import { BLOCKING, createDeploymentStarts, type DeploymentStarts } from './start-deployment.js';
import { createStagingRuns, STAGING_RUNS, type StagingRuns } from './staging-run.js';
import { createVerifyDeployment } from './verify-deployment.js';

const MISSED: Step<Record<string, never>> = {
  transition: missWindow,
  action: 'remediation.window_missed',
  data: (_input, after) => ({ slotMissed: true, state: after.state }),
};

/**
 * Remediations with work for the runner now (pure over what the store holds). A scheduled one only when patchwarden
 * deploys it itself: a fix made outside it (Mark deployed) or by hand (a recorded check) waits for the lead.
 */
export function hasWorkNow(r: Remediation, now: Date): boolean {
  if (r.state === 'deploying' || r.state === 'deployed') return true;
  const own = ['ssm', 'dependabot'].includes(deployPath(r).kind);
  return own && r.state === 'scheduled' && r.schedule !== null && r.schedule.startsAt <= instant(now);
}

/** The ids the runner should look at now: runs in flight, windows started or over, deployments to finish or verify. */
export async function dueWork(store: Pick<Store, 'remediations' | 'kv'>, now: Date): Promise<string[]> {
  const [active, staging] = await Promise.all([store.remediations.list({ states: ['scheduled', 'deploying', 'deployed'] }), store.kv.list(STAGING_RUNS)]);
  return [...new Set([...staging.keys(), ...active.filter((r) => hasWorkNow(r, now)).map((r) => r.id)])].sort();
}

export interface DeployWork {
  readonly staging: StagingRuns;
  readonly starts: DeploymentStarts;
  /** Carries one remediation as far as it can go now. */
  advance(id: string, pace: Pace): Promise<void>;
}

export function createDeployWork(deps: DeployDeps): DeployWork {
  const { store, now, timing } = deps;
  const say = createSayStep(deps);
  const staging = createStagingRuns(deps);
  const starts = createDeploymentStarts(deps);
  const runDeployment = createRunDeployment(deps);
  const verifyDeployment = createVerifyDeployment(deps);
  /** The last blocking sentence said per remediation: a merge that stays blocked is said once, not every few minutes. */
  const lastBlocked = new Map<string, string>();

  /** A scheduled remediation: deploy when its window is open, mark it missed once it is over. False: nothing to do now. */
  async function scheduled(r: Remediation, pace: Pace): Promise<boolean> {
    const slot = r.schedule;
    const at = instant(now());
    if (!slot || !hasWorkNow(r, now())) return false;
    if (slot.endsAt <= at) {
      await say(r.id, MISSED, {}, SYSTEM.deploy, (after) => ({ kind: 'missed', r: after, slot }));
      lastBlocked.delete(r.id);
      return false;
    }
    // A pull request that stays blocked for the same reason is said (and audited) once, not every few minutes.
    const sayBlocked = (e: unknown): boolean => {
      const said = JSON.stringify(e);
      const changed = lastBlocked.get(r.id) !== said;
      lastBlocked.set(r.id, said);
      return changed;
    };
    const started = await starts.startScheduled(r, sayBlocked);
    if (started.ok) {
      lastBlocked.delete(r.id);
      return true;
    }
    if (!BLOCKING.has(started.error.code)) throw new Error(`the scheduled deployment of ${r.id} could not start: ${started.error.code}`);
    // Checks may still turn green while the window is open: look again in a while.
    await pace.sleep(Math.min(timing.blockedRetryMs, Math.max(1, Date.parse(slot.endsAt) - now().getTime())));
    return true;
  }

  async function step(r: Remediation, pace: Pace): Promise<boolean> {
    if (await store.kv.get(STAGING_RUNS, r.id)) {
      await staging.run(r.id, pace);
      return !(await store.kv.get(STAGING_RUNS, r.id));
    }
    const before = `${r.state}@${r.version}`;
    if (r.state === 'scheduled') return scheduled(r, pace);
    if (r.state === 'deploying') await runDeployment(r, pace);
    else if (r.state === 'deployed') await verifyDeployment(r, pace);
    else return false;
    const after = await store.remediations.get(r.id);
    return after !== null && `${after.state}@${after.version}` !== before;
  }

  return {
    staging,
    starts,
    async advance(id, pace) {
      while (!pace.stopped()) {
        const r = await store.remediations.get(id);
        if (!r || !(await step(r, pace))) return;
      }
    },
  };
}
