import { describe, expect, it } from 'vitest';
import { OpenSearchError } from '../errors.ts';
import { compileQuery } from './compile-query.ts';
import { parseQuery } from './registry.ts';
import { buildShard } from './test-support.ts';

// ids are 0..4 across the two segments; index name "test".
const ctx = buildShard({ properties: { tag: { type: 'keyword' }, bin: { type: 'binary' }, geo: { type: 'geo_point' } } }, [
  [{ tag: 'a', bin: 'YWJj' }, { tag: 'b', _routing: 'r1' }, { tag: 'c', geo: [1, 2] }],
  [{ tag: 'd', geo: { lat: 1, lon: 2 }, bin: null }, { tag: 'e', _routing: 'r2' }],
]);

/** Matching ids of a query. */
function ids(json: unknown): string[] {
  const q = compileQuery(parseQuery(json), ctx, { needsScores: false });
  return ctx.segments.flatMap((seg, s) => [...q.matches(seg, s)].map((d) => seg.meta.ids.get(d)));
}

describe('metadata fields', () => {
  it('finds docs by _id through term, terms, prefix and range', () => {
    expect(ids({ term: { _id: 1 } })).toEqual(['1']);
    expect(ids({ terms: { _id: ['0', '4', 'x'] } })).toEqual(['0', '4']);
    expect(ids({ prefix: { _id: '3' } })).toEqual(['3']);
    expect(ids({ range: { _id: { gte: '1', lt: '3' } } })).toEqual(['1', '2']);
    expect(ids({ query_string: { query: '_id:3 OR _routing:r1' } })).toEqual(['1', '3']);
  });

  it('matches _index against the index name, with wildcards', () => {
    expect(ids({ term: { _index: 'test' } })).toHaveLength(5);
    expect(ids({ term: { _index: 'te*' } })).toHaveLength(5);
    expect(ids({ terms: { _index: ['other', 'nope*'] } })).toEqual([]);
  });

  it('answers exists on metadata fields and refuses _source', () => {
    expect(ids({ exists: { field: '_routing' } })).toEqual(['1', '4']);
    expect(ids({ term: { _routing: 'r2' } })).toEqual(['4']);
    expect(ids({ exists: { field: '_seq_no' } })).toHaveLength(5);
    expect(ids({ range: { _seq_no: { gte: 2, lte: 3 } } })).toEqual(['1', '2']);
    const e = (() => {
      try {
        ids({ exists: { field: '_source' } });
      } catch (err) {
        return err as OpenSearchError;
      }
    })();
    expect(e?.type).toBe('query_shard_exception');
  });

  it('answers exists on binary and geo_point fields from _source', () => {
    expect(ids({ exists: { field: 'bin' } })).toEqual(['0']);
    expect(ids({ exists: { field: 'geo' } })).toEqual(['2', '3']);
  });
});
