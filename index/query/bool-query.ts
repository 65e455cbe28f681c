// `bool`: must / filter / should / must_not clauses (each a single query object or an array) with
// minimum_should_match. Parsed by hand as OpenSearch 2.x does; scored by exec/bool-exec.ts.

import { illegalArgument, parsingError } from '../errors.ts';
import { isObject, isValueToken, readCommon, renderCommon, toBool, tokenName, type ParseContext } from './parse-util.ts';
import type { BoolQuery, Query, Scalar } from './query.ts';
import { renderQuery } from './registry.ts';

const OCCURS = ['must', 'filter', 'should', 'must_not'] as const;
type Occur = (typeof OCCURS)[number];

/** Parses the body of `{"bool": …}`. */
export function parseBool(body: Record<string, unknown>, ctx: ParseContext): BoolQuery {
  const q: BoolQuery = { type: 'bool', must: [], filter: [], should: [], must_not: [] };
  for (const [key, value] of Object.entries(body)) {
    if (isObject(value)) {
      if (!isOccur(key)) throw parsingError(`[bool] query does not support [${key}]`);
      q[key].push(ctx.parseInner(value));
    } else if (Array.isArray(value)) {
      if (!isOccur(key)) throw parsingError(`bool query does not support [${key}]`);
      for (const clause of value) q[key].push(ctx.parseInner(clause));
    } else if (isValueToken(value)) {
      if (key === 'minimum_should_match') {
        if (value !== null) q.minimum_should_match = typeof value === 'boolean' ? String(value) : (value as Scalar);
      } else if (key === 'adjust_pure_negative') q.adjust_pure_negative = toBool(value);
      else if (isOccur(key) && value === null) continue;
      else if (!readCommon(key, value, q)) throw parsingError(`[bool] query does not support [${key}]`);
    } else {
      throw parsingError(`[bool] unknown token [${tokenName(value)}] after [${key}]`);
    }
  }
  if (q.minimum_should_match !== undefined) validateMsm(q.minimum_should_match);
  return q;
}

function isOccur(key: string): key is Occur {
  return (OCCURS as readonly string[]).includes(key);
}

/** Rejects minimum_should_match values OpenSearch's Queries.calculateMinShouldMatch cannot read. */
export function validateMsm(msm: Scalar): void {
  if (typeof msm === 'number') return;
  const s = String(msm).trim();
  const ok = /^(\s*\d+\s*<\s*-?\d+%?\s*)+$/.test(s) || /^-?\d+%?$/.test(s);
  if (!ok) throw illegalArgument(`Invalid minimum_should_match value [${s}]`);
}

/** Renders a bool query body: clauses as arrays, options after them (OpenSearch's order). */
export function renderBool(q: BoolQuery): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const occur of ['must', 'filter', 'must_not', 'should'] as const) {
    if (q[occur].length > 0) body[occur] = q[occur].map(renderQuery);
  }
  if (q.adjust_pure_negative !== undefined) body.adjust_pure_negative = q.adjust_pure_negative;
  if (q.minimum_should_match !== undefined) body.minimum_should_match = q.minimum_should_match;
  return renderCommon(q, body);
}

/** All clauses of a bool query (used by rewrites that walk the tree). */
export function boolClauses(q: BoolQuery): Query[] {
  return [...q.must, ...q.filter, ...q.should, ...q.must_not];
}
