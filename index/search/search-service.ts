// The search coordinator: resolves indices and aliases, fans a request out to every shard (query
// phase), merges the shard top-k lists and aggregation partials in one place, then fetches the hits.

import { OpenSearchError, illegalArgument } from '../errors.ts';
import type { Index } from '../indices/index.ts';
import type { IndicesService } from '../indices/indices-service.ts';
import type { ResolveOptions } from '../indices/expressions.ts';
import { intSetting } from '../indices/settings.ts';
import { parseQuery, compileQuery, type Query } from '../query/index.ts';
import { executeQueryPhase, compareShardHits, type ShardQueryResult } from './query-phase.ts';
import { parseSort } from './sort.ts';
import { parseAggregations, collectAggregations, reduceAggregations, renderAggregations } from '../aggs/index.ts';
import { fetchHit, float32Value } from './fetch-phase.ts';
import { highlightHit } from './highlight.ts';
import { parseSearchRequest, type SearchRequest } from './search-request.ts';
import { shardTermStatistics, type ShardSearchContext, type TermStatistics } from './shard-context.ts';

/** Search-wide options from the URL. */
export interface SearchOptions extends ResolveOptions {
  restTotalHitsAsInt?: boolean;
  typedKeys?: boolean;
  searchType?: string;
  routing?: string;
  preference?: string;
}

interface ShardTarget {
  index: Index;
  shardIndex: number;
  ctx: ShardSearchContext;
  query: Query;
}

export const DEFAULT_MAX_BUCKETS = 65535;

export class SearchService {
  constructor(readonly indices: IndicesService) {}

  /** Runs `_search` and returns the response body. */
  search(indexExpr: string | undefined, body: Record<string, unknown> | null, params: Record<string, string>, opts: SearchOptions): Record<string, unknown> {
    const started = Date.now();
    const req = parseSearchRequest(body, params);
    const userQuery: unknown = req.query ?? { match_all: {} };
    parseQuery(userQuery); // fail fast on a bad query, before touching shards
    const sort = req.sort === undefined ? undefined : parseSort(req.sort);
    const aggs = req.aggs ? parseAggregations(req.aggs) : undefined;
    const targets = this.shardTargets(indexExpr, userQuery, opts);
    for (const t of targets) {
      const window = intSetting(t.index.meta.settings, 'index.max_result_window', 10000);
      if (req.from + req.size > window && req.searchAfter === undefined) {
        throw searchPhaseError(illegalArgument(`Result window is too large, from + size must be less than or equal to: [${window}] but was [${req.from + req.size}]. See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the [index.max_result_window] index level setting.`), t.index.name);
      }
    }
    if (opts.searchType === 'dfs_query_then_fetch') {
      const global = globalStatistics(targets.map((t) => t.ctx.stats));
      for (const t of targets) t.ctx.stats = global;
    }
    const postFilter = req.postFilter === undefined ? undefined : parseQuery(req.postFilter);
    const results: Array<{ target: ShardTarget; result: ShardQueryResult }> = [];
    for (const target of targets) {
      const result = executeQueryPhase(target.ctx, {
        query: compileQuery(target.query, target.ctx, { needsScores: true }),
        postFilter: postFilter ? compileQuery(postFilter, target.ctx, { needsScores: false }) : undefined,
        size: req.from + req.size,
        sort,
        searchAfter: req.searchAfter,
        trackTotalHits: req.trackTotalHits,
        terminateAfter: req.terminateAfter,
        minScore: req.minScore,
        trackScores: req.trackScores,
        needAggMatches: aggs !== undefined,
      });
      results.push({ target, result });
    }
    // Merge: totals add up; the top from+size across shards by the shared comparator.
    let total = 0;
    let relation: 'eq' | 'gte' = 'eq';
    let maxScore: number | null = null;
    const merged: Array<{ shard: number; hit: ShardQueryResult['hits'][number] }> = [];
    results.forEach(({ result }, shard) => {
      total += result.totalHits.value;
      if (result.totalHits.relation === 'gte') relation = 'gte';
      if (result.maxScore !== null && !Number.isNaN(result.maxScore)) maxScore = maxScore === null ? result.maxScore : Math.max(maxScore, result.maxScore);
      for (const hit of result.hits) merged.push({ shard, hit });
    });
    merged.sort((a, b) => compareShardHits(a.hit, a.shard, b.hit, b.shard, sort));
    if (typeof req.trackTotalHits === 'number' && total > req.trackTotalHits) {
      total = req.trackTotalHits;
      relation = 'gte';
    }
    const page = merged.slice(req.from, req.from + req.size);
    const hits = page.map(({ shard, hit }) => {
      const { target } = results[shard];
      const segment = target.ctx.segments[hit.segmentOrd];
      const highlight = req.highlight ? highlightHit(target.ctx, userQuery, segment, hit.doc, req.highlight) : undefined;
      return fetchHit({ index: target.index, segment, doc: hit.doc, score: hit.score, sortValues: hit.sortValues, highlight }, req);
    });
    const response: Record<string, unknown> = {
      took: Date.now() - started,
      timed_out: false,
    };
    if (results.some((r) => r.result.terminatedEarly)) response.terminated_early = true;
    response._shards = { total: targets.length, successful: targets.length, skipped: 0, failed: 0 };
    const totalOut = req.trackTotalHits === false ? undefined : opts.restTotalHitsAsInt ? total : { value: total, relation };
    response.hits = {
      ...(totalOut === undefined ? {} : { total: totalOut }),
      max_score: sort && !req.trackScores ? null : float32Value(maxScore),
      hits,
    };
    if (aggs) {
      const maxBuckets = this.indices.clusterIntSetting('search.max_buckets', DEFAULT_MAX_BUCKETS);
      const partials = results.map(({ target, result }) =>
        collectAggregations(aggs, target.ctx, result.aggMatches ?? [], { maxBuckets, memoryBudgetBytes: 512 * 1024 * 1024 }),
      );
      const reduced = reduceAggregations(aggs, partials, { maxBuckets });
      response.aggregations = renderAggregations(aggs, reduced, { typedKeys: opts.typedKeys === true });
    }
    return response;
  }

