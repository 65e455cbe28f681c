// `constant_score`: wraps a filter; every match scores `boost` (default 1).

import { parsingError } from '../errors.ts';
import { isObject, readCommon, renderCommon, tokenName, type ParseContext } from './parse-util.ts';
import type { ConstantScoreQuery, Query } from './query.ts';
import { renderQuery } from './registry.ts';

/** Parses the body of `{"constant_score": …}`. */
export function parseConstantScore(body: Record<string, unknown>, ctx: ParseContext): ConstantScoreQuery {
  let filter: Query | undefined;
  const common: { boost?: number; _name?: string } = {};
  for (const [key, value] of Object.entries(body)) {
    if (isObject(value)) {
      if (key !== 'filter') throw parsingError(`[constant_score] query does not support [${key}]`);
      if (filter) throw parsingError(`[constant_score] accepts only one 'filter' element.`);
      filter = ctx.parseInner(value);
    } else if (Array.isArray(value)) {
      throw parsingError(`[constant_score] unexpected token [${tokenName(value)}]`);
    } else if (!readCommon(key, value, common)) {
      throw parsingError(`[constant_score] query does not support [${key}]`);
    }
  }
  if (!filter) throw parsingError(`[constant_score] requires a 'filter' element`);
  return { type: 'constant_score', filter, ...common };
}

/** Renders a constant_score body. */
export function renderConstantScore(q: ConstantScoreQuery): Record<string, unknown> {
  return renderCommon(q, { filter: renderQuery(q.filter) });
}
