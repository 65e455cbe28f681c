// `exists`: docs with any indexed or doc-values value for a field (or any field under an object
// path / matching a wildcard). Executed from postings for inverted fields, doc values otherwise.

import { parsingError } from '../errors.ts';
import { readCommon, renderCommon, toText, type ParseContext } from './parse-util.ts';
import type { ExistsQuery } from './query.ts';

/** Parses the body of `{"exists": …}`. */
export function parseExists(body: Record<string, unknown>, _ctx: ParseContext): ExistsQuery {
  let field: string | undefined;
  const common: { boost?: number; _name?: string } = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'field') field = toText(value, key);
    else if (!readCommon(key, value, common)) throw parsingError(`[exists] query does not support [${key}]`);
  }
  if (field === undefined) throw parsingError('[exists] must be provided with a [field]');
  return { type: 'exists', field, ...common };
}

/** Renders an exists query body. */
export function renderExists(q: ExistsQuery): Record<string, unknown> {
  return renderCommon(q, { field: q.field });
}
