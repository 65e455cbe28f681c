import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PeriodBuckets } from './metric-buckets.ts';
import { parseStat } from './metric-params.ts';
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

describe('range statistics (TM, WM, TC, TS, PR, IQM)', () => {
  const oneToHundred = (): PeriodBuckets => {
    const b = new PeriodBuckets(0, 60_000, 60_000, true);
    for (let v = 100; v >= 1; v--) b.add(point(1000, v));
    return b;
  };
  const stat = (b: PeriodBuckets, s: string) => {
    const parsed = parseStat(s);
    if (!parsed) throw new Error(`unparsed ${s}`);
    return b.stat(0, parsed);
  };

  it('follow the examples of CloudWatch statistics definitions over the values 1..100', () => {
    const b = oneToHundred();
    expect(stat(b, 'tm90')).toBe(45.5); // the highest 10% dropped
    expect(stat(b, 'TM(2%:98%)')).toBe(50.5); // 3..98
    expect(stat(b, 'IQM')).toBe(50.5); // 26..75
    expect(stat(b, 'TM(:90%)')).toBe(45.5);
    expect(stat(b, 'TM(10:20)')).toBe(15.5); // 10 < v <= 20
    expect(stat(b, 'wm98')).toBeCloseTo((4851 + 2 * 98) / 100, 10); // 99 and 100 count as p98
    expect(stat(b, 'WM(10%:90%)')).toBeCloseTo((10 * 10 + 4040 + 10 * 90) / 100, 10);
    expect(stat(b, 'WM(20:30)')).toBeCloseTo((20 * 20 + 255 + 70 * 30) / 100, 10);
    expect(stat(b, 'tc50')).toBe(50);
    expect(stat(b, 'ts50')).toBe(1275);
    expect(stat(b, 'TC(90%:)')).toBe(10);
    expect(stat(b, 'PR(:30)')).toBe(30); // share of points <= 30
    expect(stat(b, 'PR(10:20)')).toBe(10);
    expect(stat(b, 'TM(200:)')).toBeUndefined(); // nothing within the bounds
    expect(stat(b, 'TC(200:)')).toBe(0);
  });

  it('parse only what CloudWatch accepts', () => {
    for (const s of ['tm99.9', 'TM(10%:90%)', 'TM(:95%)', 'TM(150:1000)', 'WM(5%:)', 'TS(-5:5)', 'PR(100:2000)', 'PR(:300)', 'IQM', 'tc1', 'p99.5']) expect(parseStat(s), s).toBeDefined();
    for (const s of ['tm0', 'tm101', 'TM()', 'TM(:)', 'TM(90%:10%)', 'TM(101%:)', 'PR(10%:90%)', 'tm(90)', 'iqm', 'Median', 'TM(1:2:3)']) expect(parseStat(s), s).toBeUndefined();
  });

  it('equal brute force over random weighted values (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ v: fc.integer({ min: 0, max: 50 }), c: fc.integer({ min: 1, max: 4 }) }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 1, max: 100 }),
        fc.constantFrom('TM', 'WM', 'TC', 'TS'),
        (pts, a, bb, fn) => {
          fc.pre(a < bb);
          const b = new PeriodBuckets(0, 60_000, 60_000, true);
          for (const x of pts) b.add(point(1000, x.v, x.c));
          const sorted = pts.flatMap((x) => Array.from({ length: x.c }, () => x.v)).sort((x, y) => x - y);
          const n = sorted.length;
          const loRank = Math.ceil((a / 100) * n - 1e-9);
          const hiRank = Math.ceil((bb / 100) * n - 1e-9);
          const kept = sorted.slice(loRank, hiRank);
          const lowEdge = loRank > 0 ? sorted[loRank - 1] : -Infinity;
          const highEdge = sorted[Math.max(1, hiRank) - 1];
          const expected = {
            TM: kept.length > 0 ? kept.reduce((s, v) => s + v, 0) / kept.length : undefined,
            WM: sorted.reduce((s, v) => s + Math.min(Math.max(v, lowEdge), highEdge), 0) / n,
            TC: kept.length,
            TS: kept.reduce((s, v) => s + v, 0),
          }[fn as 'TM' | 'WM' | 'TC' | 'TS'];
          const got = stat(b, `${fn}(${a}%:${bb}%)`);
          if (expected === undefined) expect(got).toBeUndefined();
          else expect(got).toBeCloseTo(expected, 9);
        },
      ),
      { numRuns: 500 },
    );
  });
});
