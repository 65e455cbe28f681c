// `dis_max`: the best clause's score plus tie_breaker × the others' (Lucene's DisjunctionMaxQuery).

import { parsingError } from '../errors.ts';
import { isObject, readCommon, renderCommon, toFloat, type ParseContext } from './parse-util.ts';
import type { DisMaxQuery, Query } from './query.ts';
import { renderQuery } from './registry.ts';

/** Parses the body of `{"dis_max": …}`. */
export function parseDisMax(body: Record<string, unknown>, ctx: ParseContext): DisMaxQuery {
  const queries: Query[] = [];
  const q: DisMaxQuery = { type: 'dis_max', queries };
  let found = false;
  for (const [key, value] of Object.entries(body)) {
    if (key === 'queries' && (isObject(value) || Array.isArray(value))) {
      found = true;
      for (const clause of Array.isArray(value) ? value : [value]) queries.push(ctx.parseInner(clause));
    } else if (isObject(value) || Array.isArray(value)) {
      throw parsingError(`[dis_max] query does not support [${key}]`);
    } else if (key === 'tie_breaker') {
      q.tie_breaker = toFloat(value, key);
    } else if (!readCommon(key, value, q)) {
      throw parsingError(`[dis_max] query does not support [${key}]`);
    }
  }
  if (!found) throw parsingError(`[dis_max] requires 'queries' field with at least one clause`);
  return q;
}

/** Renders a dis_max body. */
export function renderDisMax(q: DisMaxQuery): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (q.tie_breaker !== undefined) body.tie_breaker = q.tie_breaker;
  body.queries = q.queries.map(renderQuery);
  return renderCommon(q, body);
}
