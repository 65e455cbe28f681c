import { describe, expect, it } from 'vitest';
import { OpenSearchError } from '../errors.ts';
import { parseQuery, renderQuery } from './registry.ts';

/** One valid example per query type (options included) for round trips and key injection. */
export const EXAMPLES: unknown[] = [
  { match_all: { boost: 1.5, _name: 'all' } },
  { match_none: {} },
  { term: { status: { value: 'ok', boost: 2, case_insensitive: true } } },
  { terms: { tag: ['a', 'b'], boost: 1.2 } },
  { range: { n: { gte: 1, lt: 10, format: 'x', time_zone: '+01:00' } } },
  { exists: { field: 'msg' } },
  { prefix: { tag: { value: 'ab', rewrite: 'constant_score' } } },
  { wildcard: { tag: { value: 'a*b?', case_insensitive: false } } },
  { regexp: { tag: { value: 'a.*', flags: 'ALL', max_determinized_states: 100 } } },
  { fuzzy: { tag: { value: 'abc', fuzziness: 'AUTO', prefix_length: 1, max_expansions: 10, transpositions: false } } },
  { ids: { values: ['1', '2'] } },
  { bool: { must: [{ term: { a: 'x' } }], filter: { term: { b: 'y' } }, should: [{ match: { msg: 'q' } }], must_not: [{ exists: { field: 'z' } }], minimum_should_match: '75%', boost: 2 } },
  { constant_score: { filter: { term: { a: 'x' } }, boost: 3 } },
  { dis_max: { queries: [{ term: { a: 'x' } }, { term: { a: 'y' } }], tie_breaker: 0.5 } },
  { boosting: { positive: { term: { a: 'x' } }, negative: { term: { a: 'y' } }, negative_boost: 0.2 } },
  { match: { msg: { query: 'hello world', operator: 'and', minimum_should_match: '2<75%', fuzziness: 'AUTO', prefix_length: 1, max_expansions: 5, analyzer: 'standard', zero_terms_query: 'all', lenient: true, boost: 2 } } },
  { match_phrase: { msg: { query: 'hello world', slop: 2, analyzer: 'standard' } } },
  { match_phrase_prefix: { msg: { query: 'hello wor', max_expansions: 10 } } },
  { match_bool_prefix: { msg: { query: 'hello wor', operator: 'or' } } },
  { multi_match: { query: 'hello', fields: ['msg^2', 'tag'], type: 'most_fields', tie_breaker: 0.3 } },
  { query_string: { query: 'a AND b', default_field: 'msg', default_operator: 'and', analyze_wildcard: true } },
  { simple_query_string: { query: 'a +b', fields: ['msg'], flags: 'AND|OR' } },
  { terms: { user: { index: 'users', id: '1', path: 'followers', routing: 'r' }, _name: 'lookup' } },
  { terms: { n: ['OjAAAAEAAAAAAAEAEAAAAG8A3gA='], value_type: 'bitmap' } },
  {
    intervals: {
      msg: {
        all_of: {
          intervals: [
            { match: { query: 'cold', mode: 'ordered', max_gaps: 2, analyzer: 'standard' } },
            { any_of: { intervals: [{ prefix: { prefix: 'out' } }, { wildcard: { pattern: 'o?t' } }] } },
            { regexp: { pattern: 'at.*', case_insensitive: true } },
            { fuzzy: { term: 'cald', fuzziness: 1, transpositions: false } },
          ],
          mode: 'unordered_no_overlap',
          filter: { not_containing: { match: { query: 'is' } } },
        },
        boost: 2,
      },
    },
  },
  { distance_feature: { field: 'ts', origin: 'now-1d', pivot: '1h', boost: 2 } },
  {
    span_near: {
      clauses: [
        { span_term: { msg: { value: 'a' } } },
        { span_multi: { match: { prefix: { msg: { value: 'b' } } } } },
        { span_or: { clauses: [{ span_term: { msg: 'c' } }] } },
      ],
      slop: 2, in_order: false, boost: 2,
    },
  },
  { span_first: { match: { span_term: { msg: 'a' } }, end: 3 } },
  { span_not: { include: { span_term: { msg: 'a' } }, exclude: { span_term: { msg: 'b' } }, pre: 1, post: 2 } },
  { span_containing: { big: { span_term: { msg: 'a' } }, little: { span_term: { msg: 'b' } } } },
  { span_within: { big: { span_term: { msg: 'a' } }, little: { span_term: { msg: 'b' } } } },
  { field_masking_span: { query: { span_term: { other: 'a' } }, field: 'msg' } },
];

