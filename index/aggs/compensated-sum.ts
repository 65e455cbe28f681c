// Kahan (compensated) summation as OpenSearch's CompensatedSum does it, so sums and averages over
// millions of doubles, and their reduction across shards, match OpenSearch to the last bit.

/** A running compensated sum. `add` mirrors OpenSearch's `CompensatedSum.add`. */
export class CompensatedSum {
  constructor(public value = 0, public delta = 0) {}

  /** Adds `v` with error compensation; non-finite values switch to plain addition, as in OpenSearch. */
  add(v: number): this {
    if (!Number.isFinite(v)) {
      this.value += v;
      return this;
    }
    const corrected = v - this.delta;
    const newValue = this.value + corrected;
    if (Number.isFinite(newValue)) {
      this.delta = newValue - this.value - corrected;
      this.value = newValue;
    } else {
      this.value = newValue;
    }
    return this;
  }
}

/** Compensated sum of a list of numbers (in order). */
export function kahanSum(values: Iterable<number>): number {
  const s = new CompensatedSum();
  for (const v of values) s.add(v);
  return s.value;
}

/**
 * Growable parallel arrays of (sum, delta) per bucket ordinal, for the hot collect loops: the
 * compensation step is inlined by callers through `addAt`.
 */
export class SumArray {
  sums: Float64Array;
  deltas: Float64Array;
  constructor(size = 1) {
    this.sums = new Float64Array(Math.max(1, size));
    this.deltas = new Float64Array(Math.max(1, size));
  }

  /** Ensures ordinal `ord` exists. */
  grow(ord: number): void {
    if (ord < this.sums.length) return;
    const n = Math.max(ord + 1, this.sums.length * 2);
    const s = new Float64Array(n);
    s.set(this.sums);
    const d = new Float64Array(n);
    d.set(this.deltas);
    this.sums = s;
    this.deltas = d;
  }

  /** Adds `v` to ordinal `ord` (which must exist). */
  addAt(ord: number, v: number): void {
    const sum = this.sums[ord];
    if (!Number.isFinite(v)) {
      this.sums[ord] = sum + v;
      return;
    }
    const corrected = v - this.deltas[ord];
    const newValue = sum + corrected;
    if (Number.isFinite(newValue)) {
      this.deltas[ord] = newValue - sum - corrected;
    }
    this.sums[ord] = newValue;
  }
}
