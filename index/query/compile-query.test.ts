import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';


// Date math is the real one (index/dates).
import { executeQueryPhase } from '../search/query-phase.ts';
import { compileQuery } from './compile-query.ts';
import { parseQuery } from './registry.ts';
import type { Query } from './query.ts';
import { buildShard } from './test-support.ts';
import type { ShardSearchContext } from '../search/shard-context.ts';

const MAPPING = {
  properties: {
    msg: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
    tag: { type: 'keyword' },
    n: { type: 'long' },
    flag: { type: 'boolean' },
  },
};

const f = Math.fround;
/** BM25 straight from the formula, float32 at every step. */
function bm25(df: number, docCount: number, sttf: number, freq: number, len: number, boost = 1): number {
  const idf = f(Math.log(1 + (docCount - df + 0.5) / (df + 0.5)));
  const w = f(f(boost) * idf);
  const avgdl = f(sttf / docCount);
  const ni = f(1 / f(f(1.2) * f(f(1 - f(0.75)) + f(f(f(0.75) * len) / avgdl))));
  return f(w - f(w / f(1 + f(freq * ni))));
}

function search(ctx: ShardSearchContext, json: unknown, size = 10) {
  return executeQueryPhase(ctx, { query: compileQuery(parseQuery(json), ctx, { needsScores: true }), size });
}

describe('BM25 scoring', () => {
  it('equals the well-known single-document score 0.13076457', () => {
    const ctx = buildShard(MAPPING, [[{ msg: 'foo' }]]);
    expect(search(ctx, { match: { msg: 'foo' } }).hits[0].score).toBe(f(0.13076457));
  });

  it('matches Lucene float math for freqs, lengths and boosts', () => {
    const ctx = buildShard(MAPPING, [[{ msg: 'a b' }, { msg: 'a' }], [{ msg: 'b c d a a' }]]);
    const r = search(ctx, { match: { msg: { query: 'a', boost: 2 } } });
    const byId = new Map(r.hits.map((h) => [`${h.segmentOrd}:${h.doc}`, h.score]));
    expect(byId.get('0:1')).toBe(bm25(3, 3, 8, 1, 1, 2));
    expect(byId.get('0:0')).toBe(bm25(3, 3, 8, 1, 2, 2));
    expect(byId.get('1:0')).toBe(bm25(3, 3, 8, 2, 5, 2));
    expect(r.maxScore).toBe(r.hits[0].score);
  });

  it('sums bool clauses, takes dis_max, constant_score and match_all boosts', () => {
    const ctx = buildShard(MAPPING, [[{ msg: 'a b', tag: 'x' }, { msg: 'a', tag: 'y' }, { msg: 'c' }]]);
    const a = bm25(2, 3, 4, 1, 2);
    const b = bm25(1, 3, 4, 1, 2);
    expect(search(ctx, { bool: { should: [{ match: { msg: 'a' } }, { match: { msg: 'b' } }] } }).hits[0].score).toBe(f(a + b));
    expect(search(ctx, { dis_max: { queries: [{ match: { msg: 'a' } }, { match: { msg: 'b' } }], tie_breaker: 0.5 } }).hits[0].score).toBe(f(Math.max(a, b) + 0.5 * Math.min(a, b)));
    expect(search(ctx, { constant_score: { filter: { term: { tag: 'x' } }, boost: 3 } }).hits[0].score).toBe(3);
    expect(search(ctx, { match_all: { boost: 2 } }).hits[0].score).toBe(2);
    expect(search(ctx, { bool: { filter: { term: { tag: 'x' } } } }).hits[0].score).toBe(0);
  });

  it('scores exact and sloppy phrases by phrase frequency', () => {
    const ctx = buildShard(MAPPING, [[{ msg: 'quick brown fox' }, { msg: 'quick red brown fox' }, { msg: 'brown quick' }]]);
    const exact = search(ctx, { match_phrase: { msg: 'quick brown' } });
    expect(exact.hits.map((h) => h.doc)).toEqual([0]);
    const sloppy = search(ctx, { match_phrase: { msg: { query: 'quick brown', slop: 1 } } });
    expect(sloppy.hits.map((h) => h.doc).sort()).toEqual([0, 1]);
    expect(sloppy.hits[0].doc).toBe(0);
    expect(search(ctx, { match_phrase: { msg: { query: 'quick brown', slop: 3 } } }).totalHits.value).toBe(3);
  });
});

// --- property tests -------------------------------------------------------------------------

const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'eps', 'zeta', 'eta', 'theta'];
const TAGS = ['a', 'ab', 'abc', 'b', 'bc', 'c'];
const docArb = fc.record({
  msg: fc.option(fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 6 }).map((w) => w.join(' ')), { nil: undefined }),
  tag: fc.option(fc.constantFrom(...TAGS), { nil: undefined }),
  n: fc.option(fc.integer({ min: -5, max: 20 }), { nil: undefined }),
  flag: fc.option(fc.boolean(), { nil: undefined }),
});

