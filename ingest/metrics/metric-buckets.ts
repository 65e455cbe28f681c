// Per-period statistics of one metric: datapoints fall into consecutive periods from a given start (the
// query's StartTime for GetMetricData and GetMetricStatistics, a multiple of the period for alarms; see
// firstPeriodStart), and each period yields SampleCount, Sum, Minimum, Maximum, Average and percentiles.
// Percentiles are exact over the stored values, weighted by their counts (nearest rank: the smallest
// value whose cumulative count reaches ceil(p/100 · SampleCount); p0 is the minimum). A period holding a
// StatisticValues set with more than one distinct value has no percentiles, as in CloudWatch; a
// degenerate set (SampleCount 1, or Minimum = Maximum) counts as its single value. Nor does a period
// holding a negative value: CloudWatch computes percentiles only over non-negative values.

import type { Datapoint } from './datapoint-scan.ts';
import type { RangeFn, Stat, StatBound } from './metric-params.ts';

/**
 * Where a query's periods start. `start`: at the query's StartTime, as CloudWatch answers
 * GetMetricData and GetMetricStatistics (a StartTime of 12:07 with a 5-minute period gives 12:07,
 * 12:12, …, and data before 12:07 is not counted; the caller rounds StartTime first, see
 * roundStartTime). `epoch`: at a multiple of the period since the epoch, the fixed periods alarms
 * evaluate (a batch of alarms with different periods shares one StartTime).
 */
export type PeriodAnchor = 'start' | 'epoch';

export function firstPeriodStart(startMs: number, periodMs: number, anchor: PeriodAnchor): number {
  return anchor === 'start' ? startMs : Math.floor(startMs / periodMs) * periodMs;
}

/** The periods of one query's time range and, per period, the running statistics of its datapoints. */
export class PeriodBuckets {
  readonly first: number;
  readonly n: number;
  readonly sampleCount: Float64Array;
  readonly sum: Float64Array;
  /** Kahan compensation of `sum` (many small values on a large total stay exact). */
  private readonly sumComp: Float64Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
  /** Per period, [value, count] pairs (only when percentiles were asked for). */
  private readonly values?: Array<number[] | undefined>;
  /** Periods whose percentiles are unavailable (a non-degenerate statistic set, a negative value). */
  private readonly noPercentiles?: Uint8Array;
  private readonly units: Array<string | undefined>;
  /** Every unit the datapoints carried (a metric written with several units is read one unit at a time). */
  readonly unitsSeen = new Set<string>();
  /** Datapoint documents per period, and a period's Metric Streams statistics when it has one document. */
  private readonly docs: Uint32Array;
  private readonly extended: Array<Record<string, number> | undefined>;

  /** Periods covering [firstMs, endMs), the first one starting at firstMs (see firstPeriodStart). */
  constructor(firstMs: number, endMs: number, readonly periodMs: number, withValues: boolean) {
    this.first = firstMs;
    this.n = Math.max(0, Math.ceil((endMs - this.first) / periodMs));
    this.sampleCount = new Float64Array(this.n);
    this.sum = new Float64Array(this.n);
    this.sumComp = new Float64Array(this.n);
    this.min = new Float64Array(this.n).fill(Infinity);
    this.max = new Float64Array(this.n).fill(-Infinity);
    this.units = new Array(this.n);
    this.docs = new Uint32Array(this.n);
    this.extended = new Array(this.n);
    if (withValues) {
      this.values = new Array(this.n);
      this.noPercentiles = new Uint8Array(this.n);
    }
  }

  /** The start of the first period (scans read from here: earlier data is outside the query). */
  get startMs(): number {
    return this.first;
  }

  add(d: Datapoint): void {
    const b = Math.floor((d.ts - this.first) / this.periodMs);
    if (b < 0 || b >= this.n) return;
    this.units[b] ??= d.unit;
    this.unitsSeen.add(d.unit);
    this.docs[b]++;
    if (d.extended) this.extended[b] = d.extended;
    if (!d.isSet) {
      this.sampleCount[b] += d.count;
      this.addSum(b, d.value * d.count);
      if (d.value < this.min[b]) this.min[b] = d.value;
      if (d.value > this.max[b]) this.max[b] = d.value;
      if (this.values) {
        if (d.value < 0) this.noPercentiles![b] = 1;
        else (this.values[b] ??= []).push(d.value, d.count);
      }
      return;
    }
    this.sampleCount[b] += d.count;
    this.addSum(b, d.sum);
    if (d.min < this.min[b]) this.min[b] = d.min;
    if (d.max > this.max[b]) this.max[b] = d.max;
    if (this.values) {
      if (d.min >= 0 && (d.count === 1 || d.min === d.max)) (this.values[b] ??= []).push(d.min, d.count);
      else this.noPercentiles![b] = 1;
    }
  }

  private addSum(b: number, x: number): void {
    const y = x - this.sumComp[b];
    const t = this.sum[b] + y;
    this.sumComp[b] = t - this.sum[b] - y;
    this.sum[b] = t;
  }

  has(b: number): boolean {
    return this.sampleCount[b] > 0;
  }

  timestamp(b: number): number {
    return this.first + b * this.periodMs;
  }

  unit(b: number): string {
    return this.units[b] ?? 'None';
  }

