// `ids`: documents by `_id`. Executed by looking ids up in each segment's id column.

import { isObject, readCommon, renderCommon, scalarArray, unknownField, type ParseContext } from './parse-util.ts';
import type { IdsQuery } from './query.ts';
import { xContentParseError } from '../errors.ts';

/** Parses the body of `{"ids": …}` (ObjectParser-style errors, as OpenSearch's IdsQueryBuilder). */
export function parseIds(body: Record<string, unknown>, _ctx: ParseContext): IdsQuery {
  const q: IdsQuery = { type: 'ids', values: [] };
  for (const [key, value] of Object.entries(body)) {
    if (key === 'values') {
      if (isObject(value)) throw xContentParseError('[ids] values doesn\'t support values of type: START_OBJECT');
      q.values = scalarArray('ids', 'values', Array.isArray(value) ? value : [value]).map(String);
    } else if (!readCommon(key, value, q)) throw unknownField('ids', key, ['values', 'boost', '_name']);
  }
  return q;
}

/** Renders an ids query body. */
export function renderIds(q: IdsQuery): Record<string, unknown> {
  return renderCommon(q, { values: [...q.values] });
}
