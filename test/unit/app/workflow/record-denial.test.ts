/**
 * Refusals of authority on a real SQLite store: one `access.denied` event per person, subject and hour, however
 * many refusals; the rest tallied and reported by the next hour's event; other people and subjects apart.
 */
import { createRecordDenial, DENIAL_TALLIES } from '../../../../src/app/workflow/record-denial.js';
import { tempStore, type TempStore } from '../../../support/temp-store.js';

describe('recording refusals', () => {
  let temp: TempStore;
  beforeEach(async () => {
    temp = await tempStore();
  });
  afterEach(() => temp.dispose());

  const at = (iso: string) => new Date(iso);
  const refusal = { attempted: 'approve', code: 'auth.forbidden' };

  it('1,500 refusals of one person on one remediation in an hour: one event, all of them tallied', async () => {
    const record = createRecordDenial({ store: temp.store });
    await Promise.all(Array.from({ length: 1500 }, (_, i) => record({ actor: 'U0STRANGER', subject: 'PW-7', at: at(`2026-11-02T09:${String(Math.floor(i / 30)).padStart(2, '0')}:00Z`), data: refusal })));
    const events = await temp.store.audit.bySubject('PW-7');
    expect(events.map((e) => [e.action, e.actor, e.at])).toEqual([['access.denied', 'U0STRANGER', '2026-11-02T09:00:00.000Z']]);
    expect(events[0]!.data).toEqual({ ...refusal, hour: '2026-11-02T09:00:00.000Z' });
    expect(await temp.store.kv.get(DENIAL_TALLIES, 'U0STRANGER|PW-7')).toEqual({ window: '2026-11-02T09:00:00.000Z', count: 1500, lastAt: '2026-11-02T09:49:00.000Z' });
  });

  it('the next hour’s first refusal is an event again, and carries the previous hour’s tally', async () => {
    const record = createRecordDenial({ store: temp.store });
    for (const t of ['09:00', '09:10', '09:59']) await record({ actor: 'U0STRANGER', subject: 'PW-7', at: at(`2026-11-02T${t}:00Z`), data: refusal });
    await record({ actor: 'U0STRANGER', subject: 'PW-7', at: at('2026-11-02T13:05:00Z'), data: refusal });
    const events = await temp.store.audit.bySubject('PW-7');
    expect(events.map((e) => e.data)).toEqual([
      { ...refusal, hour: '2026-11-02T09:00:00.000Z' },
      { ...refusal, hour: '2026-11-02T13:00:00.000Z', earlierHour: { from: '2026-11-02T09:00:00.000Z', refusals: 3, lastAt: '2026-11-02T09:59:00.000Z' } },
    ]);
  });

  it('keeps people and subjects apart, and two replicas write the hour’s event once', async () => {
    const a = createRecordDenial({ store: temp.store });
    const b = createRecordDenial({ store: temp.store });
    const when = at('2026-11-02T09:00:00Z');
    await Promise.all([
      a({ actor: 'U1', subject: 'PW-1', at: when, data: refusal }), b({ actor: 'U1', subject: 'PW-1', at: when, data: refusal }),
      a({ actor: 'U2', subject: 'PW-1', at: when, data: refusal }), b({ actor: 'U1', subject: 'PW-2', at: when, data: refusal }),
    ]);
    const events = [...(await temp.store.audit.bySubject('PW-1')), ...(await temp.store.audit.bySubject('PW-2'))];
    expect(events.map((e) => `${e.actor} ${e.subject}`).sort()).toEqual(['U1 PW-1', 'U1 PW-2', 'U2 PW-1']);
  });
});
