/**
 * How `patchwarden evidence` shows its progress: on a terminal one line redrawn in place (at most ten times a
 * second); otherwise (a pipe, a CI log) a plain line when a phase starts and every few seconds within it.
 */
import type { PackPhase, PackProgress } from '../app/evidence/build-pack.js';

const WIDTH = 24;
const LABEL: Record<PackPhase, string> = {
  audit: 'verifying the audit log',
  evidence: 'reading remediations, copying their evidence',
  csv: 'writing the CSVs',
  page: 'writing index.html',
  pdf: 'printing report.pdf',
  done: 'done',
};
const n = (x: number): string => x.toLocaleString('en-US');
const counted = (p: PackProgress): string => (p.done > 0 && p.total > 0 && p.phase !== 'done' ? ` ${n(p.done)} / ${n(p.total)}` : '');

export interface PackProgressView {
  update(p: PackProgress): void;
  /** Ends the redrawn line. */
  stop(): void;
}

export function terminalPackProgress(write: (s: string) => void, clock: () => number = Date.now): PackProgressView {
  let last = 0;
  let phase: PackPhase | null = null;
  let drawn = false;
  return {
    update(p) {
      const now = clock();
      if (p.phase === phase && now - last < 100) return;
      last = now;
      phase = p.phase;
      const filled = p.phase === 'done' ? WIDTH : p.total > 0 ? Math.min(WIDTH, Math.floor((p.done / p.total) * WIDTH)) : 0;
      write(`\r\x1b[2K${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}  ${LABEL[p.phase]}${counted(p)}`);
      drawn = true;
    },
    stop: () => {
      if (drawn) write('\n');
    },
  };
}

export function plainPackProgress(write: (s: string) => void, clock: () => number = Date.now, everyMs = 5000): PackProgressView {
  let said: { phase: PackPhase; at: number } | null = null;
  return {
    update(p) {
      const now = clock();
      if (said && said.phase === p.phase && now - said.at < everyMs) return;
      said = { phase: p.phase, at: now };
      write(`${LABEL[p.phase]}${counted(p)}\n`);
    },
    stop: () => undefined,
  };
}
