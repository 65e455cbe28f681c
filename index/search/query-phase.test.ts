import { describe, expect, it, vi } from 'vitest';



import { compileQuery, parseQuery } from '../query/index.ts';
import { buildShard } from '../query/test-support.ts';
import { compareShardHits, executeQueryPhase, type QueryPhaseRequest } from './query-phase.ts';
import { parseSort, toHalfFloat } from './sort.ts';

const MAPPING = { properties: { msg: { type: 'text' }, tag: { type: 'keyword' }, n: { type: 'long' }, x: { type: 'double' } } };
const ctx = buildShard(MAPPING, [
  [{ msg: 'a', tag: 'k2', n: 5, x: 1.5 }, { msg: 'a b', tag: 'k1', n: 1 }, { msg: 'b', n: 9 }],
  [{ msg: 'a a', tag: 'k3', n: [3, 7] }, { msg: 'c', tag: 'k0' }],
], [[0, 2]]);

function run(query: unknown, extra: Partial<QueryPhaseRequest> = {}) {
  return executeQueryPhase(ctx, { query: compileQuery(parseQuery(query), ctx, { needsScores: true }), size: 10, ...extra });
}
const ids = (r: ReturnType<typeof run>) => r.hits.map((h) => `${h.segmentOrd}:${h.doc}`);

describe('executeQueryPhase', () => {
  it('counts exactly, removes deleted docs, and reports gte past track_total_hits', () => {
    expect(run({ match_all: {} }).totalHits).toEqual({ value: 4, relation: 'eq' });
    expect(run({ match_all: {} }, { trackTotalHits: 2 }).totalHits).toEqual({ value: 2, relation: 'gte' });
  });

  it('breaks score ties by segment then doc', () => {
    expect(ids(run({ match_all: {} }))).toEqual(['0:0', '0:1', '1:0', '1:1']);
  });

  it('sorts by numbers with mode and missing, rendering long extremes', () => {
    const r = run({ match_all: {} }, { sort: parseSort([{ n: 'desc' }]) });
    expect(r.hits.map((h) => h.sortValues)).toEqual([[7], [5], [1], [-9223372036854775808]]);
    const asc = run({ match_all: {} }, { sort: parseSort([{ n: { order: 'asc', missing: '_first' } }]) });
    expect(asc.hits.map((h) => h.sortValues![0])).toEqual([-9223372036854775808, 1, 3, 5]);
    const dbl = run({ match_all: {} }, { sort: parseSort(['x']) });
    expect(dbl.hits.map((h) => h.sortValues![0])).toEqual([1.5, 'Infinity', 'Infinity', 'Infinity']);
    expect(r.maxScore).toBeNull();
  });

  it('sorts keywords across segments, missing last, and pages with search_after', () => {
    const sort = parseSort(['tag:asc']);
    const r = run({ match_all: {} }, { sort });
    expect(r.hits.map((h) => h.sortValues![0])).toEqual(['k0', 'k1', 'k2', 'k3']);
    const page2 = run({ match_all: {} }, { sort, searchAfter: ['k1'] });
    expect(page2.hits.map((h) => h.sortValues![0])).toEqual(['k2', 'k3']);
    expect(page2.totalHits.value).toBe(4);
  });

  it('applies post_filter to hits but not to aggregation matches', () => {
    const r = run({ match_all: {} }, {
      postFilter: compileQuery(parseQuery({ term: { tag: 'k1' } }), ctx, { needsScores: false }), needAggMatches: true,
    });
    expect(ids(r)).toEqual(['0:1']);
    expect(r.aggMatches!.map((m) => m.docs.size)).toEqual([2, 2]);
  });

  it('honours terminate_after and min_score', () => {
    const t = run({ match_all: {} }, { terminateAfter: 1, needAggMatches: true });
    expect(t.totalHits.value).toBe(1);
    expect(t.terminatedEarly).toBe(true);
    const m = run({ match: { msg: 'a' } }, { minScore: 0.2 });
    expect(m.hits.every((h) => h.score >= 0.2)).toBe(true);
    expect(m.totalHits.value).toBe(m.hits.length);
  });

  it('orders hits of several shards by score, then shard index, then doc', () => {
    const a = { segmentOrd: 0, doc: 5, score: 1 };
    const b = { segmentOrd: 0, doc: 1, score: 1 };
    expect(compareShardHits(a, 0, b, 1)).toBeLessThan(0);
    expect(compareShardHits({ ...a, score: 2 }, 1, b, 0)).toBeLessThan(0);
  });

  it('rejects sorting on unmapped fields unless unmapped_type is given', () => {
    expect(() => run({ match_all: {} }, { sort: parseSort(['nope']) })).toThrow(/No mapping found for \[nope\]/);
    expect(run({ match_all: {} }, { sort: parseSort([{ nope: { unmapped_type: 'long' } }]) }).hits).toHaveLength(4);
  });

  it('reports matched named queries (with their own scores when asked)', () => {
    const q = { bool: { should: [{ term: { tag: { value: 'k1', _name: 'one' } } }, { term: { n: { value: 1, _name: 'n1', boost: 10 } } }, { match: { msg: { query: 'b', _name: 'b' } } }] } };
    const r = run(q);
    const byDoc = new Map(r.hits.map((h) => [`${h.segmentOrd}:${h.doc}`, h.matchedQueries]));
    expect(byDoc.get('0:1')).toEqual(['one', 'n1', 'b']);
    const scored = run(q, { includeNamedQueriesScore: true });
    expect((scored.hits.find((h) => h.doc === 1 && h.segmentOrd === 0)!.matchedQueries as Record<string, number>).n1).toBe(10);
  });
});

describe('sort values', () => {
  it('rounds half_float sort values to 16-bit precision', () => {
    expect(toHalfFloat(184.4)).toBe(184.375);
    expect(toHalfFloat(194.4)).toBe(194.375);
    expect(toHalfFloat(65519)).toBe(65504);
    expect(toHalfFloat(-0.1)).toBe(-0.0999755859375);
    const hctx = buildShard({ properties: { p: { type: 'half_float' } } }, [[{ p: 184.4 }, { p: 194.4 }, { p: 164.4 }]]);
    const sort = parseSort([{ p: 'asc' }]);
    const all = executeQueryPhase(hctx, { query: compileQuery(parseQuery({ match_all: {} }), hctx, { needsScores: false }), size: 10, sort });
    expect(all.hits.map((h) => h.sortValues![0])).toEqual([164.375, 184.375, 194.375]);
    const after = executeQueryPhase(hctx, { query: compileQuery(parseQuery({ match_all: {} }), hctx, { needsScores: false }), size: 10, sort, searchAfter: [184.375] });
    expect(after.hits.map((h) => h.sortValues![0])).toEqual([194.375]);
  });

  it('reads string search_after values of date fields with the field format', () => {
    const dctx = buildShard({ properties: { ts: { type: 'date', format: 'yyyy-MM-dd HH:mm:ss.SSS' } } }, [
      [{ ts: Date.UTC(2019, 9, 21, 0, 30) }, { ts: Date.UTC(2019, 9, 21, 8, 30) }, {}],
    ]);
    const sort = parseSort([{ ts: { order: 'asc', missing: '_last' } }]);
    const after = executeQueryPhase(dctx, {
      query: compileQuery(parseQuery({ match_all: {} }), dctx, { needsScores: false }), size: 10, sort, searchAfter: ['2019-10-21 00:30:00.000'],
    });
    expect(after.hits.map((h) => h.doc)).toEqual([1, 2]);
  });
});
