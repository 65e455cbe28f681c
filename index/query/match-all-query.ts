// `match_all` (every live doc, score = boost) and `match_none`. Both parse with ObjectParser in
// OpenSearch, so unknown keys are `x_content_parse_exception`s.

import { readCommon, renderCommon, unknownField, type ParseContext } from './parse-util.ts';
import type { MatchAllQuery, MatchNoneQuery } from './query.ts';

/** Parses the body of `{"match_all": …}`. */
export function parseMatchAll(body: Record<string, unknown>, _ctx: ParseContext): MatchAllQuery {
  const q: MatchAllQuery = { type: 'match_all' };
  for (const [key, value] of Object.entries(body)) {
    if (!readCommon(key, value, q)) throw unknownField('match_all', key, ['boost', '_name']);
  }
  return q;
}

/** Parses the body of `{"match_none": …}`. */
export function parseMatchNone(body: Record<string, unknown>, _ctx: ParseContext): MatchNoneQuery {
  const q: MatchNoneQuery = { type: 'match_none' };
  for (const [key, value] of Object.entries(body)) {
    if (!readCommon(key, value, q)) throw unknownField('match_none', key, ['boost', '_name']);
  }
  return q;
}

/** Renders a match_all or match_none body. */
export function renderMatchAll(q: MatchAllQuery | MatchNoneQuery): Record<string, unknown> {
  return renderCommon(q, {});
}
