/** What the sync counts as a change, and what it keeps from the stored finding. */
import { assetChanges, findingChanges, findingEvent, mergeFinding } from '../../../../src/app/sync/diff.js';
import { createBatcher, pagesAsTheyArrive } from '../../../../src/app/sync/page-pipeline.js';
import { aFinding, anAsset } from '../../../support/builders.js';

const now = '2026-11-02T09:00:00.000Z';
const none = { kevDueAt: null, epss: null };

describe('merging a reported finding with the stored one', () => {
  const stored = aFinding({ id: 'f', remediationId: 'PW-7', epss: 0.4, detectedAt: '2026-10-01T00:00:00.000Z', kevDueAt: '2026-11-20T00:00:00.000Z' });

  it('keeps the remediation, the first detection and EPSS already looked up; nothing changed', () => {
    const next = mergeFinding({ ...stored, remediationId: null, epss: null, detectedAt: '2026-10-05T00:00:00.000Z' }, stored, { kevDueAt: stored.kevDueAt, epss: null }, now);
    expect(next).toEqual(stored);
    expect(findingChanges(stored, next)).toEqual({});
  });

  it('takes the KEV date from the catalogue, or keeps the stored one when the catalogue could not be read', () => {
    expect(mergeFinding({ ...stored, kevDueAt: null }, stored, { kevDueAt: null, epss: null }, now).kevDueAt).toBeNull();
    expect(mergeFinding({ ...stored, kevDueAt: null }, stored, { kevDueAt: undefined, epss: null }, now).kevDueAt).toBe(stored.kevDueAt);
  });

  it.each([
    ['fixed with a date', { state: 'fixed' as const, fixedAt: '2026-11-01T00:00:00.000Z' }, { fixedAt: '2026-11-01T00:00:00.000Z' }, 'finding.fixed'],
    ['fixed without a date: now', { state: 'fixed' as const, fixedAt: null }, { fixedAt: now }, 'finding.fixed'],
    ['dismissed', { state: 'dismissed' as const, dismissedAt: '2026-11-01T00:00:00.000Z' }, { dismissedAt: '2026-11-01T00:00:00.000Z' }, 'finding.dismissed'],
    ['renamed', { title: 'new title' }, { title: 'new title' }, 'finding.changed'],
  ])('%s', (_n, patch, expected, action) => {
    const next = mergeFinding({ ...stored, ...patch }, stored, { kevDueAt: stored.kevDueAt, epss: null }, now);
    expect(next).toMatchObject({ ...expected, remediationId: 'PW-7' });
    expect(findingEvent(stored, next, now, 'system:sync')).toMatchObject({ action, subject: 'f', data: { remediationId: 'PW-7', severity: 'high', source: 'github' } });
  });

  it('reopens: the closing time goes', () => {
    const fixed = { ...stored, state: 'fixed' as const, fixedAt: '2026-10-20T00:00:00.000Z' };
    const next = mergeFinding({ ...stored, remediationId: null }, fixed, { kevDueAt: stored.kevDueAt, epss: null }, now);
    expect(next).toMatchObject({ state: 'open', fixedAt: null });
    expect(findingEvent(fixed, next, now, 'system:sync').action).toBe('finding.reopened');
  });

  it('a new finding gets the feed’s EPSS unless its source gave one', () => {
    expect(mergeFinding(aFinding({ epss: null }), undefined, { kevDueAt: null, epss: 0.3 }, now).epss).toBe(0.3);
    expect(mergeFinding(aFinding({ epss: 0.5 }), undefined, none, now).epss).toBe(0.5);
  });
});

describe('what counts as an asset change', () => {
  const a = anAsset({ lastSeenAt: now, lastScannedAt: now, attributes: { pingStatus: 'Online', lastPing: now } });
  it.each([
    ['seen again two hours later', { lastSeenAt: '2026-11-02T11:00:00.000Z', lastScannedAt: '2026-11-02T11:00:00.000Z' }, []],
    ['scanned two days later', { lastScannedAt: '2026-11-04T09:00:00.000Z' }, ['lastScannedAt']],
    ['no longer scanned', { lastScannedAt: null }, ['lastScannedAt']],
    ['a new owner', { owner: 'U0NEW' }, ['owner']],
    ['an attribute', { attributes: { pingStatus: 'ConnectionLost', lastPing: now } }, ['attributes.pingStatus']],
    ['an agent’s ping an hour later', { attributes: { pingStatus: 'Online', lastPing: '2026-11-02T10:00:00.000Z' } }, []],
  ])('%s', (_n, patch, fields) => expect(Object.keys(assetChanges(a, { ...a, ...patch }))).toEqual(fields));
});

describe('the pipeline’s tools', () => {
  it('reads ahead while the consumer works, hands over what has arrived together, and a failure after the pages before it', async () => {
    const asked: number[] = [];
    async function* pages() {
      for (let i = 1; i <= 5; i += 1) {
        asked.push(i);
        yield i;
      }
      throw new Error('page 6 failed');
    }
    const got: number[][] = [];
    await expect(
      (async () => {
        for await (const batch of pagesAsTheyArrive(pages(), 3)) {
          got.push(batch);
          // A slow consumer: meanwhile the next pages arrive.
          await new Promise((r) => setTimeout(r, 5));
        }
      })(),
    ).rejects.toThrow('page 6 failed');
    expect(got.flat()).toEqual([1, 2, 3, 4, 5]);
    expect(got[0]).toEqual([1]);
    expect(got.length).toBeLessThan(5);
    expect(asked).toEqual([1, 2, 3, 4, 5]);
  });

  it('flushes what was submitted meanwhile together, one flush at a time; a failed batch again item by item', async () => {
    const flushed: number[][] = [];
    let fail = false;
    const submit = createBatcher(async (items: number[]) => {
      flushed.push(items);
      await new Promise((r) => setTimeout(r, 5));
      if (fail || items.includes(6)) throw new Error('store down');
      return items.length;
    });
    const first = submit(1);
    const second = [submit(2), submit(3)];
    await expect(first).resolves.toBe(3);
    await expect(Promise.all(second)).resolves.toEqual([3, 3]);
    const late = submit(4);
    await new Promise((r) => setImmediate(r));
    const later = submit(5);
    await late;
    fail = true;
    await expect(later).rejects.toThrow('store down');
    fail = false;
    const [six, seven] = [submit(6), submit(7)];
    await expect(six).rejects.toThrow('store down');
    await expect(seven).resolves.toBe(1);
    expect(flushed).toEqual([[1, 2, 3], [4], [5], [6, 7], [6], [7]]);
  });
});
