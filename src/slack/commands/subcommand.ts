/** What one `/patch` subcommand is: its name, its line in the help, who may use it, and its handler factory. */
import type { RespondFn } from '@slack/bolt';
import type { Actor, Permission } from '../../domain/roles.js';
import type { SlackDeps } from '../deps.js';
import type { HelpEntry } from '../views/help.js';
import type { Lane } from '../turns.js';

export interface CommandContext {
  /** The words after the subcommand's name. */
  readonly args: readonly string[];
  readonly userId: string;
  /** Where the command was typed. */
  readonly channelId: string;
  /** The command's trigger_id: opens a modal within about 3 s. */
  readonly triggerId: string;
  readonly actor: Actor;
  /** Bolt's respond(): posts to the command's response_url (ephemeral unless `response_type: 'in_channel'`). */
  readonly respond: RespondFn;
  /** Every subcommand, for help. */
  readonly commands: readonly Subcommand[];
}

export type CommandHandler = (ctx: CommandContext) => Promise<void>;

export interface Subcommand extends HelpEntry {
  /** The word after `/patch`. */
  readonly name: string;
  /** Checked (and a refusal audited) before the handler runs; null means anyone, even without a role. */
  readonly permission: Permission | null;
  /** Its turn (src/slack/turns.ts): `answer` unless said; long work (a sync, a digest) is `background`. */
  readonly lane?: Lane;
  /** Built once at start with the app's dependencies (a factory closure, like every listener). */
  readonly handler: (deps: SlackDeps) => CommandHandler;
}
