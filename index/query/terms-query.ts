// `terms`: any of several exact values in one field (`{"terms": {"field": [v1, v2]}}`). Terms
// lookup (fetching values from another document) is rejected. Executed as an OR of term postings.

import { illegalArgument, parsingError } from '../errors.ts';
import { isObject, readCommon, renderCommon, tokenName, type ParseContext } from './parse-util.ts';
import type { Scalar, TermsQuery } from './query.ts';

/** Parses the body of `{"terms": …}`. */
export function parseTerms(body: Record<string, unknown>, _ctx: ParseContext): TermsQuery {
  let field: string | undefined;
  let values: Scalar[] | undefined;
  const common: { boost?: number; _name?: string } = {};
  for (const [key, value] of Object.entries(body)) {
    if (Array.isArray(value)) {
      if (field !== undefined) {
        throw parsingError(`[terms] query does not support multiple fields, found [${field}] and [${key}]`);
      }
      field = key;
      values = value.map((v) => {
        if (v === null) throw parsingError('No value specified for terms query');
        if (typeof v === 'object') throw parsingError(`[terms] query does not support [${tokenName(v)}] values`);
        return v as Scalar;
      });
    } else if (isObject(value)) {
      if (field !== undefined) {
        throw parsingError(`[terms] query does not support multiple fields, found [${field}] and [${key}]`);
      }
      throw illegalArgument('[terms] terms lookup is not supported');
    } else if (!readCommon(key, value, common)) {
      throw parsingError(`[terms] query does not support [${key}]`);
    }
  }
  if (field === undefined || values === undefined) {
    throw illegalArgument('[terms] query requires a field name, followed by array of terms or a document lookup specification');
  }
  return { type: 'terms', field, values, ...common };
}

/** Renders a terms query body. */
export function renderTerms(q: TermsQuery): Record<string, unknown> {
  return renderCommon(q, { [q.field]: [...q.values] });
}
