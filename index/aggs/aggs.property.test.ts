// Invariants over random documents: every aggregation gives the same answer on 1 shard as on N shards
// (exactly, or within documented bounds for percentiles), and matches a brute-force computation.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runAggs } from './test-support.ts';

const mapping = { properties: { n: { type: 'integer' }, d: { type: 'double' }, k: { type: 'keyword' }, t: { type: 'date' }, ip: { type: 'ip' } } };
const T0 = Date.UTC(2024, 0, 1);

const docArb = fc.record({
  n: fc.option(fc.integer({ min: -50, max: 50 }), { nil: undefined }),
  d: fc.option(fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true, noDefaultInfinity: true }), { maxLength: 3 }), { nil: undefined }),
  k: fc.option(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), { maxLength: 2 }), { nil: undefined }),
  t: fc.option(fc.integer({ min: 0, max: 30 * 86400 }).map((s) => new Date(T0 + s * 1000).toISOString()), { nil: undefined }),
  ip: fc.option(fc.constantFrom('10.0.0.1', '10.0.0.2', '192.168.1.1', '::1'), { nil: undefined }),
}).map((d) => Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined)));

/** Aggregations whose result must not depend on how docs are spread over shards and segments. */
const EXACT = {
  terms: { terms: { field: 'k', size: 100 }, aggs: { s: { sum: { field: 'n' } }, mx: { max: { field: 'd' } }, c: { cardinality: { field: 'ip' } } } },
  terms_n: { terms: { field: 'n', size: 200, order: { _key: 'asc' } } },
  multi: { multi_terms: { terms: [{ field: 'k' }, { field: 'ip' }], size: 100 } },
  rare: { rare_terms: { field: 'k', max_doc_count: 3 } },
  histo: { histogram: { field: 'n', interval: 10 }, aggs: { v: { value_count: { field: 'k' } }, cs: { cumulative_sum: { buckets_path: '_count' } }, dv: { derivative: { buckets_path: '_count' } } } },
  dh: { date_histogram: { field: 't', calendar_interval: 'week' }, aggs: { st: { stats: { field: 'n' } } } },
  dh_fixed: { date_histogram: { field: 't', fixed_interval: '3d', min_doc_count: 1 } },
  dh_fixed_sub: { date_histogram: { field: 't', fixed_interval: '1d' }, aggs: { a: { avg: { field: 'n' } }, st: { stats: { field: 'n' } }, c: { value_count: { field: 'n' } } } },
  stats: { extended_stats: { field: 'n' } },
  avg: { avg: { field: 'n' } },
  wavg: { weighted_avg: { value: { field: 'n' }, weight: { field: 'n' } } },
  card: { cardinality: { field: 'k' } },
  card_n: { cardinality: { field: 'n' } },
  range: { range: { field: 'n', ranges: [{ to: 0 }, { from: 0, to: 25 }, { from: 25 }] } },
  dr: { date_range: { field: 't', ranges: [{ to: '2024-01-10' }, { from: '2024-01-10' }] } },
  ipr: { ip_range: { field: 'ip', ranges: [{ to: '10.0.0.2' }, { mask: '192.168.0.0/16' }] } },
  filters: { filters: { filters: { a: { term: { k: 'a' } }, big: { range: { n: { gte: 10 } } } }, other_bucket: true } },
  missing: { missing: { field: 'ip' } },
  global: { global: {}, aggs: { m: { min: { field: 'd' } } } },
  comp: { composite: { size: 500, sources: [{ k: { terms: { field: 'k', missing_bucket: true } } }, { h: { histogram: { field: 'n', interval: 20 } } }] } },
  sum_b: { sum_bucket: { buckets_path: 'terms>s' } },
  max_b: { max_bucket: { buckets_path: 'terms>_count' } },
};

describe('aggregations over random documents', () => {
  it('1 shard equals N shards (exact aggregations)', () => {
    fc.assert(fc.property(fc.array(docArb, { maxLength: 60 }), fc.integer({ min: 2, max: 4 }), (docs, n) => {
      const one = runAggs(mapping, docs, EXACT);
      const many = runAggs(mapping, docs, EXACT, { shards: n, segments: 2 });
      expect(many).toEqual(one);
    }), { numRuns: 40 });
  });

  it('percentiles stay within the data range and rank bounds on N shards', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 300 }), fc.integer({ min: 1, max: 4 }), (values, n) => {
      const docs = values.map((d) => ({ d, n: Math.round(Math.abs(d)) }));
      const r = runAggs(mapping, docs, { p: { percentiles: { field: 'd', percents: [1, 50, 99] } }, h: { percentiles: { field: 'n', percents: [50], hdr: {} } } }, { shards: n }) as any;
      const one = runAggs(mapping, docs, { h: { percentiles: { field: 'n', percents: [50], hdr: {} } } }) as any;
      expect(r.h).toEqual(one.h); // HDR histograms merge exactly
      const sorted = [...values].sort((a, b) => a - b);
      for (const [pct, v] of Object.entries(r.p.values) as [string, number][]) {
        expect(v).toBeGreaterThanOrEqual(sorted[0]);
        expect(v).toBeLessThanOrEqual(sorted[sorted.length - 1]);
        // t-digest with compression 100: rank error well under 5% of n for these sizes
        const rank = sorted.filter((x) => x <= v).length / sorted.length;
        expect(Math.abs(rank - Number(pct) / 100)).toBeLessThanOrEqual(0.05 + 2 / sorted.length);
      }
    }), { numRuns: 40 });
  });

  it('terms, stats, cardinality and filters equal brute force', () => {
    fc.assert(fc.property(fc.array(docArb, { maxLength: 60 }), (docs) => {
      const r = runAggs(mapping, docs, EXACT, { shards: 3 }) as any;
      const counts = new Map<string, number>();
      for (const d of docs) for (const k of new Set((d.k as string[] | undefined) ?? [])) counts.set(k, (counts.get(k) ?? 0) + 1);
      const expected = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      expect(r.terms.buckets.map((b: any) => [b.key, b.doc_count])).toEqual(expected);
      const ns = docs.map((d) => d.n as number | undefined).filter((v): v is number => v !== undefined);
      expect(r.stats.count).toBe(ns.length);
      expect(r.stats.sum).toBe(ns.reduce((a, b) => a + b, 0));
      expect(r.avg.value).toBe(ns.length ? ns.reduce((a, b) => a + b, 0) / ns.length : null);
      expect(r.card.value).toBe(counts.size);
      expect(r.card_n.value).toBe(new Set(ns).size);
      expect(r.filters.buckets.a.doc_count).toBe(counts.get('a') ?? 0);
      expect(r.filters.buckets.big.doc_count).toBe(ns.filter((v) => v >= 10).length);
      expect(r.missing.doc_count).toBe(docs.filter((d) => d.ip === undefined).length);
      expect(r.range.buckets.map((b: any) => b.doc_count)).toEqual([ns.filter((v) => v < 0).length, ns.filter((v) => v >= 0 && v < 25).length, ns.filter((v) => v >= 25).length]);
      const histo = new Map<number, number>();
      for (const v of ns) histo.set(Math.floor(v / 10) * 10, (histo.get(Math.floor(v / 10) * 10) ?? 0) + 1);
      const nonEmpty = r.histo.buckets.filter((b: any) => b.doc_count > 0).map((b: any) => [b.key, b.doc_count]);
      expect(nonEmpty).toEqual([...histo].sort((a, b) => a[0] - b[0]));
    }), { numRuns: 40 });
  });
});
