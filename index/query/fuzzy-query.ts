// `fuzzy`: terms within an edit distance of a value (Damerau-Levenshtein unless transpositions is
// false). Parsed here; expanded against the term dictionary by exec/multi-term.ts.

import { illegalArgument } from '../errors.ts';
import { parseFieldQuery, renderCommon, renderParams, requireField, type ParseContext } from './parse-util.ts';
import type { FuzzyQuery, Scalar } from './query.ts';

const SPEC = {
  value: 'scalar', fuzziness: 'fuzziness', prefix_length: 'int', max_expansions: 'int', transpositions: 'bool', rewrite: 'text',
} as const;
const OPTIONS = ['fuzziness', 'prefix_length', 'max_expansions', 'transpositions', 'rewrite'];

/** Parses the body of `{"fuzzy": …}`. */
export function parseFuzzy(body: Record<string, unknown>, _ctx: ParseContext): FuzzyQuery {
  const parts = parseFieldQuery('fuzzy', body, 'value', SPEC);
  const field = requireField(parts.field);
  const value = parts.params.value as Scalar | undefined;
  if (value === undefined || value === null) throw illegalArgument('query value cannot be null');
  const q: FuzzyQuery = { type: 'fuzzy', field, value };
  renderParams(parts.params, OPTIONS, q as unknown as Record<string, unknown>);
  if (parts.boost !== undefined) q.boost = parts.boost;
  if (parts._name !== undefined) q._name = parts._name;
  return q;
}

/** Renders a fuzzy query body. */
export function renderFuzzy(q: FuzzyQuery): Record<string, unknown> {
  return { [q.field]: renderCommon(q, renderParams(q, OPTIONS, { value: q.value })) };
}
