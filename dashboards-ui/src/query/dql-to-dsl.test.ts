import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseDql } from './dql-parser.ts';
import { dqlToDsl, escapeLucene } from './dql-to-dsl.ts';
import { buildQuery } from './search-query.ts';
import { parseQuery } from '../../../index/query/registry.ts';

const fields = [
  { name: '@timestamp', type: 'date' },
  { name: 'message', type: 'text' },
  { name: 'status', type: 'long' },
  { name: 'host.name', type: 'keyword' },
  { name: 'host.ip', type: 'ip' },
];
const t = (q: string) => dqlToDsl(parseDql(q), { fields });

describe('dqlToDsl', () => {
  it('translates values, phrases, wildcards, ranges and exists', () => {
    expect(t('status:200')).toEqual({ match: { status: { query: '200', lenient: true } } });
    expect(t('message:"disk full"')).toEqual({ match_phrase: { message: 'disk full' } });
    expect(t('host.name:web-*')).toEqual({ query_string: { fields: ['host.name'], query: 'web\\-*', analyze_wildcard: true } });
    expect(t('status >= 500')).toEqual({ range: { status: { gte: '500' } } });
    expect(t('host.name:*')).toEqual({ exists: { field: 'host.name' } });
  });

  it('gives a value on a date field range semantics', () => {
    expect(t('@timestamp:"2024-01-01"')).toEqual({ range: { '@timestamp': { gte: '2024-01-01', lte: '2024-01-01' } } });
  });

  it('searches every field for free text', () => {
    expect(t('timeout')).toEqual({ multi_match: { type: 'best_fields', query: 'timeout', lenient: true } });
    expect(t('"connection reset"')).toEqual({ multi_match: { type: 'phrase', query: 'connection reset', lenient: true } });
    expect(t('time*')).toEqual({ query_string: { query: 'time*', analyze_wildcard: true } });
  });

  it('maps and/or/not to bool filter/should/must_not', () => {
    expect(t('status:200 and not message:ok or host.name:a')).toEqual({
      bool: {
        should: [
          { bool: { filter: [{ match: { status: { query: '200', lenient: true } } }, { bool: { must_not: [{ match: { message: { query: 'ok', lenient: true } } }] } }] } },
          { match: { 'host.name': { query: 'a', lenient: true } } },
        ],
        minimum_should_match: 1,
      },
    });
  });

  it('expands wildcard field names over known fields', () => {
    expect(t('host.*:x')).toEqual({
      bool: { should: [{ match: { 'host.name': { query: 'x', lenient: true } } }, { match: { 'host.ip': { query: 'x', lenient: true } } }], minimum_should_match: 1 },
    });
    expect(t('nope.*:x')).toEqual({ bool: { must_not: [{ match_all: {} }] } });
  });

  it('escapes Lucene specials in wildcard patterns', () => {
    expect(escapeLucene('a b(c):d/e')).toBe('a\\ b\\(c\\)\\:d\\/e');
  });

  it('produces DSL the engine accepts, for any DQL text that parses', () => {
    const text = fc.stringMatching(/^[a-z:*"() <>=\\.@0-9]{0,30}$/);
    let parsed = 0;
    fc.assert(
      fc.property(text, (q) => {
        let tree;
        try {
          tree = parseDql(q);
        } catch {
          return;
        }
        parsed++;
        expect(() => parseQuery(dqlToDsl(tree, { fields }))).not.toThrow();
      }),
      { numRuns: 1500 },
    );
    expect(parsed).toBeGreaterThan(100);
  });
});

describe('buildQuery', () => {
  it('combines the query bar, filters and the time range', () => {
    const q = buildQuery({
      query: { language: 'kuery', text: 'status:500' },
      filters: [
        { type: 'phrase', field: 'host.name', value: 'a', negate: false, disabled: false, pinned: false },
        { type: 'phrase', field: 'host.name', value: 'b', negate: true, disabled: false, pinned: false },
        { type: 'exists', field: 'x', negate: false, disabled: true, pinned: false },
      ],
      fields,
      time: { field: '@timestamp', from: 0, to: 1000 },
    });
    expect(q).toEqual({
      bool: {
        filter: [
          { match: { status: { query: '500', lenient: true } } },
          { match_phrase: { 'host.name': 'a' } },
          { range: { '@timestamp': { gte: '1970-01-01T00:00:00.000Z', lte: '1970-01-01T00:00:01.000Z', format: 'strict_date_optional_time' } } },
        ],
        must_not: [{ match_phrase: { 'host.name': 'b' } }],
      },
    });
    expect(() => parseQuery(q)).not.toThrow();
  });

  it('passes Lucene text through query_string', () => {
    expect(buildQuery({ query: { language: 'lucene', text: 'a AND b' }, filters: [] })).toEqual({ bool: { filter: [{ query_string: { query: 'a AND b', analyze_wildcard: true } }] } });
    expect(buildQuery({ query: { language: 'kuery', text: '' }, filters: [] })).toEqual({ match_all: {} });
  });
});