function err(fn: () => unknown): OpenSearchError {
  try {
    fn();
  } catch (e) {
    if (e instanceof OpenSearchError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('parseQuery', () => {
  it('round-trips every query type (parse → render → parse)', () => {
    for (const ex of EXAMPLES) {
      const q = parseQuery(ex);
      const rendered = renderQuery(q);
      expect(parseQuery(rendered)).toEqual(q);
      expect(renderQuery(parseQuery(rendered))).toEqual(rendered);
    }
  });

  it('rejects an unknown key injected at every object level', () => {
    const inject = (node: unknown, path: string[], out: Array<unknown>): void => {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
      out.push({ path });
      for (const [k, v] of Object.entries(node)) {
        if (Array.isArray(v)) v.forEach((x, i) => inject(x, [...path, k, String(i)], out));
        else inject(v, [...path, k], out);
      }
    };
    for (const ex of EXAMPLES) {
      const spots: Array<{ path: string[] }> = [];
      inject(ex, [], spots as unknown[]);
      for (const { path } of spots) {
        const copy = structuredClone(ex) as Record<string, unknown>;
        let node: Record<string, unknown> = copy;
        for (const p of path) node = node[p] as Record<string, unknown>;
        // The top envelope has its own rule (two query names); the first level below a field-name
        // object is where OpenSearch reads field options.
        node.bogus_key = 1;
        const e = err(() => parseQuery(copy));
        expect(['parsing_exception', 'x_content_parse_exception', 'illegal_argument_exception']).toContain(e.type);
      }
    }
  });

  it('names unknown queries and suggests close names', () => {
    const e = err(() => parseQuery({ foo: {} }));
    expect(e.type).toBe('parsing_exception');
    expect(e.reason).toBe('unknown query [foo]');
    expect(err(() => parseQuery({ mach: { a: 'b' } })).reason).toBe('unknown query [mach] did you mean [match]?');
  });

  it('rejects two query types in one object', () => {
    const e = err(() => parseQuery({ bool: {}, term: { a: 'b' } }));
    expect(e.reason).toBe('[bool] malformed query, expected [END_OBJECT] but found [FIELD_NAME]');
  });

  it('uses OpenSearch messages for field-level mistakes', () => {
    expect(err(() => parseQuery({ match: { a: { query: 'x', foo: 1 } } })).reason).toBe('[match] query does not support [foo]');
    expect(err(() => parseQuery({ term: { a: 'x', b: 'y' } })).reason).toBe("[term] query doesn't support multiple fields, found [a] and [b]");
    expect(err(() => parseQuery({ match: { a: { query: 'x', operator: {} } } })).reason).toBe('[match] unknown token [START_OBJECT] after [operator]');
    expect(err(() => parseQuery({ bool: { must: { term: { a: 'x' } }, foo: 1 } })).reason).toBe('[bool] query does not support [foo]');
    expect(err(() => parseQuery({ term: { a: ['x'] } })).reason).toBe('[term] query does not support array of values');
    expect(err(() => parseQuery({ match: { a: { query: 'x', zero_terms_query: 'some' } } })).reason).toBe('Unsupported zero_terms_query value [some]');
    expect(err(() => parseQuery({ bool: { must: {} } })).type).toBe('illegal_argument_exception');
    expect(err(() => parseQuery({ term: { a: { value: 'x', boost: 'abc' } } })).type).toBe('number_format_exception');
  });

  it('uses OpenSearch messages for intervals rules', () => {
    expect(err(() => parseQuery({ intervals: { f: { match: { query: 'a' }, all_of: { intervals: [] } } } })).reason)
      .toBe('Only one interval rule can be specified, found [match] and [all_of]');
    expect(err(() => parseQuery({ intervals: { f: { foo: {} } } })).reason)
      .toBe('Unknown interval type [foo], expecting one of [match, any_of, all_of, prefix, wildcard, regexp, fuzzy]');
    expect(err(() => parseQuery({ intervals: { f: { boost: 2 } } })).reason).toBe('Missing intervals from interval query definition');
  });

  it('uses OpenSearch messages for span clauses', () => {
    expect(err(() => parseQuery({ span_near: { clauses: [{ term: { a: 'x' } }] } })).reason).toBe('span_near [clauses] must be of type span query');
    expect(err(() => parseQuery({ span_multi: { match: { term: { a: 'x' } } } })).reason).toBe('spanMultiTerm [match] must be of type multi term query');
    expect(err(() => parseQuery({ span_or: { clauses: [{ span_term: { a: { value: 'x', boost: 2 } } }] } })).reason)
      .toBe("span_or [clauses] as a nested span clause can't have non-default boost value [2.0]");
    expect(err(() => parseQuery({ span_first: { match: { span_term: { a: 'x' } } } })).reason).toBe('span_first must have [end] set for it');
  });

  it('accepts single clause objects and arrays in bool and normalises range bounds', () => {
    const q = parseQuery({ bool: { must: { term: { a: 'x' } }, should: [{ term: { a: 'y' } }] } });
    expect(q).toMatchObject({ type: 'bool', must: [{ type: 'term' }], should: [{ type: 'term' }] });
    expect(parseQuery({ range: { n: { gt: 1, lte: 5 } } })).toEqual({ type: 'range', field: 'n', from: 1, to: 5, include_lower: false, include_upper: true });
  });
});
