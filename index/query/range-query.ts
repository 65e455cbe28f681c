// `range`: bounds on numbers, dates (date math, `format`, `time_zone`), keywords and ips. The
// gt/gte/lt/lte spellings are normalised to from/to + include_lower/include_upper as OpenSearch does.

import { parsingError } from '../errors.ts';
import { isObject, isValueToken, multipleFields, readCommon, renderCommon, renderParams, toBool, toText, type ParseContext } from './parse-util.ts';
import type { RangeQuery, Scalar } from './query.ts';

const RELATIONS = ['intersects', 'contains', 'within'];

/** Parses the body of `{"range": …}`. */
export function parseRange(body: Record<string, unknown>, _ctx: ParseContext): RangeQuery {
  let q: RangeQuery | undefined;
  const common: { boost?: number; _name?: string } = {};
  for (const [key, value] of Object.entries(body)) {
    if (isObject(value)) {
      if (q !== undefined) throw multipleFields('range', q.field, key);
      q = { type: 'range', field: key };
      for (const [opt, v] of Object.entries(value)) {
        if (!isValueToken(v)) throw parsingError(`[range] query does not support [${opt}]`);
        const bound = v as Scalar | null;
        switch (opt) {
          case 'from': q.from = bound; break;
          case 'to': q.to = bound; break;
          case 'include_lower': q.include_lower = toBool(v); break;
          case 'include_upper': q.include_upper = toBool(v); break;
          case 'gt': q.from = bound; q.include_lower = false; break;
          case 'gte': q.from = bound; q.include_lower = true; break;
          case 'lt': q.to = bound; q.include_upper = false; break;
          case 'lte': q.to = bound; q.include_upper = true; break;
          case 'format': q.format = toText(v, opt); break;
          case 'time_zone': q.time_zone = toText(v, opt); break;
          case 'relation': {
            const r = toText(v, opt);
            if (!RELATIONS.includes(r.toLowerCase())) throw parsingError(`[range] query does not support relation [${r}]`);
            q.relation = r;
            break;
          }
          default:
            if (!readCommon(opt, v, common)) throw parsingError(`[range] query does not support [${opt}]`);
        }
      }
    } else if (!readCommon(key, value, common)) {
      throw parsingError(`[range] query does not support [${key}]`);
    }
  }
  if (q === undefined) throw parsingError('[range] query malformed, no field to indicate field name');
  if (q.from === undefined) delete q.from;
  if (q.to === undefined) delete q.to;
  return Object.assign(q, common);
}

/** Renders a range query body (from/to form, the way OpenSearch prints it). */
export function renderRange(q: RangeQuery): Record<string, unknown> {
  const inner = renderParams(q, ['from', 'to', 'include_lower', 'include_upper', 'format', 'time_zone', 'relation'], {});
  return { [q.field]: renderCommon(q, inner) };
}
