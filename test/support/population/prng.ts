/** A seeded PRNG (mulberry32) and the few helpers the generators need. Never Math.random: same seed, same population. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** An integer in [min, max] (both inclusive). */
  between(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** `n` lower-case hex digits. */
  hex(n: number): string;
  /** A version-4-shaped UUID. */
  uuid(): string;
  chars(alphabet: string, n: number): string;
}

export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  const chars = (alphabet: string, n: number): string => {
    let out = '';
    for (let i = 0; i < n; i += 1) out += alphabet[int(alphabet.length)];
    return out;
  };
  const hex = (n: number): string => chars('0123456789abcdef', n);
  return {
    next,
    int,
    between: (min, max) => min + int(max - min + 1),
    pick: <T>(items: readonly T[]): T => items[int(items.length)] as T,
    hex,
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[int(4)]}${hex(3)}-${hex(12)}`,
    chars,
  };
}

/**
 * `count` indices spread evenly over [0, n), shifted by `phase` (mod n): which records get a trait.
 * Deterministic, so the small population's counts can be worked out by hand.
 */
export function spread(count: number, n: number, phase = 0): Set<number> {
  const out = new Set<number>();
  if (n <= 0) return out;
  const c = Math.min(count, n);
  for (let k = 0; k < c; k += 1) out.add((Math.floor(((k + 0.5) * n) / c) + phase) % n);
  return out;
}

const DAY_MS = 86_400_000;

/** ISO timestamp without milliseconds, as GitHub and Snyk write them. */
export const isoSeconds = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
export const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
export const days = (n: number): number => n * DAY_MS;
