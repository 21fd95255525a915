import { ACK_HOLD_MS, createTurns, INTERACTION_ACK_HOLD_MS, nextUp, type Lane, type PendingAcks, type Turns } from '../../../src/slack/turns.js';

/** A turn that holds its slot until released, so the order of what waits behind it can be read. */
function blocker(turns: Turns, lane: Lane = 'interaction') {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let started!: () => void;
  const running = new Promise<void>((r) => (started = r));
  const done = turns.run(async () => {
    started();
    await held;
  }, { lane });
  return { running, release: async () => { release(); await done; } };
}

describe('turns for the work after an ack', () => {
  it('runs at most `slots` pieces of people’s work at once, and passes results and errors through', async () => {
    const turns = createTurns({ slots: 2 });
    let active = 0;
    let peak = 0;
    const job = (n: number) => async () => {
      active += 1;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 5));
      active -= 1;
      if (n === 3) throw new Error('three');
      return n * 10;
    };
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => turns.run(job(n), { lane: 'answer' })));
    expect(peak).toBe(2);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([10, 20, 'three', 40, 50]);
  });

  it('lets I/O already waiting run before a turn starts', async () => {
    const turns = createTurns({ slots: 1 });
    const seen: string[] = [];
    setTimeout(() => seen.push('timer'), 0);
    await new Promise((r) => setTimeout(r, 1));
    const done = turns.run(async () => void seen.push('work'), { lane: 'answer' });
    setImmediate(() => seen.push('immediate before'));
    await done;
    expect(seen).toEqual(['timer', 'immediate before', 'work']);
  });

  describe('who goes next (clock pinned, one slot held while they queue)', () => {
    async function order(arrivals: { at: number; lane: Lane; who: string; name: string }[]): Promise<string[]> {
      let clock = 0;
      const turns = createTurns({ slots: 1, now: () => clock });
      const held = blocker(turns);
      await held.running;
      const seen: string[] = [];
      const all = arrivals.map(({ at, lane, who, name }) => {
        clock = at;
        return turns.run(async () => void seen.push(name), { lane, who });
      });
      await held.release();
      await Promise.all(all);
      return seen;
    }

    it('a click goes ahead of a burst of answers that arrived just before it', async () => {
      const burst = Array.from({ length: 5 }, (_, i) => ({ at: 0, lane: 'answer' as const, who: `U${i}`, name: `status ${i}` }));
      expect(await order([...burst, { at: 100, lane: 'interaction', who: 'U9', name: 'click' }])).toEqual(['click', 'status 0', 'status 1', 'status 2', 'status 3', 'status 4']);
    });

    it('an answer that has waited its budget goes before clicks that came after that', async () => {
      const seen = await order([
        { at: 0, lane: 'answer', who: 'U1', name: 'status' },
        { at: 300, lane: 'interaction', who: 'U2', name: 'click 1' },
        { at: 301, lane: 'interaction', who: 'U3', name: 'click 2' },
      ]);
      expect(seen).toEqual(['status', 'click 1', 'click 2']);
    });

    it('one person’s many requests do not hold back another’s one', async () => {
      const seen = await order([
        { at: 0, lane: 'answer', who: 'U1', name: 'a1' },
        { at: 0, lane: 'answer', who: 'U1', name: 'a2' },
        { at: 0, lane: 'answer', who: 'U1', name: 'a3' },
        { at: 10, lane: 'answer', who: 'U2', name: 'b1' },
      ]);
      expect(seen).toEqual(['a1', 'b1', 'a2', 'a3']);
    });
  });

  it('long work runs in its own slots: it never holds a person’s turn, and people never hold it back', async () => {
    const turns = createTurns({ slots: 1, background: 1 });
    const sync = blocker(turns, 'background');
    await sync.running;
    // The background slot is taken, yet a person's work runs at once…
    await expect(turns.run(async () => 'answered', { lane: 'answer', who: 'U1' })).resolves.toBe('answered');
    // …and with the person's slot taken, more long work still waits only for the long work before it.
    const click = blocker(turns, 'interaction');
    await click.running;
    const digest = turns.run(async () => 'posted', { lane: 'background' });
    await sync.release();
    await expect(digest).resolves.toBe('posted');
    await click.release();
  });

  describe('acks first', () => {
    /** Acks owed, set by hand; `settle()` says none is owed any more. */
    const owed = () => {
      let n = 0;
      let waiting: (() => void)[] = [];
      const acks: PendingAcks = { pending: () => n, whenNone: (then) => (n === 0 ? then() : void waiting.push(then)) };
      return {
        acks,
        set: (k: number) => void (n = k),
        settle: () => {
          n = 0;
          const all = waiting;
          waiting = [];
          all.forEach((then) => then());
        },
      };
    };
    const ticks = async (k = 5) => {
      for (let i = 0; i < k; i += 1) await new Promise((r) => setImmediate(r));
    };

    it('no new work starts while a request is not yet acknowledged; it starts once none is', async () => {
      const o = owed();
      const turns = createTurns({ acks: o.acks });
      const seen: string[] = [];
      o.set(3);
      const work = Promise.all([turns.run(async () => void seen.push('answer'), { lane: 'answer' }), turns.run(async () => void seen.push('sync'), { lane: 'background' })]);
      await ticks();
      expect(seen).toEqual([]);
      o.settle();
      await work;
      expect(seen.sort()).toEqual(['answer', 'sync']);
    });

    it('holds work at most ACK_HOLD_MS in a row, however many requests keep coming', async () => {
      const o = owed();
      let clock = 0;
      const turns = createTurns({ acks: o.acks, now: () => clock });
      const seen: string[] = [];
      o.set(1);
      const first = turns.run(async () => void seen.push('first'), { lane: 'interaction' });
      await ticks();
      expect(seen).toEqual([]);
      clock = ACK_HOLD_MS; // still owed (a stream of requests), but held long enough
      await turns.run(async () => void seen.push('second'), { lane: 'interaction' });
      await first;
      expect(seen.sort()).toEqual(['first', 'second']);
    });

    it('a click or a submission waits less for acks than an answer does', async () => {
      const o = owed();
      let clock = 0;
      const turns = createTurns({ acks: o.acks, now: () => clock });
      const seen: string[] = [];
      o.set(1);
      const answer = turns.run(async () => void seen.push('answer'), { lane: 'answer', who: 'U1' });
      const click = turns.run(async () => void seen.push('click'), { lane: 'interaction', who: 'U2' });
      await ticks();
      expect(seen).toEqual([]);
      clock = INTERACTION_ACK_HOLD_MS;
      const another = turns.run(async () => void seen.push('answer 2'), { lane: 'answer', who: 'U3' });
      await click;
      await ticks();
      expect(seen).toEqual(['click']);
      clock = ACK_HOLD_MS;
      await turns.run(async () => void seen.push('answer 3'), { lane: 'answer', who: 'U4' });
      await Promise.all([answer, another]);
      expect(seen.sort()).toEqual(['answer', 'answer 2', 'answer 3', 'click']);
    });

    it('without acks owed, work starts as before', async () => {
      const o = owed();
      const turns = createTurns({ acks: o.acks });
      await expect(turns.run(async () => 42, { lane: 'answer' })).resolves.toBe(42);
    });
  });

  it('nextUp picks the earliest deadline, then the earliest arrival', () => {
    expect(nextUp([])).toBe(-1);
    expect(nextUp([{ deadline: 250, seq: 1 }, { deadline: 100, seq: 2 }, { deadline: 100, seq: 3 }])).toBe(1);
  });
});
