/**
 * The `/patch` router's table: subcommand name -> handler. To add one, write `src/slack/commands/<name>.ts`
 * exporting a Subcommand and list it here (help lists it from this table).
 */
import { digestCommand } from './digest.js';
import { evidenceCommand } from './evidence.js';
import { helpCommand } from './help.js';
import { inventoryCommand } from './inventory.js';
import { listCommand } from './list.js';
import { newCommand } from './new.js';
import { showCommand } from './show.js';
import { statusCommand } from './status.js';
import type { Subcommand } from './subcommand.js';
import { syncCommand } from './sync.js';

export const SUBCOMMANDS: readonly Subcommand[] = [
  statusCommand,
  listCommand,
  showCommand,
  newCommand,
  inventoryCommand,
  syncCommand,
  digestCommand,
  evidenceCommand,
  helpCommand,
];
