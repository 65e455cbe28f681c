// The query of a Discover-style view: the query bar (DQL or Lucene), the filter pills and the time
// range, combined into one bool query. Shared by Discover, the export and the dashboards' panels.

import { parseDql } from './dql-parser.ts';
import { dqlToDsl, type Dsl, type FieldInfo } from './dql-to-dsl.ts';
import { filtersToBool, type Filter } from './filters.ts';

export type QueryLanguage = 'kuery' | 'lucene';

export interface QueryInput {
  language: QueryLanguage;
  text: string;
}

/** The query bar's clause alone (throws DqlSyntaxError for bad DQL; Lucene errors come from the server). */
export function queryBarClause(q: QueryInput, fields?: FieldInfo[]): Dsl {
  if (q.text.trim() === '') return { match_all: {} };
  if (q.language === 'lucene') return { query_string: { query: q.text, analyze_wildcard: true } };
  return dqlToDsl(parseDql(q.text), { fields });
}

/** Query bar + filters + time range (epoch millis, inclusive) as one bool query. */
export function buildQuery(opts: {
  query: QueryInput;
  filters: Filter[];
  fields?: FieldInfo[];
  time?: { field: string; from: number; to: number };
}): Dsl {
  const { filter, must_not } = filtersToBool(opts.filters);
  const clauses: Dsl[] = [];
  const bar = queryBarClause(opts.query, opts.fields);
  if (!('match_all' in bar)) clauses.push(bar);
  clauses.push(...filter);
  if (opts.time) {
    clauses.push({ range: { [opts.time.field]: { gte: new Date(opts.time.from).toISOString(), lte: new Date(opts.time.to).toISOString(), format: 'strict_date_optional_time' } } });
  }
  if (clauses.length === 0 && must_not.length === 0) return { match_all: {} };
  const bool: Record<string, unknown> = { filter: clauses };
  if (must_not.length) bool.must_not = must_not;
  return { bool };
}