type Doc = { msg?: string; tag?: string; n?: number; flag?: boolean };
type Pred = (d: Doc) => boolean;

const leafArb: fc.Arbitrary<[unknown, Pred]> = fc.oneof(
  fc.constantFrom(...TAGS).map((t): [unknown, Pred] => [{ term: { tag: t } }, (d) => d.tag === t]),
  fc.constantFrom(...WORDS).map((w): [unknown, Pred] => [{ term: { msg: w } }, (d) => (d.msg ?? '').split(' ').includes(w)]),
  fc.subarray(TAGS, { minLength: 1 }).map((ts): [unknown, Pred] => [{ terms: { tag: ts } }, (d) => d.tag !== undefined && ts.includes(d.tag)]),
  fc.tuple(fc.integer({ min: -6, max: 21 }), fc.integer({ min: -6, max: 21 }), fc.boolean(), fc.boolean()).map(([a, b, il, iu]): [unknown, Pred] => [
    { range: { n: { [il ? 'gte' : 'gt']: a, [iu ? 'lte' : 'lt']: b } } },
    (d) => d.n !== undefined && (il ? d.n >= a : d.n > a) && (iu ? d.n <= b : d.n < b),
  ]),
  fc.tuple(fc.constantFrom(...TAGS), fc.constantFrom(...TAGS)).map(([a, b]): [unknown, Pred] => [
    { range: { tag: { gte: a, lt: b } } }, (d) => d.tag !== undefined && d.tag >= a && d.tag < b,
  ]),
  fc.constantFrom('a', 'b', 'ab', 'x').map((p): [unknown, Pred] => [{ prefix: { tag: p } }, (d) => d.tag !== undefined && d.tag.startsWith(p)]),
  fc.constantFrom('msg', 'tag', 'n', 'flag', 'msg.keyword').map((fl): [unknown, Pred] => [
    { exists: { field: fl } }, (d) => (fl === 'msg.keyword' ? d.msg : d[fl as keyof Doc]) !== undefined,
  ]),
  fc.boolean().map((b): [unknown, Pred] => [{ term: { flag: b } }, (d) => d.flag === b]),
);

const queryArb: fc.Arbitrary<[unknown, Pred]> = fc.letrec((tie) => ({
  q: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leafArb, tie('bool') as fc.Arbitrary<[unknown, Pred]>),
  bool: fc.record({
    must: fc.array(tie('q') as fc.Arbitrary<[unknown, Pred]>, { maxLength: 2 }),
    filter: fc.array(tie('q') as fc.Arbitrary<[unknown, Pred]>, { maxLength: 2 }),
    should: fc.array(tie('q') as fc.Arbitrary<[unknown, Pred]>, { maxLength: 3 }),
    must_not: fc.array(tie('q') as fc.Arbitrary<[unknown, Pred]>, { maxLength: 2 }),
    msm: fc.option(fc.constantFrom(1, 2, -1, '50%', '2<75%'), { nil: undefined }),
  }).map(({ must, filter, should, must_not, msm }): [unknown, Pred] => {
    const json: Record<string, unknown> = { must: must.map((x) => x[0]), filter: filter.map((x) => x[0]), should: should.map((x) => x[0]), must_not: must_not.map((x) => x[0]) };
    if (msm !== undefined) json.minimum_should_match = msm;
    const required = must.length + filter.length;
    const pred: Pred = (d) => {
      // OpenSearch rewrites a bool without clauses to match_all, whatever minimum_should_match says.
      if (must.length + filter.length + should.length + must_not.length === 0) return true;
      if (![...must, ...filter].every((x) => x[1](d))) return false;
      if (must_not.some((x) => x[1](d))) return false;
      let k = msm === undefined ? 0 : msmOf(should.length, msm);
      // Lucene: more required should clauses than exist matches nothing (even with zero shoulds).
      if (k > should.length) return false;
      if (should.length === 0) return true;
      if (required === 0) k = Math.max(1, k);
      return should.filter((x) => x[1](d)).length >= k;
    };
    return [{ bool: json }, pred];
  }),
})).q;

function msmOf(n: number, spec: number | string): number {
  if (spec === '50%') return Math.trunc(n * 0.5);
  if (spec === '2<75%') return n <= 2 ? n : Math.trunc(f(f(n * 75) * f(0.01)));
  const v = Number(spec);
  return Math.max(0, v < 0 ? n + v : v);
}

