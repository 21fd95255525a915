/**
 * `npm run bench`: runs every benchmark and prints one table. Each bench file also runs alone
 * (`npx tsx bench/<name>.ts`). Timings are wall-clock on this machine; where the machine is shared, the CPU time
 * beside them is the steadier figure.
 */
import { availableParallelism, loadavg } from 'node:os';
import { GOAL_EVENTS_PER_SECOND, main as auditVerify } from './audit-verify.js';
import { DEPLOY_GOALS, main as deploy } from './deploy.js';
import { CLI_GOAL_MS, main as cliStartup } from './cli-startup.js';
import { EVIDENCE_GOALS, main as evidencePack } from './evidence-pack.js';
import { GOALS, main as slack } from './slack.js';
import { main as sync, SYNC_GOALS } from './sync.js';

interface Row {
  readonly bench: string;
  readonly result: string;
  readonly goal: string;
  readonly verdict: 'met' | 'MISSED' | '';
}

const ms = (n: number): string => `${n.toFixed(1)} ms`;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

function table(rows: readonly Row[]): string {
  const head: Row = { bench: 'benchmark', result: 'result', goal: 'goal', verdict: '' };
  const all = [head, ...rows];
  const width = (k: keyof Row) => Math.max(...all.map((r) => r[k].length));
  const line = (r: Row) => `| ${r.bench.padEnd(width('bench'))} | ${r.result.padEnd(width('result'))} | ${r.goal.padEnd(width('goal'))} | ${r.verdict.padEnd(width('verdict'))} |`;
  const rule = `|${'-'.repeat(width('bench') + 2)}|${'-'.repeat(width('result') + 2)}|${'-'.repeat(width('goal') + 2)}|${'-'.repeat(width('verdict') + 2)}|`;
  return [line(head), rule, ...rows.map(line)].join('\n');
}

const verdict = (ok: boolean): Row['verdict'] => (ok ? 'met' : 'MISSED');

