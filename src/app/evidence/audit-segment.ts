/**
 * `audit-log.jsonl`: the audit events of the period as the store keeps them, one JSON object a line, after a first
 * line that says what they are: the period, the segment's seq range and the hash it continues from, the chain's head
 * when the pack was made, and the verdict of verifying the whole chain up to that head. `evidence verify` re-checks
 * the segment with `verifySegment`: every event's hash recomputed, every link to the one before.
 */
import { z } from 'zod';
import { chainChecker, type AuditEvent, type ChainVerdict } from '../audit.js';
import type { AuditLog } from '../ports.js';

export const SEGMENT_FORMAT = 'patchwarden-audit-segment/1';

const link = z.object({ seq: z.number().int(), hash: z.string() });
const verdict = z.union([
  z.object({ ok: z.literal(true), count: z.number(), headSeq: z.number(), headHash: z.string() }),
  z.object({ ok: z.literal(false), count: z.number(), badSeq: z.number(), reason: z.string() }),
]);

export const segmentHeaderSchema = z.object({
  format: z.literal(SEGMENT_FORMAT),
  period: z.object({ label: z.string(), from: z.string(), to: z.string(), cutOff: z.string() }),
  /** Null when no event falls in the period. */
  segment: z.object({ firstSeq: z.number().int(), lastSeq: z.number().int(), count: z.number().int(), prevHash: z.string() }).nullable(),
  chainHead: link.nullable(),
  verification: verdict,
});
export type SegmentHeader = z.infer<typeof segmentHeaderSchema>;

const eventSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  subject: z.string(),
  data: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});

const PAGE = 5000;

/** The lines of `audit-log.jsonl`, reading the segment from the store a page at a time. */
export async function* segmentLines(audit: Pick<AuditLog, 'read'>, header: SegmentHeader): AsyncGenerator<string> {
  yield `${JSON.stringify(header)}\n`;
  if (!header.segment) return;
  const { firstSeq, lastSeq } = header.segment;
  for (let next = firstSeq; next <= lastSeq; ) {
    const page = await audit.read(next, Math.min(PAGE, lastSeq - next + 1));
    if (page.length === 0) return;
    yield page.map((e) => `${JSON.stringify(e)}\n`).join('');
    next = page.at(-1)!.seq + 1;
  }
}

export type SegmentCheck =
  | { readonly ok: true; readonly header: SegmentHeader; readonly events: number }
  | { readonly ok: false; readonly header: SegmentHeader | null; readonly problem: string };

/** Re-checks a segment read back from a pack, line by line (never the whole file at once). */
export async function verifySegment(lines: AsyncIterable<string>): Promise<SegmentCheck> {
  let header: SegmentHeader | null = null;
  let checker: ReturnType<typeof chainChecker> | null = null;
  let lineNo = 0;
  let lastSeq = 0;
  for await (const line of lines) {
    lineNo += 1;
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return { ok: false, header, problem: `line ${lineNo} is not JSON` };
    }
    if (!header) {
      const h = segmentHeaderSchema.safeParse(parsed);
      if (!h.success) return { ok: false, header: null, problem: 'its first line is not a patchwarden audit segment header' };
      header = h.data;
      checker = header.segment ? chainChecker(undefined, { seq: header.segment.firstSeq - 1, hash: header.segment.prevHash }) : null;
      continue;
    }
    const e = eventSchema.safeParse(parsed);
    if (!e.success) return { ok: false, header, problem: `line ${lineNo} is not an audit event` };
    if (!checker?.push(e.data as AuditEvent)) {
      const v = checker?.result() as Extract<ChainVerdict, { ok: false }> | undefined;
      return { ok: false, header, problem: v ? `audit chain BROKEN at seq ${v.badSeq}: ${v.reason}` : `line ${lineNo}: an event where the header says there are none` };
    }
    lastSeq = e.data.seq;
  }
  if (!header) return { ok: false, header: null, problem: 'it is empty' };
  const seg = header.segment;
  if (seg && lastSeq !== seg.lastSeq) return { ok: false, header, problem: `the segment ends at seq ${lastSeq}, the header says ${seg.lastSeq}` };
  return { ok: true, header, events: seg?.count ?? 0 };
}
