// Named queries (`_name`): the sub-queries whose names a hit reports in `matched_queries`. OpenSearch
// keeps each named query as a standalone query (its own boost, not its parents'), so the query phase
// compiles and probes them apart from the main tree, only for the hits it returns.

import { assertNever, type Query } from './query.ts';

/** A named sub-query, in the order a depth-first walk meets it. */
export interface NamedQuery {
  name: string;
  query: Query;
}

/** Every `_name`d query in the tree (parents before children, clauses in request order). */
export function collectNamedQueries(q: Query, out: NamedQuery[] = []): NamedQuery[] {
  if (q._name !== undefined) out.push({ name: q._name, query: q });
  switch (q.type) {
    case 'bool':
      for (const c of [...q.must, ...q.filter, ...q.should, ...q.must_not]) collectNamedQueries(c, out);
      break;
    case 'constant_score': collectNamedQueries(q.filter, out); break;
    case 'dis_max': for (const c of q.queries) collectNamedQueries(c, out); break;
    case 'boosting':
      collectNamedQueries(q.positive, out);
      collectNamedQueries(q.negative, out);
      break;
    case 'match_all': case 'match_none': case 'term': case 'terms': case 'range': case 'exists': case 'prefix':
    case 'wildcard': case 'regexp': case 'fuzzy': case 'ids': case 'match': case 'match_phrase': case 'match_phrase_prefix':
    case 'match_bool_prefix': case 'multi_match': case 'query_string': case 'simple_query_string': case 'intervals':
    case 'distance_feature': case 'span_term': case 'span_near': case 'span_or': case 'span_first': case 'span_multi':
    case 'span_not': case 'span_containing': case 'span_within': case 'field_masking_span':
      break;
    default: assertNever(q);
  }
  return out;
}
