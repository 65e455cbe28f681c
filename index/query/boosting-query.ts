// `boosting`: positive matches, with scores multiplied by negative_boost where `negative` matches.

import { parsingError } from '../errors.ts';
import { isObject, readCommon, renderCommon, toFloat, type ParseContext } from './parse-util.ts';
import type { BoostingQuery, Query } from './query.ts';
import { renderQuery } from './registry.ts';

/** Parses the body of `{"boosting": …}`. */
export function parseBoosting(body: Record<string, unknown>, ctx: ParseContext): BoostingQuery {
  let positive: Query | undefined;
  let negative: Query | undefined;
  let negativeBoost = -1;
  const common: { boost?: number; _name?: string } = {};
  for (const [key, value] of Object.entries(body)) {
    if (isObject(value)) {
      if (key === 'positive') positive = ctx.parseInner(value);
      else if (key === 'negative') negative = ctx.parseInner(value);
      else throw parsingError(`[boosting] query does not support [${key}]`);
    } else if (key === 'negative_boost') {
      negativeBoost = toFloat(value, key);
    } else if (!readCommon(key, value, common)) {
      throw parsingError(`[boosting] query does not support [${key}]`);
    }
  }
  if (!positive) throw parsingError(`[boosting] query requires 'positive' query`);
  if (!negative) throw parsingError(`[boosting] query requires 'negative' query`);
  if (negativeBoost < 0) throw parsingError(`[boosting] query requires 'negative_boost' to be set to be a positive value'`);
  return { type: 'boosting', positive, negative, negative_boost: negativeBoost, ...common };
}

/** Renders a boosting body. */
export function renderBoosting(q: BoostingQuery): Record<string, unknown> {
  return renderCommon(q, { positive: renderQuery(q.positive), negative: renderQuery(q.negative), negative_boost: q.negative_boost });
}
