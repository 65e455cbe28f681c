// `query_string`: Lucene query syntax on the server (fields, AND/OR/NOT, phrases, wildcards,
// ranges, boosts, fuzzy, `_exists_`). The text is parsed by lucene-syntax.ts at compile time.

import { parsingError } from '../errors.ts';
import { parseOptionsObject, renderCommon, renderParams, type ParamSpec, type ParseContext } from './parse-util.ts';
import type { QueryStringQuery } from './query.ts';
import { validateMsm } from './bool-query.ts';
import { validateFuzziness } from './match-query.ts';
import { MULTI_MATCH_TYPES } from './multi-match-query.ts';

const SPEC: ParamSpec = {
  query: 'text', default_field: 'text', default_operator: 'text', analyzer: 'text', quote_analyzer: 'text',
  allow_leading_wildcard: 'bool', analyze_wildcard: 'bool', lenient: 'bool', fuzziness: 'fuzziness', fuzzy_prefix_length: 'int',
  fuzzy_max_expansions: 'int', fuzzy_transpositions: 'bool', fuzzy_rewrite: 'text', phrase_slop: 'int', minimum_should_match: 'msm',
  tie_breaker: 'float', type: 'text', quote_field_suffix: 'text', time_zone: 'text', enable_position_increments: 'bool',
  auto_generate_synonyms_phrase_query: 'bool', max_determinized_states: 'int', escape: 'bool', rewrite: 'text',
};
const OPTIONS = Object.keys(SPEC).filter((k) => k !== 'query' && k !== 'type');

/** Parses the body of `{"query_string": …}`. */
export function parseQueryString(body: Record<string, unknown>, _ctx: ParseContext): QueryStringQuery {
  const o = parseOptionsObject('query_string', body, SPEC, ['fields'], (k) => parsingError(`[query_string] query does not support [${k}]`));
  if (o.query === undefined) throw parsingError('[query_string] must be provided with a [query]');
  const q: QueryStringQuery = { type: 'query_string', query: o.query as string };
  if (o.fields !== undefined) q.fields = o.fields as string[];
  for (const k of OPTIONS) if (o[k] !== undefined) (q as unknown as Record<string, unknown>)[k] = o[k];
  if (o.type !== undefined) {
    const t = String(o.type).toLowerCase();
    if (!MULTI_MATCH_TYPES.includes(t)) throw parsingError(`[query_string] query does not support type [${String(o.type)}]`);
    q.match_type = t;
  }
  if (q.default_operator !== undefined && !['and', 'or'].includes(q.default_operator.toLowerCase())) {
    throw parsingError(`[query_string] query does not support [default_operator] value [${q.default_operator}]`);
  }
  if (q.minimum_should_match !== undefined) validateMsm(q.minimum_should_match);
  if (q.fuzziness !== undefined) validateFuzziness(q.fuzziness);
  if (o.boost !== undefined) q.boost = o.boost;
  if (o._name !== undefined) q._name = o._name;
  return q;
}

/** Renders a query_string body. */
export function renderQueryString(q: QueryStringQuery): Record<string, unknown> {
  const body: Record<string, unknown> = { query: q.query };
  if (q.fields !== undefined) body.fields = [...q.fields];
  if (q.match_type !== undefined) body.type = q.match_type;
  renderParams(q, OPTIONS, body);
  return renderCommon(q, body);
}
