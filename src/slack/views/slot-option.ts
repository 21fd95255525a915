/**
 * A maintenance slot as a select option's value: Slack allows at most 75 characters, and the value must tell every
 * offered slot apart and stay the same between offering it and reading it back. `startsAt|windowId` when it fits,
 * else the window id is replaced by a hash of it. The decide use case is given this function to recognise the pick.
 */
import { createHash } from 'node:crypto';
import type { MaintenanceSlot } from '../../domain/remediation.js';

export const OPTION_VALUE_MAX = 75;

export function slotOptionValue(slot: MaintenanceSlot): string {
  const plain = `${slot.startsAt}|${slot.windowId}`;
  return plain.length <= OPTION_VALUE_MAX ? plain : `${slot.startsAt}|#${createHash('sha256').update(slot.windowId).digest('hex').slice(0, 16)}`;
}