async function run(): Promise<void> {
  const log = (line: string) => console.log(`  ${line}`);
  console.log('audit verify');
  const audit = await auditVerify(undefined, log);
  console.log('slack');
  const s = await slack(['ack', 'status', 'digest'], log);
  console.log('sync');
  const y = await sync(log);
  console.log('deploy');
  const d = await deploy(log);
  console.log('cli start-up');
  const cli = await cliStartup(undefined, log);
  console.log('evidence pack');
  const e = await evidencePack(log);

  const rows: Row[] = [
    {
      bench: `audit verify, ${fmt(audit.events)} events`,
      result: `${fmt(audit.eventsPerSecond)} events/s (${fmt(audit.events / audit.verifyCpuSeconds)}/s of CPU time)`,
      goal: `> ${fmt(GOAL_EVENTS_PER_SECOND)}/s`,
      verdict: verdict(audit.eventsPerSecond > GOAL_EVENTS_PER_SECOND),
    },
    ...(s.ack ?? []).map((t): Row => ({
      bench: `ack, ${t.concurrency ?? 50} at a time: ${t.name.replace(', one at a time', '')}`,
      result: `p50 ${ms(t.p50)}, p99 ${ms(t.p99)}${t.botCpuMsPerRequest === null ? '' : ` (bot CPU ${ms(t.botCpuMsPerRequest)}/req)`}`,
      // The goal is for 50 at a time; one at a time is the baseline it queues on.
      goal: t.concurrency === 1 ? '(baseline)' : `p99 < ${GOALS.ackP99Ms} ms`,
      verdict: t.concurrency === 1 ? '' : verdict(t.p99 < GOALS.ackP99Ms),
    })),
    ...(s.status
      ? [{ bench: `/patch status, ${fmt(s.status.remediations)} remediations / ${fmt(s.status.findings)} findings`, result: `p50 ${ms(s.status.p50)}, p99 ${ms(s.status.p99)} (CPU ${ms(s.status.cpuMsPerRun)}/run)`, goal: `< ${GOALS.statusMs} ms`, verdict: verdict(s.status.p99 < GOALS.statusMs) }]
      : []),
    ...(s.digest
      ? [{ bench: `digest construction, ${fmt(s.digest.remediations)} remediations`, result: `p50 ${ms(s.digest.p50)}, p99 ${ms(s.digest.p99)} (CPU ${ms(s.digest.cpuMsPerRun)}/run; ${s.digest.pages} pages, CSV ${fmt(s.digest.csvBytes / 1024)} KiB)`, goal: '—', verdict: '' as const }]
      : []),
    { bench: 'sync of benchmark(): first', result: `${y.firstSeconds.toFixed(1)} s (CPU ${y.cpu.sync.toFixed(1)} s)`, goal: `< ${SYNC_GOALS.firstSyncSeconds} s`, verdict: verdict(y.firstSeconds < SYNC_GOALS.firstSyncSeconds) },
    { bench: 'sync: requests made / minimum', result: Object.entries(y.requests).map(([k, v]) => `${k} ${fmt(v.made)}/${fmt(v.minimum)}`).join(', '), goal: '—', verdict: '' },
    { bench: 'sync: wall time / bare client', result: `${y.ratio.toFixed(2)} (bare fetch ${y.bareSeconds.toFixed(1)} s)`, goal: `< ${SYNC_GOALS.bareRatio}`, verdict: verdict(y.ratio < SYNC_GOALS.bareRatio) },
    { bench: 'sync: peak RSS', result: `${fmt(y.peakRssMb)} MB`, goal: `< ${SYNC_GOALS.peakRssMb} MB`, verdict: verdict(y.peakRssMb < SYNC_GOALS.peakRssMb) },
    {
      bench: `deploy: ${fmt(d.instances)} instances in one window (${d.commands} commands), tracking cost`,
      result: `${fmt(d.requests)} SSM requests (${fmt(d.byOperation.ListCommands ?? 0)} ListCommands, ${fmt(d.byOperation.ListCommandInvocations ?? 0)} ListCommandInvocations), CPU ${fmt(d.cpuMs)} ms, ${d.seconds.toFixed(1)} s to ${d.state}`,
      goal: `< ${DEPLOY_GOALS.requests} requests, < ${fmt(DEPLOY_GOALS.cpuMs)} ms CPU`,
      verdict: verdict(d.state === 'verified' && d.requests < DEPLOY_GOALS.requests && d.cpuMs < DEPLOY_GOALS.cpuMs),
    },
    ...[cli.help, cli.auditVerify].map((t): Row => ({
      bench: `CLI start-up: ${t.name}`,
      result: `median ${ms(t.medianMs)} (bare node ${ms(cli.bareNode.medianMs)})`,
      goal: `< ${CLI_GOAL_MS} ms`,
      verdict: verdict(t.medianMs < CLI_GOAL_MS),
    })),
    { bench: 'sync: unchanged re-sync', result: `${y.resyncSeconds.toFixed(2)} s (${(y.firstSeconds / y.resyncSeconds).toFixed(0)}x faster)`, goal: `>= ${SYNC_GOALS.resyncSpeedup}x faster`, verdict: verdict(y.firstSeconds / y.resyncSeconds >= SYNC_GOALS.resyncSpeedup) },
    {
      bench: `evidence pack of a year: ${fmt(e.remediations)} remediations, ${fmt(e.auditEvents)} events, ${fmt(e.evidenceFiles)} files${e.pdf ? ', PDF' : ''}`,
      result: `${e.seconds.toFixed(1)} s (CPU ${e.cpuSeconds.toFixed(1)} s + Chromium ${e.chromiumCpuSeconds.toFixed(1)} s), peak RSS ${fmt(e.peakRssMb)} MB`,
      goal: `< ${EVIDENCE_GOALS.seconds} s, < ${EVIDENCE_GOALS.peakRssMb} MB`,
      verdict: verdict(e.seconds < EVIDENCE_GOALS.seconds && e.peakRssMb < EVIDENCE_GOALS.peakRssMb),
    },
  ];
  console.log(`\n${table(rows)}\n\nload average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} CPUs`);
}

await run();
