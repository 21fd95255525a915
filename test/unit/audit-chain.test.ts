import { createHash } from 'node:crypto';
import { canonicalJson, chain, GENESIS_HASH, hashEvent, hashWithData, verifyChain, type AuditEvent } from '../../src/app/audit.js';

const input = (i: number) => ({ at: `2026-11-01T09:00:0${i % 10}.000Z`, actor: 'U0LEAD', action: 'remediation.assessed' as const, subject: `PW-${i}`, data: { i, nested: { b: 2, a: [1, { y: 1, x: 2 }] } } });

function log(n: number): AuditEvent[] {
  const events: AuditEvent[] = [];
  for (let i = 1; i <= n; i += 1) events.push(chain(input(i), events.at(-1) ?? null));
  return events;
}

describe('canonicalJson', () => {
  it.each([
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ a: { d: [3, { f: 1, e: 2 }], c: null } }, '{"a":{"c":null,"d":[3,{"e":2,"f":1}]}}'],
    [{ a: undefined, b: 'x' }, '{"b":"x"}'],
    [[undefined, 1], '[null,1]'],
    ['é"\n', '"é\\"\\n"'],
  ])('%j -> %s', (value, expected) => expect(canonicalJson(value)).toBe(expected));

  it('gives the same bytes whatever order the keys were built in', () => {
    expect(canonicalJson({ x: 1, y: { q: 1, p: 2 } })).toBe(canonicalJson({ y: { p: 2, q: 1 }, x: 1 }));
  });
});

describe('the hash chain', () => {
  it('starts from the genesis hash and links each event to the previous one', () => {
    const [a, b] = log(2) as [AuditEvent, AuditEvent];
    expect(a.seq).toBe(1);
    expect(a.prevHash).toBe(GENESIS_HASH);
    expect(b.prevHash).toBe(a.hash);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashEvent(a)).toBe(a.hash);
  });

  it('hashes sha256(prevHash + canonical JSON of { seq, at, actor, action, subject, data }), whichever way the data comes', () => {
    const e = { seq: 7, at: '2026-11-02T09:00:00.000Z', actor: 'system:sync', action: 'finding.detected', subject: 'snyk:é"\\/\u2028', prevHash: 'ab'.repeat(32), data: { z: [1, null, 'ü'], a: { y: true, b: 0.5 } } };
    const expected = createHash('sha256').update(e.prevHash + canonicalJson({ seq: e.seq, at: e.at, actor: e.actor, action: e.action, subject: e.subject, data: e.data })).digest('hex');
    expect(hashEvent(e)).toBe(expected);
    expect(hashWithData(e, canonicalJson(e.data))).toBe(expected);
  });

  it('passes an intact log and reports its count and head', async () => {
    const events = log(5);
    await expect(verifyChain(events)).resolves.toEqual({ ok: true, count: 5, headSeq: 5, headHash: events[4]!.hash });
  });

  it('passes an empty log', async () => {
    await expect(verifyChain([])).resolves.toEqual({ ok: true, count: 0, headSeq: 0, headHash: GENESIS_HASH });
  });

  const tamperings: [string, (e: AuditEvent[]) => AuditEvent[], number][] = [
    ['an edited event', (e) => e.map((x) => (x.seq === 3 ? { ...x, data: { ...x.data, i: 99 } } : x)), 3],
    ['an edited actor', (e) => e.map((x) => (x.seq === 2 ? { ...x, actor: 'U0MALLORY' } : x)), 2],
    ['a deleted event', (e) => e.filter((x) => x.seq !== 3), 3],
    ['two swapped events', (e) => [e[0]!, e[2]!, e[1]!, e[3]!, e[4]!], 2],
    ['two events swapped with their seqs exchanged', (e) => [e[0]!, { ...e[2]!, seq: 2 }, { ...e[1]!, seq: 3 }, e[3]!, e[4]!], 2],
    ['a forged event inserted and the rest renumbered', (e) => {
      const forged = chain({ ...input(9), actor: 'U0MALLORY' }, e[1]!);
      return [e[0]!, e[1]!, forged, ...e.slice(2).map((x) => ({ ...x, seq: x.seq + 1 }))];
    }, 4],
    ['a forged hash', (e) => e.map((x) => (x.seq === 4 ? { ...x, hash: 'f'.repeat(64) } : x)), 4],
  ];

  it.each(tamperings)('catches %s and names the first bad seq', async (_name, tamper, badSeq) => {
    const verdict = await verifyChain(tamper(log(5)));
    expect(verdict).toMatchObject({ ok: false, badSeq });
  });

  it('catches a truncated tail only against a recorded head', async () => {
    const events = log(5);
    const truncated = events.slice(0, 3);
    await expect(verifyChain(truncated)).resolves.toMatchObject({ ok: true });
    await expect(verifyChain(truncated, { seq: 5, hash: events[4]!.hash })).resolves.toMatchObject({ ok: false, badSeq: 4 });
    await expect(verifyChain(events, { seq: 5, hash: events[4]!.hash })).resolves.toMatchObject({ ok: true });
  });

  it('reads an async stream (the MongoDB cursor) the same way', async () => {
    async function* stream() {
      yield* log(3);
    }
    await expect(verifyChain(stream())).resolves.toMatchObject({ ok: true, count: 3 });
  });
});
