import { describe, expect, it } from 'vitest';
import { executeQueryPhase } from '../search/query-phase.ts';
import { compileQuery } from './compile-query.ts';
import { parseQuery } from './registry.ts';
import { buildShard } from './test-support.ts';

// The documents of OpenSearch's 230_interval_query.yml (punctuation dropped: the test analyzer splits on spaces).
const TEXTS = [
  'Some like hot and dry some like it cold and wet',
  'Its cold outside theres no kind of atmosphere',
  'Baby its cold there outside',
  'Outside it is cold and wet',
  'cold rain makes it wet',
  'that is some cold cold rain',
];
const ctx = buildShard({ properties: { text: { type: 'text' }, tag: { type: 'keyword' } } }, [TEXTS.slice(0, 3).map((text) => ({ text })), TEXTS.slice(3).map((text) => ({ text }))]);

/** Matching doc numbers (1-based, as the YAML ids) of an intervals rule on `text`. */
function matching(rule: unknown): number[] {
  const q = compileQuery(parseQuery({ intervals: { text: rule } }), ctx, { needsScores: true });
  const out: number[] = [];
  ctx.segments.forEach((seg, s) => {
    for (const d of q.matches(seg, s)) out.push(s * 3 + d + 1);
  });
  return out.sort((a, b) => a - b);
}
const m = (query: string, extra: object = {}) => ({ match: { query, ...extra } });

describe('intervals', () => {
  it('matches terms unordered by default, ordered on request, as a phrase with max_gaps 0', () => {
    expect(matching(m('cold outside'))).toEqual([2, 3, 4]);
    expect(matching(m('cold outside', { mode: 'ordered' }))).toEqual([2, 3]);
    expect(matching(m('cold outside', { ordered: true }))).toEqual([2, 3]);
    expect(matching(m('cold outside', { mode: 'ordered', max_gaps: 0 }))).toEqual([2]);
    expect(matching(m('cold outside', { max_gaps: 1 }))).toEqual([2, 3]);
  });

  it('lets unordered parts overlap unless unordered_no_overlap', () => {
    expect(matching(m('cold wet it'))).toEqual([1, 4, 5]);
    expect(matching(m('cold wet it', { mode: 'unordered_no_overlap' }))).toEqual([1, 4]);
    const nested = (mode: string) => ({ all_of: { intervals: [{ any_of: { intervals: [m('cold'), m('hot')] } }, m('cold')], mode } });
    expect(matching(nested('unordered'))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(matching(nested('unordered_no_overlap'))).toEqual([1, 6]);
  });

  it('needs distinct positions for a term repeated in an unordered match', () => {
    expect(matching(m('cold cold'))).toEqual([6]);
    expect(matching(m('cold cold rain'))).toEqual([6]);
  });

  it('applies filters against the filter rule intervals', () => {
    const coldOutside = { all_of: { intervals: [m('cold'), m('outside')], mode: 'unordered' } };
    expect(matching({ all_of: { ...coldOutside.all_of, filter: { containing: m('is') } } })).toEqual([4]);
    expect(matching({ all_of: { ...coldOutside.all_of, filter: { not_containing: m('is') } } })).toEqual([2, 3]);
    expect(matching(m('is', { filter: { contained_by: coldOutside } }))).toEqual([4]);
    expect(matching(m('it', { filter: { not_contained_by: coldOutside } }))).toEqual([1, 5]);
    expect(matching(m('cold', { filter: { before: m('outside') } }))).toEqual([2, 3]);
    expect(matching(m('cold', { filter: { after: m('outside') } }))).toEqual([4]);
    expect(matching(m('cold outside', { mode: 'ordered', filter: { overlapping: m('baby there', { mode: 'unordered' }) } }))).toEqual([3]);
  });

  it('expands prefix, wildcard, regexp and fuzzy rules over the term dictionary', () => {
    const withCold = (rule: unknown) => matching({ all_of: { intervals: [m('cold'), rule] } });
    expect(withCold({ prefix: { prefix: 'out' } })).toEqual([2, 3, 4]);
    expect(withCold({ wildcard: { pattern: 'out?ide' } })).toEqual([2, 3, 4]);
    expect(matching({ regexp: { pattern: 'at[a-z]{2,}here' } })).toEqual([2]);
    expect(matching({ regexp: { pattern: 'AT[a-z]{2,}HERE', case_insensitive: true } })).toEqual([2]);
    expect(matching({ all_of: { intervals: [{ fuzzy: { term: 'cald' } }, { prefix: { prefix: 'out' } }] } })).toEqual([2, 3, 4]);
  });

  it('scores boost · f / (f + 1) with f the sum of 1 / interval width, and refuses non-text fields', () => {
    const r = executeQueryPhase(ctx, { query: compileQuery(parseQuery({ intervals: { text: { match: { query: 'cold' }, boost: 2 } } }), ctx, { needsScores: true }), size: 10 });
    // doc 6 has "cold" twice: f = 2 → 2 · 2/3; the others once: 2 · 1/2.
    expect(r.hits[0].score).toBe(Math.fround(2 * Math.fround(2 / 3)));
    expect(r.hits[1].score).toBe(1);
    expect(() => compileQuery(parseQuery({ intervals: { tag: m('x') } }), ctx, { needsScores: true }))
      .toThrow('Can only use interval queries on text fields - not on [tag] which is of type [keyword]');
  });
});
