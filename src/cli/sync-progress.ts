/**
 * How `patchwarden sync` shows its progress: on a terminal, one bar per source and per advisory feed redrawn in place
 * (at most ten times a second); otherwise (a pipe, a CI log) a plain line per source or feed when it starts, every
 * few seconds while it runs, and when it ends.
 */
import { progressKey, type SourceName, type SyncProgress } from '../app/sync/report.js';

export interface ProgressView {
  update(p: SyncProgress): void;
  /** Draws the final state. */
  stop(): void;
}

const WIDTH = 24;
const LABEL: Record<SourceName, string> = { github: 'GitHub', snyk: 'Snyk', ssm: 'AWS SSM' };
/** A source by its label, a feed by its name. */
const labelOf = (p: SyncProgress): string => (p.source === 'advisories' ? (p.feed ?? 'advisories') : LABEL[p.source]);
const n = (x: number): string => x.toLocaleString('en-US');

function bar(p: SyncProgress, tick: number): string {
  if (p.state === 'done') return '█'.repeat(WIDTH);
  if (p.total !== null && p.total > 0) {
    const filled = Math.min(WIDTH, Math.floor((p.done / p.total) * WIDTH));
    return `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}`;
  }
  // Unknown total (GitHub does not say how many alerts): a block that moves while pages arrive.
  const at = tick % (2 * (WIDTH - 3));
  const pos = at < WIDTH - 3 ? at : 2 * (WIDTH - 3) - at;
  return `${'░'.repeat(pos)}███${'░'.repeat(WIDTH - 3 - pos)}`;
}

const counted = (p: SyncProgress): string => `${p.total !== null ? `${n(p.done)} / ${n(p.total)} ${p.unit}` : `${n(p.done)} ${p.unit}`}${p.note ? ` (${p.note})` : ''}`;
const stateWord = (p: SyncProgress): string => (p.state === 'done' ? 'done' : p.state === 'failed' ? 'FAILED' : '');

export function terminalProgress(write: (s: string) => void, clock: () => number = Date.now): ProgressView {
  const started = clock();
  const sources = new Map<string, SyncProgress & { since: number; until: number | null }>();
  let drawn = 0;
  let last = 0;
  let ticks = 0;
  const draw = (): void => {
    const now = clock();
    last = now;
    ticks += 1;
    const width = Math.max(8, ...[...sources.values()].map((p) => Math.min(30, labelOf(p).length)));
    const lines = [...sources.values()].map((p) => {
      const secs = (((p.until ?? now) - p.since) / 1000).toFixed(1);
      return `${labelOf(p).slice(0, 30).padEnd(width)} ${bar(p, ticks)}  ${counted(p).padEnd(26)} ${secs.padStart(6)} s  ${stateWord(p)}`.trimEnd();
    });
    write(`${drawn > 0 ? `\x1b[${drawn}A` : ''}${lines.map((l) => `\x1b[2K${l}\n`).join('')}`);
    drawn = lines.length;
  };
  return {
    update(p) {
      const before = sources.get(progressKey(p));
      const now = clock();
      sources.set(progressKey(p), { ...p, since: before?.since ?? started, until: p.state === 'running' ? null : now });
      if (!before || before.state !== p.state || now - last >= 100) draw();
    },
    stop: () => {
      if (sources.size > 0) draw();
    },
  };
}

export function plainProgress(write: (s: string) => void, clock: () => number = Date.now, everyMs = 5000): ProgressView {
  const said = new Map<string, { state: SyncProgress['state']; at: number }>();
  return {
    update(p) {
      const before = said.get(progressKey(p));
      const now = clock();
      if (before && before.state === p.state && now - before.at < everyMs) return;
      said.set(progressKey(p), { state: p.state, at: now });
      const what = p.state === 'running' ? (before ? `${counted(p)} so far` : 'started') : `${stateWord(p)}, ${counted(p)}`;
      write(`${labelOf(p)}${p.source === 'advisories' ? ' (advisory feed)' : ''}: ${what}\n`);
    },
    stop: () => undefined,
  };
}
