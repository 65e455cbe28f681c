// HDR percentiles as OpenSearch computes them with HdrHistogram's DoubleHistogram (auto-ranging, given
// significant digits): a value falls in a sub-bucket of 2^-h of its binary magnitude, the unit is set by
// the smallest magnitude seen, and percentiles return the bucket's highest equivalent value.

/** Plain-JSON state: bucket lowest values with counts, and the smallest binary magnitude seen. */
export interface HdrPartial {
  digits: number;
  emin: number | null;
  buckets: [number, number][];
}

/** log2 of the sub-bucket half count for `digits` significant digits (10 for 3 digits). */
function halfMagnitude(digits: number): number {
  return Math.ceil(Math.log2(2 * 10 ** digits)) - 1;
}

function magnitude(v: number): number {
  let e = Math.floor(Math.log2(v));
  if (2 ** e > v) e--;
  else if (2 ** (e + 1) <= v) e++;
  return e;
}

/** A DoubleHistogram-equivalent of one bucket. */
export class HdrHistogram {
  private readonly counts = new Map<number, number>();
  private emin: number | null = null;
  private total = 0;
  private readonly h: number;

  constructor(readonly digits: number) {
    this.h = halfMagnitude(digits);
  }

  /** Records a value (negative values are rejected as in OpenSearch). */
  record(v: number, count = 1): void {
    if (v < 0) throw new Error('Negative values are not supported by HDR');
    let lowest = 0;
    if (v > 0) {
      const e = magnitude(v);
      if (this.emin === null || e < this.emin) this.emin = e;
      const res = 2 ** (e - this.h);
      lowest = Math.floor(v / res) * res;
    }
    this.counts.set(lowest, (this.counts.get(lowest) ?? 0) + count);
    this.total += count;
  }

  /** Merges a partial. */
  merge(p: HdrPartial): void {
    if (p.emin !== null && (this.emin === null || p.emin < this.emin)) this.emin = p.emin;
    for (const [lowest, c] of p.buckets) {
      this.counts.set(lowest, (this.counts.get(lowest) ?? 0) + c);
      this.total += c;
    }
  }

  get count(): number {
    return this.total;
  }

  private highest(lowest: number): number {
    const unit = 2 ** ((this.emin ?? 0) - this.h);
    if (lowest === 0) return 0;
    return lowest + 2 ** (magnitude(lowest) - this.h) - unit;
  }

  /** getValueAtPercentile: the highest equivalent value of the bucket reaching the percentile's count. */
  valueAtPercentile(p: number): number {
    const sorted = [...this.counts].sort((a, b) => a[0] - b[0]);
    const pct = Math.min(Math.max(p, 0), 100);
    const target = Math.max(1, Math.floor((pct / 100) * this.total + 0.5));
    let acc = 0;
    for (const [lowest, c] of sorted) {
      acc += c;
      if (acc >= target) return p === 0 ? lowest : this.highest(lowest);
    }
    return 0;
  }

  /** getPercentileAtOrBelowValue. */
  percentileAtOrBelow(v: number): number {
    if (this.total === 0) return 100;
    const e = v > 0 ? magnitude(v) : 0;
    const limit = v > 0 ? Math.floor(v / 2 ** (e - this.h)) * 2 ** (e - this.h) : 0;
    let acc = 0;
    for (const [lowest, c] of this.counts) if (lowest <= limit) acc += c;
    return (100 * acc) / this.total;
  }

  toJSON(): HdrPartial {
    return { digits: this.digits, emin: this.emin, buckets: [...this.counts].sort((a, b) => a[0] - b[0]) };
  }
}