describe('compileQuery matches equal a brute-force scan', () => {
  it('for term, terms, range, prefix, exists and nested bool queries over segments with deletes', () => {
    fc.assert(
      fc.property(fc.array(fc.array(docArb, { maxLength: 12 }), { minLength: 1, maxLength: 3 }), fc.array(fc.nat(), { maxLength: 4 }), queryArb, (segs, dels, [json, pred]) => {
        const deleted: Array<[number, number]> = [];
        for (const x of dels) {
          const s = x % segs.length;
          if (segs[s].length > 0) deleted.push([s, x % segs[s].length]);
        }
        const ctx = buildShard(MAPPING, segs as Record<string, unknown>[][], deleted);
        const q = compileQuery(parseQuery(json), ctx, { needsScores: false });
        segs.forEach((docs, s) => {
          const expected = docs.map((d, i) => i).filter((i) => !deleted.some(([a, b]) => a === s && b === i) && pred(docs[i] as Doc));
          expect([...q.matches(ctx.segments[s], s)]).toEqual(expected);
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('top-k with block skipping', () => {
  it('equals exhaustive scoring on random match/bool queries over Zipf-distributed words', () => {
    const vocab = Array.from({ length: 40 }, (_, i) => `w${i}`);
    const zipf = fc.integer({ min: 1, max: 1000 }).map((r) => vocab[Math.min(vocab.length - 1, Math.floor(vocab.length ** (r / 1000)) - 1)]);
    const docs = fc.array(fc.array(zipf, { minLength: 1, maxLength: 12 }).map((w) => ({ msg: w.join(' ') })), { minLength: 50, maxLength: 700 });
    const qArb = fc.oneof(
      fc.array(fc.constantFrom(...vocab.slice(0, 10)), { minLength: 1, maxLength: 3 }).map((w) => ({ match: { msg: w.join(' ') } })),
      fc.tuple(fc.constantFrom(...vocab.slice(0, 5)), fc.constantFrom(...vocab.slice(0, 20)), fc.constantFrom(...vocab)).map(([a, b, c]) => ({
        bool: { must: [{ match: { msg: a } }], should: [{ match: { msg: b } }, { match: { msg: { query: c, boost: 3 } } }] },
      })),
      fc.tuple(fc.constantFrom(...vocab.slice(0, 8)), fc.constantFrom(...vocab.slice(0, 8))).map(([a, b]) => ({
        dis_max: { queries: [{ match: { msg: a } }, { match: { msg: b } }], tie_breaker: 0.3 },
      })),
    );
    fc.assert(
      fc.property(docs, qArb, fc.integer({ min: 1, max: 3 }), fc.array(fc.nat(), { maxLength: 60 }), (d, json, nSegs, dels) => {
        const per = Math.ceil(d.length / nSegs);
        const segs = Array.from({ length: nSegs }, (_, i) => d.slice(i * per, (i + 1) * per));
        // Deleted docs must never be collected, whichever way a block is scored.
        const deleted: Array<[number, number]> = dels.map((x) => [x % nSegs, x % Math.max(1, segs[x % nSegs].length)] as [number, number]).filter(([s, i]) => i < segs[s].length);
        const ctx = buildShard(MAPPING, segs, deleted);
        const compiled = compileQuery(parseQuery(json as Query extends never ? never : unknown), ctx, { needsScores: true });
        const top = executeQueryPhase(ctx, { query: compiled, size: 10 });
        // Exhaustive reference: score every match, sort by score desc then (segment, doc).
        const all: Array<[number, number, number]> = [];
        ctx.segments.forEach((seg, s) => {
          const scorer = compileQuery(parseQuery(json), ctx, { needsScores: true }).scorer(seg, s);
          for (const doc of compiled.matches(seg, s)) all.push([scorer.score(doc), s, doc]);
        });
        all.sort((a, b) => b[0] - a[0] || a[1] - b[1] || a[2] - b[2]);
        expect(top.hits.map((h) => [h.score, h.segmentOrd, h.doc])).toEqual(all.slice(0, 10));
        expect(top.totalHits.value).toBe(all.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe('date ranges', () => {
  it('round inclusive upper bounds up and exclusive lower bounds past the unit', () => {
    const ctx = buildShard({ properties: { ts: { type: 'date' } } }, [[
      { ts: Date.UTC(2025, 0, 1, 0, 0) }, { ts: Date.UTC(2025, 0, 1, 23, 59, 59, 999) }, { ts: Date.UTC(2025, 0, 2) },
    ]]);
    const count = (r: unknown) => search(ctx, { range: { ts: r } }).totalHits.value;
    expect(count({ gte: '2025-01-01', lte: '2025-01-01||/d' })).toBe(2);
    expect(count({ gt: '2025-01-01||/d' })).toBe(1);
    expect(count({ gte: 'now/d', lt: 'now/d+1d' })).toBe(2);
  });
});

// OpenSearch rounds a plain inclusive upper date up to the unit's last millisecond (lte 2025-01-01 →
// 23:59:59.999), not to the next day's first millisecond.
describe('date ranges without a time', () => {
  it('lte on a plain date includes the whole day but not the next', () => {
    const ctx = buildShard({ properties: { ts: { type: 'date' } } }, [[{ ts: Date.UTC(2025, 0, 1, 23, 59, 59, 999) }, { ts: Date.UTC(2025, 0, 2) }]]);
    expect(search(ctx, { range: { ts: { lte: '2025-01-01' } } }).totalHits.value).toBe(1);
  });
});
