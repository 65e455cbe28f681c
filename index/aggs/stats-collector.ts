// The shared shard collector behind avg, sum, min, max, stats and extended_stats: per parent bucket
// ordinal a count, a compensated sum, min, max and (when asked) a compensated sum of squares, read
// straight from the numeric doc-values column.

import { SumArray } from './compensated-sum.ts';
import type { FormatSpec } from './doc-value-format.ts';
import { numericColumn, resolveSource, type SourceParams, type ValuesSource } from './values-source.ts';
import type { Aggregator, CollectContext, LeafCollector } from './types.ts';

/** The plain-JSON partial of the stats family (also what avg/sum/min/max reduce). */
export interface StatsPartial {
  count: number;
  sum: number;
  /** null when empty (partials are JSON: no Infinity). */
  min: number | null;
  max: number | null;
  sumSq: number;
  format: FormatSpec;
}

const NO_LEAF: LeafCollector = { collect() {} };

/** Creates a stats-family aggregator over `params`' numeric field. */
export function statsAggregator(type: string, params: SourceParams, ctx: CollectContext, squares: boolean): Aggregator {
  const src: ValuesSource = resolveSource(params, ctx.shard, type, 'numeric');
  let counts = new Float64Array(1);
  const sums = new SumArray(1);
  const sq = new SumArray(1);
  let mins = new Float64Array(1).fill(Infinity);
  let maxs = new Float64Array(1).fill(-Infinity);
  const grow = (ord: number) => {
    if (ord < counts.length) return;
    const n = Math.max(ord + 1, counts.length * 2);
    ctx.budget.addBytes((n - counts.length) * 48);
    const c = new Float64Array(n); c.set(counts); counts = c;
    const mi = new Float64Array(n).fill(Infinity); mi.set(mins); mins = mi;
    const ma = new Float64Array(n).fill(-Infinity); ma.set(maxs); maxs = ma;
    sums.grow(ord);
    if (squares) sq.grow(ord);
  };
  return {
    leaf(segment) {
      const col = numericColumn(segment, src);
      if (!col) return NO_LEAF;
      const { offsets, values } = col;
      const collect = (doc: number, ord: number) => {
        const s = offsets[doc], e = offsets[doc + 1];
        if (s === e) return;
        if (ord >= counts.length) grow(ord);
        counts[ord] += e - s;
        const ss = sums.sums, ds = sums.deltas;
        for (let i = s; i < e; i++) {
          const v = values[i];
          // CompensatedSum.add inlined (hot path)
          const sum = ss[ord];
          if (v - v === 0) {
            const corrected = v - ds[ord];
            const nv = sum + corrected;
            if (nv - nv === 0) ds[ord] = nv - sum - corrected;
            ss[ord] = nv;
          } else ss[ord] = sum + v;
          if (squares) sq.addAt(ord, v * v);
        }
        if (values[s] < mins[ord]) mins[ord] = values[s];
        if (values[e - 1] > maxs[ord]) maxs[ord] = values[e - 1];
      };
      return {
        collect,
        collectAll(docs) {
          this.collectRun!(docs, 0, docs.length, 0);
        },
        collectRun(docs, from, to, ord) {
          if (ord >= counts.length) grow(ord);
          // Top-level fast path: one accumulator in locals, compensated like CompensatedSum.add
          // (`x - x === 0` is the finiteness test without a call).
          const vals = values as Float64Array;
          let count = counts[ord], sum = sums.sums[ord], delta = sums.deltas[ord], mn = mins[ord], mx = maxs[ord];
          let sqSum = squares ? sq.sums[ord] : 0, sqDelta = squares ? sq.deltas[ord] : 0;
          for (let k = from; k < to; k++) {
            const doc = docs[k];
            const s = offsets[doc], e = offsets[doc + 1];
            if (s === e) continue;
            count += e - s;
            for (let i = s; i < e; i++) {
              const v = vals[i];
              if (v - v === 0) {
                const corrected = v - delta;
                const nv = sum + corrected;
                if (nv - nv === 0) delta = nv - sum - corrected;
                sum = nv;
              } else sum += v;
              if (squares) {
                const v2 = v * v;
                if (v2 - v2 === 0) {
                  const c2 = v2 - sqDelta;
                  const n2 = sqSum + c2;
                  if (n2 - n2 === 0) sqDelta = n2 - sqSum - c2;
                  sqSum = n2;
                } else sqSum += v2;
              }
            }
            const lo = vals[s], hi = vals[e - 1];
            if (lo < mn) mn = lo;
            if (hi > mx) mx = hi;
          }
          counts[ord] = count; sums.sums[ord] = sum; sums.deltas[ord] = delta; mins[ord] = mn; maxs[ord] = mx;
          if (squares) {
            sq.sums[ord] = sqSum;
            sq.deltas[ord] = sqDelta;
          }
        },
      };
    },
    build(ord): StatsPartial {
      if (ord >= counts.length || counts[ord] === 0) return { count: 0, sum: 0, min: null, max: null, sumSq: 0, format: src.format };
      return { count: counts[ord], sum: sums.sums[ord], min: mins[ord], max: maxs[ord], sumSq: squares ? sq.sums[ord] : 0, format: src.format };
    },
  };
}

/** Reduces stats partials as InternalStats/InternalExtendedStats do (compensated sums of shard sums). */
export function reduceStats(partials: StatsPartial[]): StatsPartial {
  let count = 0, min = Infinity, max = -Infinity;
  let sum = 0, delta = 0, sq = 0, sqDelta = 0;
  for (const p of partials) {
    count += p.count;
    if (p.min !== null) min = Math.min(min, p.min);
    if (p.max !== null) max = Math.max(max, p.max);
    [sum, delta] = kahan(sum, delta, p.sum);
    [sq, sqDelta] = kahan(sq, sqDelta, p.sumSq);
  }
  const format = partials.find((p) => p.format.t !== 'raw')?.format ?? partials[0]?.format ?? { t: 'raw' };
  return { count, sum, min: count === 0 ? null : min, max: count === 0 ? null : max, sumSq: sq, format };
}

function kahan(sum: number, delta: number, v: number): [number, number] {
  if (!Number.isFinite(v)) return [sum + v, delta];
  const corrected = v - delta;
  const nv = sum + corrected;
  return Number.isFinite(nv) ? [nv, nv - sum - corrected] : [nv, delta];
}
