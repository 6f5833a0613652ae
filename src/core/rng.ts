// Seeded pseudo-random numbers (sfc32): every random draw in drivefm goes through an Rng made from a seed.
// Not cryptographic, and not Math.random: the same seed gives the same stream on every machine.

const UINT32 = 4294967296; // 2^32

/** Mixes a 32-bit integer into a well-spread one (murmur3 finaliser); used to derive seeds. */
export function hash32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** The four 32-bit words of an sfc32 generator; copying them copies the stream. */
export type RngState = readonly [number, number, number, number];

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0) {
      throw new RangeError(`Rng seed must be a non-negative integer, got ${seed}`);
    }
    this.a = hash32(seed ^ 0x9e3779b9);
    this.b = hash32(Math.floor(seed / UINT32) ^ 0x243f6a88);
    this.c = hash32(seed + 0x6a09e667);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.nextUint32(); // warm up so nearby seeds diverge
  }

  static fromState(state: RngState): Rng {
    const rng = new Rng(0);
    [rng.a, rng.b, rng.c, rng.d] = state;
    return rng;
  }

  get state(): RngState {
    return [this.a, this.b, this.c, this.d];
  }

  /** An independent stream for a named purpose (e.g. one per agent), leaving this stream untouched. */
  fork(stream: number): Rng {
    return new Rng(hash32(this.a ^ hash32(this.c ^ hash32(stream + 1))));
  }

  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / UINT32;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal by Box-Muller (one draw per call; the pair's twin is discarded to keep state simple). */
  normal(mean = 0, std = 1): number {
    const u = 1 - this.next(); // (0, 1]
    const v = this.next();
    return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Rng.pick on an empty list');
    return items[this.int(items.length)] as T;
  }

  /** Fisher-Yates shuffle in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  }
}
