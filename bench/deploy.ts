/**
 * 500 instances deployed in one window: what following the run costs. The SSM fake serves 800 instances from a child
 * process (its CPU is not ours); this process runs the real deploy work (src/app/deploy with the SSM adapter, the
 * runner under its lease, SQLite) on an OS-patch remediation of 500 production instances whose window is open:
 * targets resolved, 10 commands of 50 sent once, followed until every invocation finished (each runs for 14 polls),
 * outputs read, then the patch state verified. It prints the requests by operation, the deploying process's CPU time,
 * the wall time, the remediation's writes and the message updates it asked for. Run: npx tsx bench/deploy.ts
 */
import { fork } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dueWork } from '../src/app/deploy/advance.js';
import { timingFor } from '../src/app/deploy/deploy-deps.js';
import { createDeployServices } from '../src/app/deploy/deploy-services.js';
import { createApplyStep } from '../src/app/workflow/apply-step.js';
import { createAuthorize } from '../src/app/workflow/authorize.js';
import { parseBaseConfig } from '../src/config.js';
import { newRemediation } from '../src/domain/new-remediation.js';
import { createDeployRunner } from '../src/jobs/deploy-runner.js';
import { createLogger } from '../src/logger.js';
import { createSources } from '../src/sources/create-sources.js';
import { openSqliteStore } from '../src/store/sqlite/open-sqlite-store.js';
import { buildPopulation } from '../test/support/population/build-population.js';
import { startFakeSsm } from '../test/support/ssm/fake-ssm.js';

const TARGETS = 500;
/**
 * Following a run costs about one ListCommands per round plus the invocations of the commands that moved; without
 * that (every command's invocations every round) this run takes ~190 requests and twice the CPU.
 */
export const DEPLOY_GOALS = { requests: 100, cpuMs: 2_000 } as const;
/** Each invocation is Pending for 4 polls, then InProgress for 10: a run long enough to be followed. */
const PROGRESS = { pendingPolls: 4, inProgressPolls: 10 };

export interface DeployBench {
  readonly instances: number;
  readonly commands: number;
  readonly seconds: number;
  readonly cpuMs: number;
  readonly byOperation: Record<string, number>;
  readonly requests: number;
  readonly writes: number;
  readonly announcements: number;
  readonly state: string;
}

interface Ready { readonly type: 'ready'; readonly url: string; readonly ids: string[]; readonly patchIds: string[] }

/** The child: the SSM fake with 800 instances, all online; the first 500 production ones are the targets. */
async function serve(): Promise<void> {
  const population = buildPopulation({ seed: 11, repos: 0, snykProjects: 0, snykIssues: 0, cveOverlap: 0, instances: 800, missingPerInstance: 5, installedPerInstance: 3 });
  const ssm = await startFakeSsm(population, { progress: PROGRESS });
  for (const i of ssm.instances) ssm.setPingStatus(i.instanceId, 'Online');
  const targets = ssm.instances.filter((i) => i.tags.Environment === 'production').slice(0, TARGETS);
  const patchIds = [...new Set(targets.flatMap((i) => i.patches.filter((p) => p.state !== 'INSTALLED').map((p) => p.patch.kbId)))];
  process.on('message', (m: { type: string }) => {
    if (m.type === 'counts') process.send?.({ type: 'counts', byOperation: { ...ssm.knobs.counters.byOperation }, requests: ssm.knobs.counters.requests });
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ type: 'ready', url: ssm.url, ids: targets.map((i) => i.instanceId), patchIds } satisfies Ready);
}

