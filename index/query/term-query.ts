// `term`: an exact, un-analyzed value in one field. Parsed here; executed by exec/term-level.ts
// (keyword/text through the term dictionary, numbers/dates/booleans through doc values).

import { illegalArgument } from '../errors.ts';
import { parseFieldQuery, renderCommon, requireField, type ParseContext } from './parse-util.ts';
import type { Scalar, TermQuery } from './query.ts';

const SPEC = { value: 'scalar', term: 'scalar', case_insensitive: 'bool' } as const;

/** Parses the body of `{"term": …}`. */
export function parseTerm(body: Record<string, unknown>, _ctx: ParseContext): TermQuery {
  const parts = parseFieldQuery('term', body, 'value', SPEC);
  const field = requireField(parts.field);
  const value = (parts.params.value ?? parts.params.term) as Scalar | undefined;
  if (value === undefined || value === null) throw illegalArgument('value cannot be null');
  const q: TermQuery = { type: 'term', field, value };
  if (parts.params.case_insensitive !== undefined) q.case_insensitive = parts.params.case_insensitive as boolean;
  if (parts.boost !== undefined) q.boost = parts.boost;
  if (parts._name !== undefined) q._name = parts._name;
  return q;
}

/** Renders a term query body (the object under "term"). */
export function renderTerm(q: TermQuery): Record<string, unknown> {
  const inner: Record<string, unknown> = { value: q.value };
  if (q.case_insensitive !== undefined) inner.case_insensitive = q.case_insensitive;
  return { [q.field]: renderCommon(q, inner) };
}
