// The can-match pre-filter phase: before the query phase, shards whose copy of the query would
// rewrite to match_none are skipped (reported in `_shards.skipped`). OpenSearch decides this by
// rewriting on the shard (a range outside the shard's values, an unmapped field, `_index` terms);
// Lookout runs the same few clause kinds against the shard and skips when they cannot match.

import { compileQuery, parseQuery } from '../query/index.ts';
import { wildcardRegExp } from '../mapping/mapping.ts';
import type { ShardSearchContext } from './shard-context.ts';

/**
 * Whether the pre-filter phase runs (TransportSearchAction.shouldPreFilterSearchShards): only for
 * query_then_fetch with a query that could rewrite to match_none, and more shards than the threshold.
 */
export function shouldPreFilter(body: Record<string, unknown> | null, searchType: string | undefined, preFilterShardSize: number | undefined, numShards: number): boolean {
  if (searchType === 'dfs_query_then_fetch') return false;
  return canRewriteToMatchNone(body) && (preFilterShardSize ?? 128) < numShards;
}

/** SearchService.canRewriteToMatchNone: a real query, no suggest, no aggregation that visits all docs. */
function canRewriteToMatchNone(body: Record<string, unknown> | null): boolean {
  const query = body?.query;
  if (query === undefined || query === null || body?.suggest !== undefined) return false;
  if (typeof query === 'object' && 'match_all' in query) return false;
  const aggs = (body?.aggs ?? body?.aggregations) as Record<string, Record<string, unknown>> | undefined;
  for (const agg of Object.values(aggs ?? {})) {
    if (agg && typeof agg === 'object' && 'global' in agg) return false;
    const terms = agg?.terms as Record<string, unknown> | undefined;
    if (terms && Number(terms.min_doc_count ?? 1) === 0) return false;
  }
  return true;
}

/** False when the query provably matches nothing on this shard (the shard may be skipped). */
export function canMatch(query: unknown, ctx: ShardSearchContext): boolean {
  if (query === null || typeof query !== 'object' || Array.isArray(query)) return true;
  const [type, body] = Object.entries(query as Record<string, unknown>)[0] ?? [];
  if (type === undefined) return true;
  const b = (body ?? {}) as Record<string, unknown>;
  switch (type) {
    case 'match_none':
      return false;
    case 'range': {
      const field = Object.keys(b).find((k) => k !== 'boost' && k !== '_name');
      if (field === undefined || field === '_index') return true;
      if (!ctx.mapping.field(field)) return false;
      try {
        const compiled = compileQuery(parseQuery(query), ctx, { needsScores: false });
        return ctx.segments.some((seg, ord) => compiled.matches(seg, ord).size > 0);
      } catch {
        return true; // errors surface in the query phase
      }
    }
    case 'term': case 'terms': case 'prefix': case 'wildcard': {
      const v = b._index;
      if (v === undefined) return true;
      const values = type === 'terms' ? (Array.isArray(v) ? v : []) : [v !== null && typeof v === 'object' ? (v as Record<string, unknown>).value : v];
      const name = ctx.indexName;
      return values.some((x) => {
        const s = String(x);
        if (type === 'prefix') return name.startsWith(s);
        if (type === 'wildcard') return wildcardRegExp(s).test(name);
        return s === name;
      });
    }
    case 'constant_score':
      return canMatch(b.filter, ctx);
    case 'bool': {
      const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
      const required = [...list(b.must), ...list(b.filter)];
      if (required.some((q) => !canMatch(q, ctx))) return false;
      const should = list(b.should);
      if (required.length === 0 && should.length > 0 && b.minimum_should_match === undefined) return should.some((q) => canMatch(q, ctx));
      return true;
    }
    default:
      return true;
  }
}
