/**
 * What a bench starts is stopped and removed however the bench ends: child processes (the bot, the fakes, FerretDB)
 * and temporary folders. Async steps run in reverse order at the end of `withCleanup` or on Ctrl-C / SIGTERM; if the
 * process exits another way (an uncaught error), the exit hook still kills what is running and removes the folders.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Cleanup {
  /** A fresh temporary folder, removed at the end. */
  dir(prefix: string): string;
  /** A child process, killed at the end if still running (its whole process group when it leads one). */
  child(child: ChildProcess, group?: boolean): void;
  /** A step run at the end (in reverse order of registration); errors are reported, not thrown. */
  add(step: () => Promise<unknown> | void): void;
}

const killNow = (child: ChildProcess, group: boolean): void => {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    if (group) process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    // already gone
  }
};

/** Runs `body` with a Cleanup and cleans up after it, whether it returns, throws or is interrupted. */
export async function withCleanup<T>(body: (cleanup: Cleanup) => Promise<T>): Promise<T> {
  const dirs: string[] = [];
  const children: { child: ChildProcess; group: boolean }[] = [];
  const steps: (() => Promise<unknown> | void)[] = [];
  const onExit = (): void => {
    for (const c of children) killNow(c.child, c.group);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  };
  let interrupted: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) return;
    interrupted = signal;
    process.stderr.write(`\nbench: ${signal}, cleaning up…\n`);
    void runSteps().finally(() => {
      onExit();
      process.exit(130);
    });
  };
  const runSteps = async (): Promise<void> => {
    for (const step of steps.splice(0).reverse()) {
      try {
        await step();
      } catch (e) {
        process.stderr.write(`bench: cleanup step failed: ${e instanceof Error ? e.message : String(e)}\n`);
      }
    }
  };
  process.on('exit', onExit);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const cleanup: Cleanup = {
    dir(prefix) {
      const d = mkdtempSync(join(tmpdir(), `${prefix}-`));
      dirs.push(d);
      return d;
    },
    child(child, group = false) {
      children.push({ child, group });
      steps.push(async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((r) => child.once('exit', r));
        if (group && child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
        else child.kill('SIGTERM');
        const timer = setTimeout(() => killNow(child, group), 5000);
        await exited;
        clearTimeout(timer);
      });
    },
    add(step) {
      steps.push(step);
    },
  };
  try {
    return await body(cleanup);
  } finally {
    await runSteps();
    onExit();
    process.off('exit', onExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
