import { randomUUID } from 'node:crypto';
import { canonicalJson, type AuditEventInput } from '../../app/audit.js';
import { toStored } from './documents.js';
import type { EventEntry } from './models.js';

/**
 * Audit events as they ride inside the document that commits them (a remediation version, a journal entry):
 * each with a stable id `<docId>:<uuid>`, and its data in the canonical form the SQLite adapter stores, so both
 * stores hash and return the same thing.
 */
export const eventEntries = (docId: string, events: readonly AuditEventInput[]): EventEntry[] =>
  events.map((e) =>
    toStored({
      id: `${docId}:${randomUUID()}`,
      at: e.at,
      actor: e.actor,
      action: e.action,
      subject: e.subject,
      data: JSON.parse(canonicalJson(e.data)) as EventEntry['data'],
    }),
  );
