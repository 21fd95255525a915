/**
 * Each fault case counts what it did: faults injected, faults the bot survived (every check after it passed) and
 * records lost (events, findings, steps, files that should be there and are not). A file of counts per case goes to
 * FAULTS_TALLY_DIR; scripts/faults-summary.mjs adds them up into the suite's one line.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { storeKind } from './store-target.js';

export interface Tally {
  /** A fault was injected (`n` of them). */
  injected(n?: number): void;
  /** The bot came through it: call after the checks about it have passed. */
  survived(n?: number): void;
  /** Records that should exist and do not (0 is the only good number). */
  lost(n: number): void;
}

export interface TallyCounts {
  readonly case: string;
  readonly store: 'sqlite' | 'mongo';
  readonly injected: number;
  readonly survived: number;
  readonly lost: number;
}

let files = 0;

/** A tally for one case, written when its describe block ends (registers an afterAll). */
export function faultTally(name: string): Tally {
  const counts = { injected: 0, survived: 0, lost: 0 };
  afterAll(() => {
    const dir = process.env['FAULTS_TALLY_DIR'];
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    files += 1;
    const out: TallyCounts = { case: name, store: storeKind(), ...counts };
    writeFileSync(join(dir, `${name.replace(/\W+/g, '-')}-${storeKind()}-${process.pid}-${files}.json`), JSON.stringify(out));
  });
  return {
    injected: (n = 1) => void (counts.injected += n),
    survived: (n = 1) => void (counts.survived += n),
    lost: (n) => void (counts.lost += n),
  };
}
