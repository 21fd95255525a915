/** Where a command writes and what it reads: the real process in production, plain functions in tests. */
export interface CliIo {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly env: Record<string, string | undefined>;
  /** stdout is a terminal: progress may be redrawn in place. */
  readonly isTTY?: boolean;
}

/** One `patchwarden` subcommand. Register it in the table in index.ts. */
export interface CliCommand {
  /** The words that name it, e.g. `['audit', 'verify']`. */
  readonly name: readonly string[];
  /** Its arguments, for the usage text, e.g. `[--expect-head <seq>:<sha256>]`. */
  readonly args: string;
  readonly summary: string;
  /** The arguments after its name; resolves to the exit code. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** What the table says of a command before its code is loaded. */
export type CommandSpec = Pick<CliCommand, 'name' | 'args' | 'summary'>;

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

