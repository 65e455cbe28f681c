import { describe, expect, it } from 'vitest';
import { hasTermsLookupJson, rewriteTermsLookups } from './terms-lookup-rewrite.ts';

describe('rewriteTermsLookups', () => {
  it('replaces lookups anywhere in the tree, fetching each document once', () => {
    const q = { bool: { must: [{ terms: { user: { index: 'l', id: '1', path: 'f.ids' }, boost: 2 } }], should: [{ terms: { other: { index: 'l', id: '1', path: 'x' } } }] } };
    let fetches = 0;
    const out = rewriteTermsLookups(q, () => {
      fetches++;
      return { f: [{ ids: ['a', 'b'] }, { ids: 'c' }], x: 7 };
    });
    expect(out).toEqual({ bool: { must: [{ terms: { user: ['a', 'b', 'c'], boost: 2 } }], should: [{ terms: { other: [7] } }] } });
    expect(fetches).toBe(1);
  });

  it('leaves plain terms queries alone and matches nothing for a missing document', () => {
    expect(hasTermsLookupJson({ terms: { user: ['a'] } })).toBe(false);
    expect(rewriteTermsLookups({ terms: { user: { index: 'l', id: '9', path: 'p' } } }, () => null)).toEqual({ terms: { user: [] } });
  });
});
