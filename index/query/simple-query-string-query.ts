// `simple_query_string`: the forgiving syntax (+ | - " * ( ) ~N) that never fails on bad input.
// Parsed here; the text is parsed by simple-syntax.ts at compile time.

import { parsingError } from '../errors.ts';
import { parseOptionsObject, renderCommon, renderParams, type ParamSpec, type ParseContext } from './parse-util.ts';
import type { SimpleQueryStringQuery } from './query.ts';
import { validateMsm } from './bool-query.ts';

const SPEC: ParamSpec = {
  query: 'text', default_operator: 'text', analyzer: 'text', flags: 'scalar', lenient: 'bool', analyze_wildcard: 'bool',
  minimum_should_match: 'msm', quote_field_suffix: 'text', auto_generate_synonyms_phrase_query: 'bool',
  fuzzy_prefix_length: 'int', fuzzy_max_expansions: 'int', fuzzy_transpositions: 'bool',
};
const OPTIONS = Object.keys(SPEC).filter((k) => k !== 'query');

/** Flag names simple_query_string accepts (pipe separated). */
export const SIMPLE_FLAGS = ['ALL', 'NONE', 'AND', 'OR', 'NOT', 'PREFIX', 'PHRASE', 'PRECEDENCE', 'ESCAPE', 'WHITESPACE', 'FUZZY', 'NEAR', 'SLOP'];

/** Parses the body of `{"simple_query_string": …}`. */
export function parseSimpleQueryString(body: Record<string, unknown>, _ctx: ParseContext): SimpleQueryStringQuery {
  const o = parseOptionsObject('simple_query_string', body, SPEC, ['fields'],
    (k) => parsingError(`[simple_query_string] unsupported field [${k}]`));
  if (o.query === undefined) throw parsingError('[simple_query_string] query text missing');
  const q: SimpleQueryStringQuery = { type: 'simple_query_string', query: o.query as string };
  if (o.fields !== undefined) q.fields = o.fields as string[];
  for (const k of OPTIONS) if (o[k] !== undefined) (q as unknown as Record<string, unknown>)[k] = o[k];
  if (q.flags !== undefined) {
    q.flags = String(q.flags);
    if (!/^-?\d+$/.test(q.flags)) {
      for (const f of q.flags.split('|')) {
        if (f.trim() && !SIMPLE_FLAGS.includes(f.trim().toUpperCase())) throw parsingError(`Unknown simple_query_string flag [${f}]`);
      }
    }
  }
  if (q.default_operator !== undefined && !['and', 'or'].includes(q.default_operator.toLowerCase())) {
    throw parsingError(`[simple_query_string] default operator [${q.default_operator}] is not allowed`);
  }
  if (q.minimum_should_match !== undefined) validateMsm(q.minimum_should_match);
  if (o.boost !== undefined) q.boost = o.boost;
  if (o._name !== undefined) q._name = o._name;
  return q;
}

/** Renders a simple_query_string body. */
export function renderSimpleQueryString(q: SimpleQueryStringQuery): Record<string, unknown> {
  const body: Record<string, unknown> = { query: q.query };
  if (q.fields !== undefined) body.fields = [...q.fields];
  renderParams(q, OPTIONS, body);
  return renderCommon(q, body);
}
