/**
 * What must hold after any fault, read from the store and the fakes (never from the bot's own words):
 *
 * - the audit chain verifies;
 * - every step has its event, in order: each remediation's transition events (`data.from` -> `data.to`) follow one
 *   another from its creation and end in the state it is in;
 * - no event is lost: every remediation has `remediation.created`, every finding `finding.detected`, every asset
 *   `asset.discovered`; none is doubled (the same event twice, a finding detected twice);
 * - no message is posted twice (one top-level message per remediation in the patch channel), and none is left stale
 *   (its last version shows the state the remediation is in);
 * - no SSM command is sent twice for one deployment (its Comment);
 * - no evidence file is half-written: every file a test record names is there and hashes to its name; the folder
 *   holds nothing else.
 *
 * Each check returns its problems and how many records are missing: a fault case expects no problems and adds the
 * missing ones to its tally as data lost.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, verifyChain, type AuditEvent } from '../../../src/app/audit.js';
import type { Store } from '../../../src/app/ports.js';
import type { Remediation } from '../../../src/domain/remediation.js';
import { STATE_LABEL } from '../../../src/slack/views/format.js';
import type { FakeSlack } from '../../support/slack/fake-slack.js';

export interface Findings {
  /** What is wrong, one line each. */
  readonly problems: string[];
  /** Records that should exist and do not. */
  readonly lost: number;
}

const none = (): Findings => ({ problems: [], lost: 0 });
const add = (a: Findings, b: Findings): Findings => ({ problems: [...a.problems, ...b.problems], lost: a.lost + b.lost });

async function allEvents(store: Store): Promise<AuditEvent[]> {
  const out: AuditEvent[] = [];
  for await (const e of store.audit.stream()) out.push(e);
  return out;
}

export async function chainVerifies(store: Store): Promise<Findings> {
  const verdict = await verifyChain(store.audit.stream());
  return verdict.ok ? none() : { problems: [`audit chain broken at seq ${verdict.badSeq}: ${verdict.reason}`], lost: 0 };
}

/** Each remediation's transitions follow one another and end where it stands. */
export function stepsInOrder(remediations: readonly Remediation[], events: readonly AuditEvent[]): Findings {
  const problems: string[] = [];
  let lost = 0;
  const bySubject = new Map<string, AuditEvent[]>();
  for (const e of events) bySubject.set(e.subject, [...(bySubject.get(e.subject) ?? []), e]);
  for (const r of remediations) {
    const own = bySubject.get(r.id) ?? [];
    if (!own.some((e) => e.action === 'remediation.created')) {
      problems.push(`${r.id}: no remediation.created event`);
      lost += 1;
    }
    const created = own.find((e) => e.action === 'remediation.created');
    let state = typeof created?.data.state === 'string' ? created.data.state : 'new';
    for (const e of own) {
      const { from, to } = e.data as { from?: unknown; to?: unknown };
      if (typeof from !== 'string' || typeof to !== 'string') continue;
      if (from !== state) problems.push(`${r.id}: ${e.action} (seq ${e.seq}) goes from ${from}, but the events before it left it ${state}`);
      state = to;
    }
    if (state !== r.state) {
      problems.push(`${r.id}: it is ${r.state}, but its events end at ${state} (a step without its event)`);
      lost += 1;
    }
  }
  return { problems, lost };
}

/** Ids of assets and findings a test wrote directly (no detection event to look for). */
export interface Given {
  readonly assets: ReadonlySet<string>;
  readonly findings: ReadonlySet<string>;
}

