import { listQuery, parseListArgs } from '../../../../src/app/reports/list-remediations.js';
import { OPEN_STATES } from '../../../../src/domain/remediation-state.js';

describe('/patch list words', () => {
  it.each([
    [[], { words: [], page: 1 }],
    [['overdue', 'CRITICAL'], { words: ['overdue', 'critical'], page: 1 }],
    [['high', '3'], { words: ['high'], page: 3 }],
    [['page', '2', 'mine', 'mine'], { words: ['mine'], page: 2 }],
  ])('%j -> %j', (args, expected) => {
    expect(parseListArgs(args)).toEqual({ ok: true, value: expected });
  });

  it.each([[['urgent']], [['0']], [['-1']], [['high', 'x']]])('%j is refused, naming the word', (args) => {
    expect(parseListArgs(args)).toEqual({ ok: false, error: { word: args.at(-1) } });
  });

  it('maps words to one store query: open unless said, severities OR-ed, the rest AND-ed', () => {
    const now = new Date('2026-11-02T09:00:00.000Z');
    expect(listQuery([], 'U1', now)).toEqual({ states: OPEN_STATES });
    expect(listQuery(['overdue', 'mine', 'high', 'low'], 'U1', now)).toEqual({
      states: OPEN_STATES, severities: ['high', 'low'], dueBefore: now.toISOString(), owner: 'U1',
    });
  });
});
