import { describe, expect, it } from 'vitest';
import { compileQuery } from './compile-query.ts';
import { parseQuery } from './registry.ts';
import { extractValues } from './terms-lookup.ts';
import { buildShard } from './test-support.ts';

const ctx = buildShard({ properties: { user: { type: 'keyword' }, sid: { type: 'integer' } } }, [
  [{ user: 'u1', sid: 111 }, { user: 'u2', sid: 222 }, { user: 'u3', sid: 333 }],
]);
const count = (json: unknown) => compileQuery(parseQuery(json), ctx, { needsScores: false }).matches(ctx.segments[0], 0).size;

describe('terms lookup', () => {
  it('parses and renders the lookup, and refuses to run one the coordinator did not resolve', () => {
    const q = parseQuery({ terms: { user: { index: 'people', id: 'x', path: 'follows' } } });
    expect(q).toMatchObject({ type: 'terms', field: 'user', values: [], lookup: { index: 'people', id: 'x', path: 'follows' } });
    expect(() => compileQuery(q, ctx, { needsScores: false })).toThrow('[terms] terms lookup is not supported');
    expect(() => parseQuery({ terms: { user: { index: 'people', path: 'follows' } } })).toThrow('requires specifying the id');
  });

  it('extracts lookup values through arrays and dotted keys', () => {
    expect(extractValues({ 'a.b': [1, 2], a: { b: 'x', c: 3 } }, 'a.b')).toEqual([1, 2, 'x']);
    expect(extractValues({ a: [{ f: ['u1'] }, { f: 'u3' }] }, 'a.f')).toEqual(['u1', 'u3']);
  });
});

describe('terms with value_type bitmap', () => {
  it('matches integer doc values contained in a base64 portable RoaringBitmap', () => {
    expect(count({ terms: { sid: ['OjAAAAEAAAAAAAEAEAAAAG8A3gA='], value_type: 'bitmap' } })).toBe(2); // {111, 222}
    expect(() => count({ terms: { user: ['OjAAAAEAAAAAAAEAEAAAAG8A3gA='], value_type: 'bitmap' } })).toThrow(/does not support bitmap/);
  });

  it('enforces index.max_terms_count', () => {
    const small = { ...ctx, settings: { 'index.max_terms_count': '2' } };
    expect(() => compileQuery(parseQuery({ terms: { user: ['a', 'b', 'c'] } }), small, { needsScores: false }))
      .toThrow('The number of terms [3] used in the Terms Query request has exceeded the allowed maximum of [2].');
  });
});