  /**
   * The statistic of period b; undefined when the period has no data or the percentile is unavailable.
   * `name`: the statistic as the query wrote it, for a period that holds one Metric Streams datapoint
   * carrying it (see streamed).
   */
  stat(b: number, stat: Stat, name?: string): number | undefined {
    if (!this.has(b)) return undefined;
    if (stat.kind !== 'basic') {
      const v = stat.kind === 'percentile' ? this.percentile(b, stat.p) : this.range(b, stat.fn, stat.lo, stat.hi);
      return v ?? (name === undefined ? undefined : this.streamed(b, name));
    }
    switch (stat.name) {
      case 'SampleCount':
        return this.sampleCount[b];
      case 'Sum':
        return this.sum[b];
      case 'Average':
        return this.sum[b] / this.sampleCount[b];
      case 'Minimum':
        return this.min[b];
      case 'Maximum':
        return this.max[b];
    }
  }

  /**
   * A statistic a Metric Streams datapoint carried (its `value` member of that name: `p99`,
   * `TM(10%:90%)`), when it is the period's only datapoint: the stream computed it over the source
   * metric's minute from values Lookout never sees, so it holds for a period of just that minute, and
   * combining several minutes' percentiles would not give the percentile of their union.
   */
  streamed(b: number, name: string): number | undefined {
    return this.docs[b] === 1 ? this.extended[b]?.[name] : undefined;
  }

  private sorted = new Map<number, { values: Float64Array; cum: Float64Array }>();

  percentile(b: number, p: number): number | undefined {
    if (!this.values) throw new Error('percentiles were not collected');
    if (this.noPercentiles![b]) return undefined;
    const pairs = this.values[b];
    if (!pairs) return undefined;
    // One distinct value (a one-minute period of a once-a-minute metric): every percentile is it,
    // without sorting (building each period's distribution tripled a 7-day GetMetricData of p99).
    if (pairs.length === 2) return pairs[0];
    const s = this.distribution(b)!;
    return nearestRank(s.values, s.cum, p);
  }

  /**
   * A range statistic of period b (see RangeFn). Percentage bounds are ranks, as the nearest-rank
   * percentiles are: `lo%` drops the ceil(lo/100 · n) lowest points, `hi%` keeps up to rank
   * ceil(hi/100 · n), so tm90 drops the points above p90 and TM(2%:98%) those at or below p2 and above
   * p98. Value bounds keep lo < v ≤ hi. Undefined where percentiles are (see distribution), or when
   * no point is within the bounds (TM).
   */
  range(b: number, fn: RangeFn, lo: StatBound | null, hi: StatBound | null): number | undefined {
    const s = this.distribution(b);
    if (!s) return undefined;
    const { values, cum } = s;
    const n = cum[cum.length - 1];
    const rank = (x: StatBound | null, open: number): number => (x === null ? open : Math.ceil((x.value / 100) * n - 1e-9));
    const loRank = lo?.percent ? rank(lo, 0) : 0;
    const hiRank = hi?.percent ? rank(hi, n) : n;
    const loValue = lo && !lo.percent ? lo.value : -Infinity;
    const hiValue = hi && !hi.percent ? hi.value : Infinity;
    // Winsorizing: points below the range count as its lowest edge, points above as its highest.
    const loEdge = lo === null ? -Infinity : lo.percent ? (loRank > 0 ? valueAtRank(values, cum, loRank) : -Infinity) : lo.value;
    const hiEdge = hi === null ? Infinity : hi.percent ? valueAtRank(values, cum, Math.max(1, hiRank)) : hi.value;
    let count = 0;
    let sum = 0;
    let winsorized = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      const c = cum[i] - (i > 0 ? cum[i - 1] : 0);
      // The points of this value that are within both the rank and the value bounds.
      const within = v > loValue && v <= hiValue ? Math.max(0, Math.min(cum[i], hiRank) - Math.max(cum[i] - c, loRank)) : 0;
      count += within;
      sum += v * within;
      if (fn === 'WM') winsorized += Math.min(Math.max(v, loEdge), hiEdge) * c;
    }
    switch (fn) {
      case 'TM':
        return count > 0 ? sum / count : undefined;
      case 'TC':
        return count;
      case 'TS':
        return sum;
      case 'PR':
        return (100 * count) / n;
      case 'WM':
        return winsorized / n;
    }
  }

  /**
   * Period b's distinct values ascending with cumulative counts, or undefined when the period has no
   * values or its percentiles are unavailable (a non-degenerate statistic set, a negative value).
   */
  private distribution(b: number): { values: Float64Array; cum: Float64Array } | undefined {
    if (!this.values) throw new Error('percentiles were not collected');
    if (this.noPercentiles![b]) return undefined;
    let s = this.sorted.get(b);
    if (!s) {
      const pairs = this.values[b];
      if (!pairs) return undefined;
      const idx = Array.from({ length: pairs.length / 2 }, (_, i) => i).sort((x, y) => pairs[2 * x] - pairs[2 * y]);
      const values = new Float64Array(idx.length);
      const cum = new Float64Array(idx.length);
      let acc = 0;
      idx.forEach((i, k) => {
        values[k] = pairs[2 * i];
        acc += pairs[2 * i + 1];
        cum[k] = acc;
      });
      s = { values, cum };
      this.sorted.set(b, s);
    }
    return s;
  }
}

/** The value at 1-based rank r of sorted values with cumulative counts. */
function valueAtRank(values: ArrayLike<number>, cum: ArrayLike<number>, r: number): number {
  let lo = 0, hi = values.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid] >= r) hi = mid;
    else lo = mid + 1;
  }
  return values[lo];
}

/** Nearest-rank percentile over sorted values with cumulative counts. */
export function nearestRank(values: ArrayLike<number>, cum: ArrayLike<number>, p: number): number | undefined {
  const n = values.length;
  if (n === 0) return undefined;
  return valueAtRank(values, cum, Math.max(1, Math.ceil((p / 100) * cum[n - 1] - 1e-9)));
}
