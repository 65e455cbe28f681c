// `match_bool_prefix`: analyzed terms as a bool of term queries where the last term is a prefix.

import { parsingError } from '../errors.ts';
import { parseFieldQuery, renderCommon, renderParams, type ParseContext } from './parse-util.ts';
import type { MatchBoolPrefixQuery, Scalar } from './query.ts';
import { validateMatchOptions } from './match-query.ts';

const SPEC = {
  query: 'scalar', analyzer: 'text', operator: 'text', minimum_should_match: 'msm', fuzziness: 'fuzziness', prefix_length: 'int',
  max_expansions: 'int', fuzzy_transpositions: 'bool', fuzzy_rewrite: 'text_or_null',
} as const;
const OPTIONS = Object.keys(SPEC).filter((k) => k !== 'query');

/** Parses the body of `{"match_bool_prefix": …}`. */
export function parseMatchBoolPrefix(body: Record<string, unknown>, _ctx: ParseContext): MatchBoolPrefixQuery {
  const parts = parseFieldQuery('match_bool_prefix', body, 'query', SPEC);
  const query = parts.params.query as Scalar | undefined;
  if (query === undefined) throw parsingError('No text specified for text query');
  const q: MatchBoolPrefixQuery = { type: 'match_bool_prefix', field: parts.field ?? '', query };
  renderParams(parts.params, OPTIONS, q as unknown as Record<string, unknown>);
  validateMatchOptions(q);
  if (parts.boost !== undefined) q.boost = parts.boost;
  if (parts._name !== undefined) q._name = parts._name;
  return q;
}

/** Renders a match_bool_prefix body. */
export function renderMatchBoolPrefix(q: MatchBoolPrefixQuery): Record<string, unknown> {
  return { [q.field]: renderCommon(q, renderParams(q, OPTIONS, { query: q.query })) };
}
