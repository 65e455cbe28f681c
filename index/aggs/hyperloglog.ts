// Distinct counting for `cardinality`, shaped like OpenSearch's HyperLogLogPlusPlus: exact (a set of
// values) while the count stays under the linear-counting threshold of the precision, then HLL
// registers. Partials are plain JSON; merging is a set union or a register-wise max.

/** OpenSearch's precisionFromThreshold: enough bits for threshold/0.75 4-byte hash entries, 4..18. */
export function precisionFromThreshold(threshold: number): number {
  const entries = Math.ceil(threshold / 0.75);
  const bytes = entries * 4;
  const bits = bytes <= 0 ? 1 : Math.floor(Math.log2(bytes)) + 1;
  return Math.min(18, Math.max(4, bits));
}

/** The exact-counting capacity at a precision ((2^p / 4) × 0.75 entries). */
export function linearThreshold(p: number): number {
  return Math.floor(((1 << p) / 4) * 0.75);
}

/** A distinct-value sketch: exact set, upgraded to registers past the threshold. */
export class HyperLogLog {
  private set: Set<string> | null = new Set();
  private registers: Uint8Array | null = null;
  constructor(readonly p: number) {}

  addString(v: string): void {
    if (this.set) {
      this.set.add(v);
      if (this.set.size > linearThreshold(this.p)) this.upgrade();
    } else this.addHash(v);
  }

  addNumber(v: number): void {
    this.addString(String(v));
  }

  private upgrade(): void {
    this.registers = new Uint8Array(1 << this.p);
    for (const v of this.set!) this.addHash(v);
    this.set = null;
  }

  private addHash(v: string): void {
    const h1 = murmur32(v, 0x9747b28c) >>> 0;
    const h2 = murmur32(v, 0x5bd1e995) >>> 0;
    const idx = h1 >>> (32 - this.p);
    // rank of the first 1-bit in the remaining (64 - p) bits
    const rest = ((h1 << this.p) >>> 0);
    let rank: number;
    if (rest !== 0) rank = Math.clz32(rest) + 1;
    else rank = 32 - this.p + Math.clz32(h2) + 1;
    if (rank > this.registers![idx]) this.registers![idx] = rank;
  }

  /** Merges a partial (exact values or registers). */
  merge(part: { p: number; values?: string[]; registers?: number[] }): void {
    if (part.values) {
      for (const v of part.values) this.addString(v);
      return;
    }
    if (this.set) this.upgrade();
    const r = this.registers!;
    const o = part.registers!;
    for (let i = 0; i < r.length; i++) if (o[i] > r[i]) r[i] = o[i];
  }

  /** The estimate: exact size, or the HLL estimate with linear counting for small ranges. */
  cardinality(): number {
    if (this.set) return this.set.size;
    const m = 1 << this.p;
    const r = this.registers!;
    let sum = 0, zeros = 0;
    for (let i = 0; i < m; i++) {
      sum += 2 ** -r[i];
      if (r[i] === 0) zeros++;
    }
    const alpha = m === 16 ? 0.673 : m === 32 ? 0.697 : m === 64 ? 0.709 : 0.7213 / (1 + 1.079 / m);
    const e = (alpha * m * m) / sum;
    if (zeros > 0) {
      const lc = m * Math.log(m / zeros);
      if (lc <= linearThreshold(this.p) * 4) return Math.round(lc);
    }
    return Math.round(e);
  }

  toJSON(): { p: number; values?: string[]; registers?: number[] } {
    if (this.set) return { p: this.p, values: [...this.set] };
    return { p: this.p, registers: Array.from(this.registers!) };
  }
}

/** MurmurHash3 x86 32-bit over UTF-16 code units. */
function murmur32(key: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < key.length; i++) {
    let k = key.charCodeAt(i);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= key.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