  /** Runs `_count`. */
  count(indexExpr: string | undefined, body: Record<string, unknown> | null, params: Record<string, string>, opts: SearchOptions): Record<string, unknown> {
    for (const k of Object.keys(body ?? {})) {
      if (k !== 'query') throw new OpenSearchError('parsing_exception', `request does not support [${k}]`, 400);
    }
    const r = this.search(indexExpr, { query: body?.query ?? { match_all: {} }, size: 0 }, { ...params, track_total_hits: 'true' }, opts);
    const hits = r.hits as { total: { value: number } };
    return { count: hits.total.value, _shards: r._shards };
  }

  /** Every shard the expression covers, each with its context and the query (alias filters applied). */
  shardTargets(indexExpr: string | undefined, userQuery: unknown, opts: SearchOptions): ShardTarget[] {
    const resolved = this.indices.resolveOpen(indexExpr, opts);
    const now = Date.now();
    const targets: ShardTarget[] = [];
    for (const { index, resolved: r } of resolved) {
      let queryJson = userQuery;
      // An index reached only through aliases, all of them filtered, sees the OR of those filters.
      const filters = r.viaAliases.map((a) => index.meta.aliases[a]?.filter);
      if (!r.direct && filters.length > 0 && filters.every((f) => f !== undefined)) {
        queryJson = { bool: { must: [userQuery], filter: [filters.length === 1 ? filters[0] : { bool: { should: filters } }] } };
      }
      const query = parseQuery(queryJson);
      const routingShards = this.routedShards(index, opts.routing, r.viaAliases);
      for (const shard of index.shards) {
        if (routingShards && !routingShards.has(shard.shardId)) continue;
        const segments = shard.segments;
        const ctx: ShardSearchContext = {
          indexName: index.name,
          indexUuid: index.uuid,
          shardId: shard.shardId,
          mapping: index.mapping,
          analyzers: index,
          segments,
          stats: shardTermStatistics(segments),
          now,
          settings: index.meta.settings as Record<string, string>,
        };
        targets.push({ index, shardIndex: targets.length, ctx, query });
      }
    }
    return targets;
  }

  private routedShards(index: Index, routing: string | undefined, aliases: string[]): Set<number> | null {
    const values = routing?.split(',') ?? aliases.flatMap((a) => index.meta.aliases[a]?.search_routing?.split(',') ?? []);
    if (values.length === 0) return null;
    return new Set(values.map((v) => index.shardFor('', v).shardId));
  }
}

/** Wraps a shard-level failure the way OpenSearch reports "all shards failed". */
export function searchPhaseError(cause: OpenSearchError, index: string): OpenSearchError {
  return new OpenSearchError('search_phase_execution_exception', 'all shards failed', cause.status, {
    phase: 'query',
    grouped: true,
    failed_shards: [{ shard: 0, index, node: 'lookout-node-1', reason: cause.toJSON() }],
  }, cause, [cause]);
}

/** dfs_query_then_fetch: statistics summed over every shard. */
function globalStatistics(all: TermStatistics[]): TermStatistics {
  return {
    docFreq: (f, t) => all.reduce((n, s) => n + s.docFreq(f, t), 0),
    fieldStats: (f) => all.reduce((acc, s) => {
      const st = s.fieldStats(f);
      return { docCount: acc.docCount + st.docCount, sumTotalTermFreq: acc.sumTotalTermFreq + st.sumTotalTermFreq };
    }, { docCount: 0, sumTotalTermFreq: 0 }),
    maxDoc: () => all.reduce((n, s) => n + s.maxDoc(), 0),
  };
}
