// `wildcard`: `*` and `?` patterns (backslash escapes) over a field's terms, executed by
// enumerating the term dictionary from the literal prefix (exec/multi-term.ts), constant score.

import { illegalArgument } from '../errors.ts';
import { parseFieldQuery, renderCommon, renderParams, requireField, toText, type ParseContext } from './parse-util.ts';
import type { WildcardQuery } from './query.ts';

const SPEC = { value: 'scalar', wildcard: 'scalar', rewrite: 'text', case_insensitive: 'bool' } as const;

/** Parses the body of `{"wildcard": …}`. */
export function parseWildcard(body: Record<string, unknown>, _ctx: ParseContext): WildcardQuery {
  const parts = parseFieldQuery('wildcard', body, 'value', SPEC);
  const field = requireField(parts.field);
  const raw = parts.params.value ?? parts.params.wildcard;
  if (raw === undefined || raw === null) throw illegalArgument('value cannot be null');
  const q: WildcardQuery = { type: 'wildcard', field, value: toText(raw, 'value') };
  renderParams(parts.params, ['rewrite', 'case_insensitive'], q as unknown as Record<string, unknown>);
  if (parts.boost !== undefined) q.boost = parts.boost;
  if (parts._name !== undefined) q._name = parts._name;
  return q;
}

/** Renders a wildcard query body. */
export function renderWildcard(q: WildcardQuery): Record<string, unknown> {
  return { [q.field]: renderCommon(q, renderParams(q, ['rewrite', 'case_insensitive'], { value: q.value })) };
}
