import { describe, expect, it } from 'vitest';
import { executeQueryPhase } from '../search/query-phase.ts';
import { compileQuery } from './compile-query.ts';
import { parseQuery } from './registry.ts';
import { buildShard } from './test-support.ts';

const ctx = buildShard({ properties: { msg: { type: 'text' }, other: { type: 'text' } } }, [[
  { msg: 'some short words with a stupendously long one' },
  { msg: 'short and then words' },
  { msg: 'words short', other: 'short' },
]]);
const docs = (json: unknown) => [...compileQuery(parseQuery(json), ctx, { needsScores: false }).matches(ctx.segments[0], 0)];
const t = (v: string) => ({ span_term: { msg: v } });

describe('span queries', () => {
  it('span_near keeps order and slop unless in_order is false', () => {
    expect(docs({ span_near: { clauses: [t('short'), t('words')] } })).toEqual([0]);
    expect(docs({ span_near: { clauses: [t('short'), t('words')], slop: 2 } })).toEqual([0, 1]);
    expect(docs({ span_near: { clauses: [t('short'), t('words')], in_order: false } })).toEqual([0, 2]);
    expect(docs({ span_near: { clauses: [t('short'), { span_multi: { match: { prefix: { msg: 'wor' } } } }] } })).toEqual([0]);
  });

  it('span_first, span_or, span_not, span_containing and span_within', () => {
    expect(docs({ span_first: { match: t('short'), end: 1 } })).toEqual([1]);
    expect(docs({ span_or: { clauses: [t('then'), t('some')] } })).toEqual([0, 1]);
    expect(docs({ span_not: { include: t('short'), exclude: t('words'), post: 1 } })).toEqual([1, 2]);
    expect(docs({ span_not: { include: t('short'), exclude: t('words'), dist: 1 } })).toEqual([1]);
    const near = { span_near: { clauses: [t('short'), t('words')], slop: 2 } };
    expect(docs({ span_containing: { big: near, little: t('then') } })).toEqual([1]);
    expect(docs({ span_within: { big: near, little: t('then') } })).toEqual([1]);
  });

  it('scores a span_term like a term query and refuses clauses on different fields', () => {
    const score = (json: unknown) => executeQueryPhase(ctx, { query: compileQuery(parseQuery(json), ctx, { needsScores: true }), size: 10 }).hits.map((h) => [h.doc, h.score]);
    expect(score(t('short'))).toEqual(score({ term: { msg: 'short' } }));
    expect(() => docs({ span_near: { clauses: [t('short'), { span_term: { other: 'short' } }] } })).toThrow('Clauses must have same field.');
    expect(docs({ span_near: { clauses: [t('words'), { field_masking_span: { query: { span_term: { other: 'short' } }, field: 'msg' } }], in_order: false } })).toEqual([2]);
  });
});
