// `distance_feature`: scores documents by how close a date or geo_point field is to an origin,
// boost · pivot / (pivot + distance), as Lucene's LongPoint / LatLonPoint distance feature queries.
// Parsed here; distance-feature-compile.ts resolves origin and pivot against the field's type.

import { illegalArgument, parsingError } from '../errors.ts';
import { isObject, readCommon, renderCommon, toText, unknownField, type ParseContext } from './parse-util.ts';
import type { DistanceFeatureQuery } from './query.ts';

/** Parses the body of `{"distance_feature": …}`. */
export function parseDistanceFeature(body: Record<string, unknown>, _ctx: ParseContext): DistanceFeatureQuery {
  const q: Partial<DistanceFeatureQuery> = { type: 'distance_feature' };
  for (const [key, value] of Object.entries(body)) {
    if (readCommon(key, value, q)) continue;
    if (key === 'field') q.field = toText(value, key);
    else if (key === 'pivot') q.pivot = toText(value, key);
    else if (key === 'origin') {
      if (value === null || (typeof value === 'object' && !Array.isArray(value) && !isObject(value))) {
        throw parsingError('[distance_feature] failed to parse field [origin]');
      }
      q.origin = value as DistanceFeatureQuery['origin'];
    } else throw unknownField('distance_feature', key, ['field', 'origin', 'pivot', 'boost', '_name']);
  }
  for (const k of ['field', 'origin', 'pivot'] as const) {
    if (q[k] === undefined) throw illegalArgument(`Required [${k}]`);
  }
  return q as DistanceFeatureQuery;
}

/** Renders a distance_feature body. */
export function renderDistanceFeature(q: DistanceFeatureQuery): Record<string, unknown> {
  return renderCommon(q, { field: q.field, origin: q.origin, pivot: q.pivot });
}
