/** Which turn each `/patch` subcommand's work takes (src/slack/turns.ts): long work never holds a person's turn. */
import { SUBCOMMANDS } from '../../../src/slack/commands/table.js';

describe('the lanes of /patch', () => {
  it('runs long work (a sync, a digest, an evidence pack) in the background, people’s answers and modals in theirs', () => {
    expect(Object.fromEntries(SUBCOMMANDS.map((s) => [s.name, s.lane ?? 'answer']))).toEqual({
      status: 'answer', list: 'answer', show: 'answer', new: 'interaction', inventory: 'answer', sync: 'background', digest: 'background', evidence: 'background', help: 'answer',
    });
  });
});
