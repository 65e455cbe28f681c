import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PeriodBuckets } from './metric-buckets.ts';
import type { Datapoint } from './datapoint-scan.ts';

/** Brute force: expand every value by its count, sort, take the nearest rank. */
function brutePercentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length - 1e-9));
  return sorted[rank - 1];
}

const point = (ts: number, value: number, count = 1): Datapoint => ({ ts, value, count, isSet: false, sum: NaN, min: NaN, max: NaN, unit: 'None' });

describe('PeriodBuckets', () => {
  it('matches brute force for every statistic and percentile (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ t: fc.integer({ min: 0, max: 599_999 }), v: fc.double({ min: -1e6, max: 1e6, noNaN: true }), c: fc.integer({ min: 1, max: 5 }) }), { minLength: 1, maxLength: 200 }),
        fc.constantFrom(60, 120, 300),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (pts, periodS, p) => {
          // Not a multiple of 120 or 300 s: periods start at the given start, not at epoch multiples.
          const start = 1_700_000_040_000;
          const b = new PeriodBuckets(start, start + 600_000, periodS * 1000, true);
          for (const x of pts) b.add(point(start + x.t, x.v, x.c));
          const byBucket = new Map<number, number[]>();
          for (const x of pts) {
            const ts = start + Math.floor(x.t / (periodS * 1000)) * periodS * 1000;
            const list = byBucket.get(ts) ?? [];
            for (let k = 0; k < x.c; k++) list.push(x.v);
            byBucket.set(ts, list);
          }
          for (let i = 0; i < b.n; i++) {
            const vals = byBucket.get(b.timestamp(i));
            if (!vals) {
              expect(b.has(i)).toBe(false);
              continue;
            }
            const sum = vals.reduce((a, v) => a + v, 0);
            expect(b.stat(i, { kind: 'basic', name: 'SampleCount' })).toBe(vals.length);
            expect(b.stat(i, { kind: 'basic', name: 'Sum' })).toBeCloseTo(sum, 3);
            expect(b.stat(i, { kind: 'basic', name: 'Average' })).toBeCloseTo(sum / vals.length, 3);
            expect(b.stat(i, { kind: 'basic', name: 'Minimum' })).toBe(Math.min(...vals));
            expect(b.stat(i, { kind: 'basic', name: 'Maximum' })).toBe(Math.max(...vals));
            // CloudWatch has no percentiles for a period holding a negative value.
            expect(b.stat(i, { kind: 'percentile', p })).toBe(vals.some((v) => v < 0) ? undefined : brutePercentile(vals, p));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('statistic sets: exact sums; percentiles only when degenerate', () => {
    const b = new PeriodBuckets(0, 120_000, 60_000, true);
    b.add({ ts: 1000, value: NaN, count: 3, isSet: true, sum: 30, min: 5, max: 15, unit: 'Count' });
    b.add({ ts: 61_000, value: NaN, count: 4, isSet: true, sum: 28, min: 7, max: 7, unit: 'Count' });
    b.add(point(62_000, 1));
    expect(b.stat(0, { kind: 'basic', name: 'Average' })).toBe(10);
    expect(b.percentile(0, 50)).toBeUndefined();
    expect(b.stat(1, { kind: 'basic', name: 'SampleCount' })).toBe(5);
    expect(b.percentile(1, 20)).toBe(1);
    expect(b.percentile(1, 21)).toBe(7);
    expect(b.unit(0)).toBe('Count');
  });

  it('no percentiles for a period holding a negative value or a set reaching below zero', () => {
    const b = new PeriodBuckets(0, 180_000, 60_000, true);
    for (const v of [-1, 5, 7]) b.add(point(1000, v));
    b.add({ ts: 61_000, value: NaN, count: 2, isSet: true, sum: -4, min: -2, max: -2, unit: 'None' });
    b.add(point(121_000, 0));
    b.add(point(122_000, 3));
    expect(b.percentile(0, 50)).toBeUndefined();
    expect(b.stat(0, { kind: 'basic', name: 'Minimum' })).toBe(-1);
    expect(b.percentile(1, 50)).toBeUndefined();
    expect(b.percentile(2, 50)).toBe(0);
    expect(b.percentile(2, 100)).toBe(3);
  });
});
