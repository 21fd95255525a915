/**
 * The bot as `npm start` runs it: `node main.js` compiled from the current source (compiled.ts), in a process of its
 * own (in its own process group so the bench's cleanup can take it and its worker threads down together), its Web
 * API client pointed at the Slack fake, which lives in the bench's process as Slack lives outside the bot's.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Cleanup } from './cleanup.js';
import { compiled } from './compiled.js';

export interface BotProcess {
  readonly pid: number;
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** From the spawn to /healthz answering 200 (warm), in ms. */
  readonly readyMs: number;
  /** CPU time the bot's process has used so far, in ms (null where /proc is not available). */
  cpuMs(): number | null;
  /** What it logged (pino JSON lines). */
  log(): string;
  stop(): Promise<void>;
}

function processCpuMs(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

export async function startBot(env: Record<string, string>, cwd: string, cleanup: Cleanup, timeoutMs = 120_000): Promise<BotProcess> {
  const started = performance.now();
  // BENCH_BOT_PROFILE=<folder>: the bot writes a V8 CPU profile there when it stops (to see where its time goes).
  const profile = process.env.BENCH_BOT_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_BOT_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, join(compiled(), 'main.js')], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  cleanup.child(child, true);
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const deadline = Date.now() + timeoutMs;
  let port: number | null = null;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the bot exited (${child.exitCode}) while starting:\n${out.slice(-4000)}`);
    if (Date.now() > deadline) throw new Error(`the bot was not ready within ${timeoutMs / 1000} s:\n${out.slice(-4000)}`);
    port ??= Number(/"port":(\d+)/.exec(out)?.[1] ?? 0) || null;
    if (port !== null) {
      const health = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 0);
      if (health === 200) break;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  const readyMs = performance.now() - started;
  return {
    pid: child.pid!,
    origin: `http://127.0.0.1:${port}`,
    readyMs,
    cpuMs: () => processCpuMs(child.pid!),
    log: () => out,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      // BENCH_BOT_LOG=<file>: what the bot logged, kept for a look.
      if (process.env.BENCH_BOT_LOG) writeFileSync(process.env.BENCH_BOT_LOG, out);
    },
  };
}
