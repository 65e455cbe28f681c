// `match`: analyzed full-text query on one field — a bool of term queries (operator,
// minimum_should_match), fuzzy terms with `fuzziness`, zero_terms_query. Compiled by exec/match-exec.ts.

import { illegalArgument, parsingError } from '../errors.ts';
import { parseFieldQuery, renderCommon, renderParams, type ParamSpec, type ParseContext } from './parse-util.ts';
import type { MatchOptions, MatchQuery, Scalar } from './query.ts';
import { validateMsm } from './bool-query.ts';

/** Options of the match family, in OpenSearch's print order. */
export const MATCH_SPEC: ParamSpec = {
  query: 'scalar', operator: 'text', analyzer: 'text', fuzziness: 'fuzziness', prefix_length: 'int', max_expansions: 'int',
  minimum_should_match: 'msm', fuzzy_rewrite: 'text_or_null', fuzzy_transpositions: 'bool', lenient: 'bool',
  zero_terms_query: 'text', cutoff_frequency: 'float', auto_generate_synonyms_phrase_query: 'bool',
};
export const MATCH_OPTIONS = Object.keys(MATCH_SPEC).filter((k) => k !== 'query');

/** Validates the options shared by the match family. */
export function validateMatchOptions(o: MatchOptions): void {
  if (o.operator !== undefined && !['and', 'or'].includes(o.operator.toLowerCase())) {
    throw illegalArgument(`operator needs to be either [OR, AND], but not [${o.operator}]`);
  }
  if (o.zero_terms_query !== undefined && !['none', 'all'].includes(o.zero_terms_query.toLowerCase())) {
    throw parsingError(`Unsupported zero_terms_query value [${o.zero_terms_query}]`);
  }
  if (o.minimum_should_match !== undefined) validateMsm(o.minimum_should_match);
  if (o.fuzziness !== undefined) validateFuzziness(o.fuzziness);
}

/** Fuzziness is 0, 1, 2, AUTO or AUTO:low,high (OpenSearch's Fuzziness.parse). */
export function validateFuzziness(f: Scalar): void {
  const s = String(f).toUpperCase();
  if (s === 'AUTO' || /^AUTO:\d+,\d+$/.test(s)) return;
  if (/^\d+(\.\d+)?$/.test(s)) return;
  throw illegalArgument(`failed to parse [${f}] as a fuzziness value`);
}

/** Parses the body of `{"match": …}`. */
export function parseMatch(body: Record<string, unknown>, _ctx: ParseContext): MatchQuery {
  const parts = parseFieldQuery('match', body, 'query', MATCH_SPEC);
  const query = parts.params.query as Scalar | undefined;
  if (query === undefined || query === null) throw parsingError('No text specified for text query');
  const q: MatchQuery = { type: 'match', field: parts.field ?? '', query };
  renderParams(parts.params, MATCH_OPTIONS, q as unknown as Record<string, unknown>);
  validateMatchOptions(q);
  if (parts.boost !== undefined) q.boost = parts.boost;
  if (parts._name !== undefined) q._name = parts._name;
  return q;
}

/** Renders a match body. */
export function renderMatch(q: MatchQuery): Record<string, unknown> {
  return { [q.field]: renderCommon(q, renderParams(q, MATCH_OPTIONS, { query: q.query })) };
}
