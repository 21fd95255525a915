/** Maintenance windows from the policy, as concrete slots a remediation can be scheduled into. */
import { nextFirings } from './cron-expression.js';
import type { MaintenanceSlot } from './remediation.js';
import { instant, type Instant } from './time.js';

export interface MaintenanceWindowDef {
  readonly id: string;
  readonly name: string;
  readonly cron: string;
  readonly durationMinutes: number;
  readonly timezone?: string | undefined;
  readonly environments: readonly string[];
}

export interface SlotOption {
  readonly slot: MaintenanceSlot;
  /** The window ends by the due date. */
  readonly meetsDueDate: boolean;
}

/** The next `perWindow` slots of each window that have not ended yet, soonest first. A slot under way counts. */
export function upcomingSlots(windows: readonly MaintenanceWindowDef[], defaultTz: string, now: Date, perWindow = 3): MaintenanceSlot[] {
  const slots: MaintenanceSlot[] = [];
  for (const w of windows) {
    const durationMs = w.durationMinutes * 60_000;
    const from = new Date(now.getTime() - durationMs); // include a window that opened but has not closed
    for (const start of nextFirings(w.cron, w.timezone ?? defaultTz, from, perWindow + 1)) {
      const end = new Date(start.getTime() + durationMs);
      if (end <= now) continue;
      slots.push({ windowId: w.id, windowName: w.name, startsAt: instant(start), endsAt: instant(end) });
      if (slots.filter((s) => s.windowId === w.id).length === perWindow) break;
    }
  }
  return slots.sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.windowId.localeCompare(b.windowId));
}

/**
 * The slots to offer for a remediation: those serving its environment (every window when it has none or no
 * window names environments), the ones that end by the due date first, each group soonest first.
 */
export function slotOptions(
  windows: readonly MaintenanceWindowDef[],
  defaultTz: string,
  now: Date,
  dueAt: Instant,
  environment: string | null,
  perWindow = 3,
): SlotOption[] {
  const serving = windows.filter((w) => environment === null || w.environments.length === 0 || w.environments.includes(environment));
  const options = upcomingSlots(serving, defaultTz, now, perWindow).map((slot) => ({ slot, meetsDueDate: slot.endsAt <= dueAt }));
  return [...options.filter((o) => o.meetsDueDate), ...options.filter((o) => !o.meetsDueDate)];
}

/** The slot open at `now`, if any (deployment starts inside its window). */
export const isOpen = (slot: MaintenanceSlot, now: Date): boolean => slot.startsAt <= instant(now) && instant(now) < slot.endsAt;