/** Every record has its first event; no event twice. */
export async function nothingLostOrDoubled(store: Store, events: readonly AuditEvent[], given: Given = { assets: new Set(), findings: new Set() }): Promise<Findings> {
  const problems: string[] = [];
  let lost = 0;
  const seen = new Map<string, number>();
  const detected = new Map<string, number>();
  for (const e of events) {
    const key = `${e.action}|${e.subject}|${e.at}|${e.actor}|${canonicalJson(e.data)}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    if (e.action === 'finding.detected' || e.action === 'asset.discovered' || e.action === 'remediation.created') detected.set(`${e.action}|${e.subject}`, (detected.get(`${e.action}|${e.subject}`) ?? 0) + 1);
  }
  for (const [key, n] of seen) if (n > 1) problems.push(`event recorded ${n} times: ${key.slice(0, 160)}`);
  for (const [key, n] of detected) if (n > 1) problems.push(`${key} recorded ${n} times`);
  for (const f of await store.findings.list()) {
    if (!given.findings.has(f.id) && !detected.has(`finding.detected|${f.id}`)) {
      problems.push(`finding ${f.id} has no finding.detected event`);
      lost += 1;
    }
  }
  for (const a of await store.assets.list()) {
    if (!given.assets.has(a.id) && !detected.has(`asset.discovered|${a.id}`)) {
      problems.push(`asset ${a.id} has no asset.discovered event`);
      lost += 1;
    }
  }
  return { problems, lost };
}

/** The remediation a top-level message is about (its summary block starts `*PW-n ·`), or null. */
export function remediationOfMessage(blocks: unknown): string | null {
  const summary = Array.isArray(blocks) ? (blocks as { block_id?: string; text?: { text?: string } }[]).find((b) => b.block_id === 'summary') : undefined;
  return /^\*(PW-\d+) ·/.exec(summary?.text?.text ?? '')?.[1] ?? null;
}

/** One message per remediation in the channel, each showing the state the remediation is in. */
export function messagesOnce(remediations: readonly Remediation[], slack: FakeSlack, channel: string): { twice: Findings; stale: Findings } {
  const twice: string[] = [];
  const stale: string[] = [];
  const posted = new Map<string, number>();
  for (const m of slack.messages(channel)) {
    const id = remediationOfMessage(m.versions[0]?.blocks ?? m.blocks);
    if (id) posted.set(id, (posted.get(id) ?? 0) + 1);
  }
  for (const [id, n] of posted) if (n > 1) twice.push(`${id}: ${n} messages in the channel`);
  for (const r of remediations) {
    if (!r.message) continue;
    const m = slack.message(r.message.channel, r.message.ts);
    if (!m) {
      stale.push(`${r.id}: its message ${r.message.ts} is not in the channel`);
      continue;
    }
    if (!JSON.stringify(m.blocks).includes(`*State*\\n${STATE_LABEL[r.state]}`)) stale.push(`${r.id}: its message does not show its state (${r.state})`);
  }
  return { twice: { problems: twice, lost: 0 }, stale: { problems: stale, lost: 0 } };
}

/** No deployment sends its SSM command twice (a deployment names itself in the command's Comment). */
export function commandsOnce(commands: readonly { comment: string; id: string }[]): Findings {
  const byComment = new Map<string, string[]>();
  for (const c of commands) if (c.comment) byComment.set(c.comment, [...(byComment.get(c.comment) ?? []), c.id]);
  return { problems: [...byComment].filter(([, ids]) => ids.length > 1).map(([comment, ids]) => `SSM command sent ${ids.length} times for "${comment}"`), lost: 0 };
}

function filesUnder(dir: string): string[] {
  let out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const n of names) {
    const p = join(dir, n);
    out = statSync(p).isDirectory() ? [...out, ...filesUnder(p)] : [...out, p];
  }
  return out;
}

/** Every evidence file a test names is whole; on SQLite the folder holds whole files only (no temp files). */
export async function evidenceWhole(store: Store, remediations: readonly Remediation[], evidenceDir: string | null): Promise<Findings> {
  const problems: string[] = [];
  let lost = 0;
  for (const r of remediations) {
    for (const f of r.tests.flatMap((t) => t.files)) {
      try {
        if (!(await store.evidence.get(f.sha256))) {
          problems.push(`${r.id}: evidence ${f.name} (${f.sha256.slice(0, 12)}) is missing`);
          lost += 1;
        }
      } catch (e) {
        problems.push(`${r.id}: evidence ${f.name} is damaged (${(e as Error).message})`);
        lost += 1;
      }
    }
  }
  if (evidenceDir) {
    for (const path of filesUnder(evidenceDir)) {
      const name = path.split('/').pop() ?? '';
      if (!/^[0-9a-f]{64}$/.test(name)) problems.push(`a stray file in the evidence folder: ${name}`);
      else if (createHash('sha256').update(readFileSync(path)).digest('hex') !== name) problems.push(`evidence file ${name.slice(0, 12)} does not hash to its name (half-written)`);
    }
  }
  return { problems, lost };
}

export interface Checked {
  /** Everything but staleness (which needs the Slack outbox to hold after a crash). */
  readonly record: Findings;
  readonly twice: Findings;
  readonly stale: Findings;
}

/** All of the above at once. */
export async function checkInvariants(opts: { store: Store; slack?: FakeSlack; channel?: string; ssmCommands?: readonly { comment: string; id: string }[]; evidenceDir?: string | null; given?: Given }): Promise<Checked> {
  const { store } = opts;
  const events = await allEvents(store);
  const remediations = await store.remediations.list();
  let record = add(await chainVerifies(store), stepsInOrder(remediations, events));
  record = add(record, await nothingLostOrDoubled(store, events, opts.given));
  record = add(record, await evidenceWhole(store, remediations, opts.evidenceDir ?? null));
  if (opts.ssmCommands) record = add(record, commandsOnce(opts.ssmCommands));
  const messages = opts.slack && opts.channel ? messagesOnce(remediations, opts.slack, opts.channel) : { twice: none(), stale: none() };
  return { record, ...messages };
}
