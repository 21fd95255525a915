#!/usr/bin/env node
/** `patchwarden <command>`: the operator's and auditor's commands, run against the configured store. */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { DEFAULT_DB_PATH, environment } from '../environment.js';
import { boundHeapGrowth } from '../heap.js';
import { EXIT, type CliCommand, type CliIo } from './command.js';
import { COMMANDS } from './commands.js';

export { COMMANDS } from './commands.js';

export function usage(commands: readonly CliCommand[] = COMMANDS): string {
  const lines = commands.map((c) => [`${c.name.join(' ')} ${c.args}`.trim(), c.summary] as const);
  const width = Math.max(...lines.map(([l]) => l.length));
  return [
    'usage: patchwarden <command> [options]',
    '',
    'commands:',
    ...lines.map(([l, summary]) => `  ${l.padEnd(width)}  ${summary}`),
    '',
    `store: MongoDB at MONGODB_URI when set, else the SQLite file PATCHWARDEN_DB (default ${DEFAULT_DB_PATH})`,
    '',
  ].join('\n');
}

/** The command whose name starts argv (the longest such name), and the arguments after it. */
function match(argv: readonly string[], commands: readonly CliCommand[]): { command: CliCommand; args: string[] } | null {
  const fits = commands
    .filter((c) => c.name.every((word, i) => argv[i] === word))
    .sort((a, b) => b.name.length - a.name.length);
  const command = fits[0];
  return command ? { command, args: argv.slice(command.name.length) } : null;
}

/** Runs one command line and resolves to its exit code: 0 done (or help asked for), 1 failed, 2 usage error. */
export async function runCli(argv: string[], io: CliIo, commands: readonly CliCommand[] = COMMANDS): Promise<number> {
  const found = match(argv, commands);
  const wantsHelp = argv[0] === 'help' || argv.includes('--help') || argv.includes('-h');
  if (!found || wantsHelp) {
    if (wantsHelp) {
      io.stdout(usage(found ? [found.command] : commands));
      return EXIT.ok;
    }
    io.stderr(`${argv.length ? `unknown command: ${argv.join(' ')}\n\n` : ''}${usage(commands)}`);
    return EXIT.usage;
  }
  try {
    return await found.command.run(found.args, io);
  } catch (e) {
    io.stderr(`patchwarden ${found.command.name.join(' ')}: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT.failed;
  }
}

function isMain(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    // The npm bin is a symlink: compare real paths.
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isMain()) {
  boundHeapGrowth();
  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    env: environment(),
    isTTY: process.stdout.isTTY === true,
  });
}
