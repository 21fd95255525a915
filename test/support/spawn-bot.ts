/**
 * Starts the real entrypoint (src/main.ts, TypeScript loaded by tsx) as its own process, as `npm start` would. One
 * node process, tsx's loader imported into it (not the tsx CLI, which runs the bot in a child): a SIGKILL then
 * kills the bot itself, as `kill -9` would in production.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface BotProcess {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
  /** The port from the "listening" log line. */
  waitForPort(timeoutMs?: number): Promise<number>;
  stop(): Promise<number | null>;
}

/** Runs in a fresh temporary folder, so no .env or policy file of the developer's is picked up. */
export function spawnBot(env: Record<string, string>, cwd = mkdtempSync(join(tmpdir(), 'pw-boot-'))): BotProcess {
  const child = spawn(process.execPath, ['--import', pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href, join(REPO, 'src/main.ts')], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let errText = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (errText += c.toString()));
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => errText,
    exited,
    async waitForPort(timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = /"port":(\d+)[^\n]*patchwarden is listening/.exec(out);
        if (m) return Number(m[1]);
        if (child.exitCode !== null) throw new Error(`the bot exited (${child.exitCode}):\n${out}\n${errText}`);
        if (Date.now() > deadline) throw new Error(`the bot did not start in time:\n${out}\n${errText}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
