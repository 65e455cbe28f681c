// `prefix`: terms starting with a value. Parsed here; executed by enumerating the sorted term
// dictionary from a binary-searched start (exec/multi-term.ts), constant score as OpenSearch rewrites it.

import { illegalArgument } from '../errors.ts';
import { parseFieldQuery, renderCommon, renderParams, requireField, toText, type ParseContext } from './parse-util.ts';
import type { PrefixQuery } from './query.ts';

const SPEC = { value: 'scalar', prefix: 'scalar', rewrite: 'text', case_insensitive: 'bool' } as const;

/** Parses the body of `{"prefix": …}`. */
export function parsePrefix(body: Record<string, unknown>, _ctx: ParseContext): PrefixQuery {
  const parts = parseFieldQuery('prefix', body, 'value', SPEC);
  const field = requireField(parts.field);
  const raw = parts.params.value ?? parts.params.prefix;
  if (raw === undefined || raw === null) throw illegalArgument('value cannot be null');
  const q: PrefixQuery = { type: 'prefix', field, value: toText(raw, 'value') };
  renderParams(parts.params, ['rewrite', 'case_insensitive'], q as unknown as Record<string, unknown>);
  if (parts.boost !== undefined) q.boost = parts.boost;
  if (parts._name !== undefined) q._name = parts._name;
  return q;
}

/** Renders a prefix query body. */
export function renderPrefix(q: PrefixQuery): Record<string, unknown> {
  return { [q.field]: renderCommon(q, renderParams(q, ['rewrite', 'case_insensitive'], { value: q.value })) };
}
