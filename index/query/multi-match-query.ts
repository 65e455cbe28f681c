// `multi_match`: one query text over several fields (`name^boost`, wildcards), combined per type:
// best_fields (dis_max), most_fields (sum), cross_fields (term-centric, blended), phrase,
// phrase_prefix and bool_prefix. Compiled by exec/match-exec.ts.

import { OpenSearchError, parsingError } from '../errors.ts';
import { parseOptionsObject, renderCommon, renderParams, type ParseContext, type ParamSpec } from './parse-util.ts';
import type { MultiMatchQuery, Scalar } from './query.ts';
import { MATCH_SPEC, validateMatchOptions } from './match-query.ts';

export const MULTI_MATCH_TYPES = ['best_fields', 'most_fields', 'cross_fields', 'phrase', 'phrase_prefix', 'bool_prefix'];

const SPEC: ParamSpec = { ...MATCH_SPEC, type: 'text', tie_breaker: 'float', slop: 'int' };
const OPTIONS = ['type', ...Object.keys(MATCH_SPEC).filter((k) => k !== 'query'), 'tie_breaker', 'slop'];

/** Parses the body of `{"multi_match": …}`. */
export function parseMultiMatch(body: Record<string, unknown>, _ctx: ParseContext): MultiMatchQuery {
  const o = parseOptionsObject('multi_match', body, SPEC, ['fields'], (k) => parsingError(`[multi_match] query does not support [${k}]`));
  if (o.query === undefined || o.query === null) throw parsingError('No text specified for multi_match query');
  const q: MultiMatchQuery = { type: 'multi_match', query: o.query as Scalar, fields: (o.fields as string[] | undefined) ?? [] };
  for (const k of OPTIONS) {
    if (k === 'type') continue;
    if (o[k] !== undefined) (q as unknown as Record<string, unknown>)[k] = o[k];
  }
  if (o.type !== undefined) {
    const t = String(o.type).toLowerCase();
    const normalized = t === 'boolean' ? 'best_fields' : t;
    if (!MULTI_MATCH_TYPES.includes(normalized)) {
      throw new OpenSearchError('parse_exception', `failed to parse [multi_match] query type [${String(o.type)}]. unknown type.`, 400);
    }
    q.match_type = normalized;
  }
  validateMatchOptions(q);
  const type = q.match_type ?? 'best_fields';
  if (q.slop !== undefined && q.slop !== 0 && type === 'bool_prefix') throw parsingError('[slop] not allowed for type [bool_prefix]');
  if (q.cutoff_frequency !== undefined && type === 'bool_prefix') throw parsingError('[cutoff_frequency] not allowed for type [bool_prefix]');
  if (q.fuzziness !== undefined && ['cross_fields', 'phrase', 'phrase_prefix'].includes(type)) {
    throw parsingError(`Fuzziness not allowed for type [${type}]`);
  }
  if (o.boost !== undefined) q.boost = o.boost;
  if (o._name !== undefined) q._name = o._name;
  return q;
}

/** Renders a multi_match body. */
export function renderMultiMatch(q: MultiMatchQuery): Record<string, unknown> {
  const body: Record<string, unknown> = { query: q.query, fields: [...q.fields] };
  if (q.match_type !== undefined) body.type = q.match_type;
  renderParams(q, OPTIONS.filter((k) => k !== 'type'), body);
  return renderCommon(q, body);
}