export async function main(log: (line: string) => void = console.log): Promise<DeployBench> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = <T>(type: string) => new Promise<T>((resolve) => child.on('message', (m: { type: string }) => m.type === type && resolve(m as T)));
  const dir = mkdtempSync(join(tmpdir(), 'patchwarden-bench-deploy-'));
  try {
    const ready = await next<Ready>('ready');
    const parsed = parseBaseConfig({ AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_SSM: ready.url, KEV_URL: '', EPSS_URL: '' }, () => null);
    if (!parsed.ok) throw new Error(parsed.error.join('; '));
    const { policy } = parsed.value;
    const store = await openSqliteStore({ path: join(dir, 'bench.db') });
    const logger = createLogger('silent');
    const now = () => new Date();
    const at = now();
    await store.commit({
      assets: ready.ids.map((id) => ({ id: `ssm:${id}`, kind: 'instance', name: id, source: 'ssm', environment: 'production', owner: null, inScope: true, lastSeenAt: at.toISOString(), lastScannedAt: null, attributes: {} })),
      events: [],
    });
    const remedy = { kind: 'os_patches' as const, environment: 'production', patchIds: ready.patchIds };
    const r = newRemediation({ id: 'PW-1', key: 'env:production|os-patches', title: `Install patches on ${TARGETS} instances`, remedy, assetIds: ready.ids.map((id) => `ssm:${id}`), findingIds: [], cves: [], severity: 'high', detectedAt: at.toISOString(), kevDueAt: null, owner: null }, policy.sla, at);
    const schedule = { windowId: 'bench', windowName: 'Bench window', startsAt: new Date(at.getTime() - 60_000).toISOString(), endsAt: new Date(at.getTime() + 3_600_000).toISOString(), by: 'U0LEAD', at: at.toISOString() };
    await store.remediations.create({ ...r, state: 'scheduled', schedule }, []);

    const { deploy: connectors } = createSources(parsed.value, { kv: store.kv, logger, now, clientOverrides: { awsCredentials: { accessKeyId: 'test', secretAccessKey: 'test' } } });
    let announcements = 0;
    const timing = { ...timingFor(policy.deploy), pollFirstMs: 50, pollMaxMs: 400 };
    const applyStep = createApplyStep({ store, sla: policy.sla, now });
    // What the steps owe in Slack is counted here (the message updates and thread lines a real bot would post).
    const announcer = { effects: () => [{ kind: 'remediation.message' as const, subject: 'PW-1' }], flush: async () => void (announcements += 1) };
    const services = createDeployServices({ store, policy, connectors, applyStep, authorize: createAuthorize({ store, now }), announcer, now, timing, logger }, () => undefined);
    const runner = createDeployRunner({ store, work: services.work.advance, due: () => dueWork(store, now()), now, logger });

    const versionBefore = (await store.remediations.get('PW-1'))!.version;
    const started = performance.now();
    const cpu = process.cpuUsage();
    await runner.sweep();
    await runner.idle();
    const used = process.cpuUsage(cpu);
    const seconds = (performance.now() - started) / 1000;
    const after = (await store.remediations.get('PW-1'))!;
    child.send({ type: 'counts' });
    const counts = await next<{ byOperation: Record<string, number>; requests: number }>('counts');
    await runner.stop();
    await store.close();
    const result: DeployBench = {
      instances: ready.ids.length,
      commands: counts.byOperation.SendCommand ?? 0,
      seconds,
      cpuMs: (used.user + used.system) / 1000,
      byOperation: counts.byOperation,
      requests: counts.requests,
      writes: after.version - versionBefore,
      announcements,
      state: after.state,
    };
    const ops = Object.entries(result.byOperation).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k} ${v}`).join(', ');
    log(`${result.instances} instances, ${result.commands} commands: ${result.state} in ${seconds.toFixed(1)} s, CPU ${result.cpuMs.toFixed(0)} ms in the deploying process`);
    log(`  SSM requests ${result.requests}: ${ops}`);
    log(`  ${result.writes} writes of the remediation (progress as instances finish), ${result.announcements} message updates asked for`);
    return result;
  } finally {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

const script = process.argv[1];
if (script && import.meta.url === pathToFileURL(realpathSync(script)).href) {
  if (process.argv.includes('--serve')) await serve();
  else await main();
}
