// `terms`: any of several exact values in one field (`{"terms": {"field": [v1, v2]}}`), the values
// of another document's field (terms lookup, resolved on the coordinator by terms-lookup.ts), or a
// serialized RoaringBitmap of integers (`value_type: bitmap`). Executed as an OR of term postings.

import { illegalArgument, parsingError } from '../errors.ts';
import { isObject, readCommon, renderCommon, tokenName, toBool, toText, type ParseContext } from './parse-util.ts';
import type { Scalar, TermsLookup, TermsQuery } from './query.ts';

const LOOKUP_KEYS = ['index', 'id', 'path', 'routing', 'store'];

/** Parses the body of `{"terms": …}`. */
export function parseTerms(body: Record<string, unknown>, _ctx: ParseContext): TermsQuery {
  let field: string | undefined;
  let values: Scalar[] | undefined;
  let lookup: TermsLookup | undefined;
  let valueType: TermsQuery['value_type'];
  const common: { boost?: number; _name?: string } = {};
  for (const [key, value] of Object.entries(body)) {
    if (Array.isArray(value) || isObject(value)) {
      if (field !== undefined) {
        throw parsingError(`[terms] query does not support multiple fields, found [${field}] and [${key}]`);
      }
      field = key;
      if (Array.isArray(value)) {
        values = value.map((v) => {
          if (v === null) throw parsingError('No value specified for terms query');
          if (typeof v === 'object') throw parsingError(`[terms] query does not support [${tokenName(v)}] values`);
          return v as Scalar;
        });
      } else {
        lookup = parseLookup(value);
        values = [];
      }
    } else if (key === 'value_type') {
      const t = toText(value, key);
      if (t !== 'default' && t !== 'bitmap') throw illegalArgument(`[terms] query does not support value_type [${t}]`);
      valueType = t;
    } else if (!readCommon(key, value, common)) {
      throw parsingError(`[terms] query does not support [${key}]`);
    }
  }
  if (field === undefined || values === undefined) {
    throw illegalArgument('[terms] query requires a field name, followed by array of terms or a document lookup specification');
  }
  if (valueType === 'bitmap' && lookup === undefined && (values.length !== 1 || typeof values[0] !== 'string')) {
    throw illegalArgument('Invalid value for bitmap type: Expected a single-element array with a base64 encoded serialized bitmap.');
  }
  const q: TermsQuery = { type: 'terms', field, values, ...common };
  if (lookup) q.lookup = lookup;
  if (valueType) q.value_type = valueType;
  return q;
}

function parseLookup(o: Record<string, unknown>): TermsLookup {
  const l: Partial<TermsLookup> = {};
  for (const [k, v] of Object.entries(o)) {
    if (!LOOKUP_KEYS.includes(k)) throw parsingError(`[terms] query does not support [${k}] within lookup element`);
    if (k === 'store') l.store = toBool(v);
    else (l as Record<string, unknown>)[k] = toText(v, k);
  }
  if (l.index === undefined) throw illegalArgument('[terms] query lookup element requires specifying the index.');
  if (l.id === undefined) throw illegalArgument('[terms] query lookup element requires specifying the id.');
  if (l.path === undefined) throw illegalArgument('[terms] query lookup element requires specifying the path.');
  return l as TermsLookup;
}

/** Renders a terms query body. */
export function renderTerms(q: TermsQuery): Record<string, unknown> {
  const body: Record<string, unknown> = { [q.field]: q.lookup ? { ...q.lookup } : [...q.values] };
  if (q.value_type !== undefined) body.value_type = q.value_type;
  return renderCommon(q, body);
}
