/**
 * Each fault case counts what it did: faults injected, faults the bot survived (every check after it passed) and
 * records lost (events, findings, steps, files that should be there and are not). A file of counts per case goes to
 * FAULTS_TALLY_DIR; scripts/faults-summary.mjs adds them up into the suite's one line.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SIGNING_SECRET } from '../../support/bot-harness.js';
import { linesShowing } from '../../support/log-capture.js';
import { storeKind } from './store-target.js';

/** Secrets every bot of the suite is given, whatever else a case gives it. */
const ALWAYS = [SIGNING_SECRET, 'fake-verification-token'];

export interface Tally {
  /** A fault was injected (`n` of them). */
  injected(n?: number): void;
  /** The bot came through it: call after the checks about it have passed. */
  survived(n?: number): void;
  /** Records that should exist and do not (0 is the only good number). */
  lost(n: number): void;
  /** Checks every log line a case's bots wrote for the secrets they were given (failing the test with the lines that show one), and counts them. */
  logsChecked(lines: readonly string[], secrets: readonly string[]): void;
}

export interface TallyCounts {
  readonly case: string;
  readonly store: 'sqlite' | 'mongo';
  readonly injected: number;
  readonly survived: number;
  readonly lost: number;
  /** Log lines checked for secrets, and those that showed one. */
  readonly logLines: number;
  readonly secretLines: number;
}

let files = 0;

/** A tally for one case, written when its describe block ends (registers an afterAll). */
export function faultTally(name: string): Tally {
  const counts = { injected: 0, survived: 0, lost: 0, logLines: 0, secretLines: 0 };
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
    logsChecked: (lines, secrets) => {
      const shown = linesShowing(lines, [...ALWAYS, ...secrets]);
      counts.logLines += lines.length;
      counts.secretLines += shown.length;
      expect(shown).toEqual([]);
    },
  };
}
