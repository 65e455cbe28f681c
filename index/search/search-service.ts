// The search coordinator: resolves indices and aliases, fans a request out to every shard (query
// phase), merges the shard top-k lists and aggregation partials in one place, then fetches the hits.

import { OpenSearchError, illegalArgument, indexClosed } from '../errors.ts';
import type { Index } from '../indices/index.ts';
import type { IndicesService } from '../indices/indices-service.ts';
import { resolveExpression, type ResolveOptions, type ResolvedIndex } from '../indices/expressions.ts';
import { resolveDateMathExpression } from '../indices/date-math-index-name.ts';
import { intSetting } from '../indices/settings.ts';
import type { FieldInfo } from '../mapping/field-types.ts';
import { parseQuery, compileQuery, type Query } from '../query/index.ts';
import { withTemporaryBitmaps } from '../query/exec/bitmaps.ts';
import { executeQueryPhase, compareShardHits, type QueryPhaseRequest, type ShardHit, type ShardQueryResult } from './query-phase.ts';
import { canMatch, shouldPreFilter } from './can-match.ts';
import { hasTermsLookupJson, rewriteTermsLookups, type LookupSourceFetcher } from './terms-lookup-rewrite.ts';
import { checkCollapseField, collapseKey, firstPerKey, groupSearchBody, parseCollapse, type CollapseKey, type CollapseSpec } from './collapse.ts';
import { parseSort, type SortSpec } from './sort.ts';
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
  /** The query JSON this shard runs (alias filters applied), for the can-match phase. */
  queryJson: unknown;
}

export const DEFAULT_MAX_BUCKETS = 65535;

export class SearchService {
  constructor(readonly indices: IndicesService) {}

  /** Runs `_search` and returns the response body. */
  search(indexExpr: string | undefined, body: Record<string, unknown> | null, params: Record<string, string>, opts: SearchOptions): Record<string, unknown> {
    return withTemporaryBitmaps(() => this.searchNow(indexExpr, body, params, opts));
  }

  private searchNow(indexExpr: string | undefined, body: Record<string, unknown> | null, params: Record<string, string>, opts: SearchOptions): Record<string, unknown> {
    const started = Date.now();
    const req = parseSearchRequest(body, params);
    if (hasTermsLookupJson(req.query)) req.query = rewriteTermsLookups(req.query, this.lookupSource);
    if (hasTermsLookupJson(req.postFilter)) req.postFilter = rewriteTermsLookups(req.postFilter, this.lookupSource);
    const userQuery: unknown = req.query ?? { match_all: {} };
    parseQuery(userQuery); // fail fast on a bad query, before touching shards
    const sort = req.sort === undefined ? undefined : parseSort(req.sort);
    const aggs = req.aggs ? parseAggregations(req.aggs) : undefined;
    const collapse = req.collapse === undefined ? undefined : parseCollapse(req.collapse);
    if (collapse && req.searchAfter !== undefined) throw illegalArgument('cannot use `collapse` in conjunction with `search_after`');
    const expr = resolveDateMathExpression(indexExpr, started);
    const targets = this.shardTargets(expr, userQuery, opts);
    checkShardLimits(req, targets);
    if (sort) checkSortTypes(sort, targets);
    const boosts = req.indicesBoost ? this.indexBoosts(req.indicesBoost, opts) : undefined;
    const collapseFields = new Map<Index, FieldInfo>();
    if (collapse) {
      for (const t of targets) {
        if (collapseFields.has(t.index)) continue;
        try {
          collapseFields.set(t.index, checkCollapseField(t.ctx, collapse));
        } catch (err) {
          throw err instanceof OpenSearchError ? searchPhaseError(err, t.index.name) : err;
        }
      }
    }
    if (opts.searchType === 'dfs_query_then_fetch') {
      const global = globalStatistics(targets.map((t) => t.ctx.stats));
      for (const t of targets) t.ctx.stats = global;
    }
    // Can-match: shards whose query rewrites to match_none are skipped, but one shard always runs.
    let active = targets;
    if (shouldPreFilter({ query: req.query, aggs: req.aggs }, opts.searchType, req.preFilterShardSize, targets.length)) {
      active = targets.filter((t) => canMatch(t.queryJson, t.ctx));
      if (active.length === 0 && targets.length > 0) active = [targets[0]];
    }
    const postFilter = req.postFilter === undefined ? undefined : parseQuery(req.postFilter);
    const want = req.from + req.size;
    const results: Array<{ target: ShardTarget; result: ShardQueryResult }> = [];
    for (const target of active) {
      const queryReq: QueryPhaseRequest = {
        query: compileQuery(target.query, target.ctx, { needsScores: true }),
        postFilter: postFilter ? compileQuery(postFilter, target.ctx, { needsScores: false }) : undefined,
        size: want,
        sort,
        searchAfter: req.searchAfter,
        trackTotalHits: req.trackTotalHits,
        terminateAfter: req.terminateAfter,
        minScore: req.minScore,
        trackScores: req.trackScores,
        needAggMatches: aggs !== undefined,
        includeNamedQueriesScore: req.includeNamedQueriesScore,
      };
      let result = executeQueryPhase(target.ctx, queryReq);
      const info = collapseFields.get(target.index);
      if (info) {
        // A shard returns its best `want` groups: collect more hits until that many groups are seen.
        const keyOf = (h: ShardHit) => collapseKey(info, target.ctx.segments[h.segmentOrd], h.doc);
        let k = want;
        while (firstPerKey(result.hits, keyOf).length < want && result.hits.length === k && k > 0) {
          k *= 4;
          result = executeQueryPhase(target.ctx, { ...queryReq, size: k });
        }
        result.hits = firstPerKey(result.hits, keyOf);
      }
      const boost = boosts?.get(target.index.name);
      if (boost !== undefined && boost !== 1) {
        for (const h of result.hits) h.score = Math.fround(h.score * boost);
        if (result.maxScore !== null) result.maxScore = Math.fround(result.maxScore * boost);
      }
      results.push({ target, result });
    }
    // Merge: totals add up; the top from+size across shards by the shared comparator.
    let total = 0;
    let relation: 'eq' | 'gte' = 'eq';
    let maxScore: number | null = null;
    let merged: Array<{ shard: number; hit: ShardHit }> = [];
    results.forEach(({ result }, shard) => {
      total += result.totalHits.value;
      if (result.totalHits.relation === 'gte') relation = 'gte';
      if (result.maxScore !== null && !Number.isNaN(result.maxScore)) maxScore = maxScore === null ? result.maxScore : Math.max(maxScore, result.maxScore);
      for (const hit of result.hits) merged.push({ shard, hit });
    });
    merged.sort((a, b) => compareShardHits(a.hit, a.shard, b.hit, b.shard, sort));
    const keyOfMerged = ({ shard, hit }: { shard: number; hit: ShardHit }): CollapseKey => {
      const { target } = results[shard];
      return collapseKey(collapseFields.get(target.index)!, target.ctx.segments[hit.segmentOrd], hit.doc);
    };
    if (collapse) merged = firstPerKey(merged, keyOfMerged);
    if (typeof req.trackTotalHits === 'number' && total > req.trackTotalHits) {
      total = req.trackTotalHits;
      relation = 'gte';
    }
    const page = merged.slice(req.from, req.from + req.size);
    const hits = page.map((m) => {
      const { target } = results[m.shard];
      const { hit } = m;
      const segment = target.ctx.segments[hit.segmentOrd];
      const highlight = req.highlight ? highlightHit(target.ctx, userQuery, segment, hit.doc, req.highlight) : undefined;
      const out = fetchHit({ index: target.index, segment, doc: hit.doc, score: hit.score, sortValues: hit.sortValues, highlight, matchedQueries: hit.matchedQueries }, req);
      if (collapse) {
        const key = keyOfMerged(m);
        out.fields = { ...(out.fields as Record<string, unknown[]> | undefined), [collapse.field]: [key] };
        if (collapse.innerHits.length > 0) out.inner_hits = this.expandGroup(expr, collapse, key, req, params, opts);
      }
      return out;
    });
    const response: Record<string, unknown> = {
      took: Date.now() - started,
      timed_out: false,
    };
    if (results.some((r) => r.result.terminatedEarly)) response.terminated_early = true;
    const reducePhases = numReducePhases(results.length, req.batchedReduceSize, aggs !== undefined || req.size > 0);
    if (reducePhases !== 1) response.num_reduce_phases = reducePhases;
    const skipped = targets.length - active.length;
    response._shards = { total: targets.length, successful: targets.length, skipped, failed: 0 };
    const totalOut = req.trackTotalHits === false
      ? (opts.restTotalHitsAsInt ? -1 : undefined)
      : opts.restTotalHitsAsInt ? total : { value: total, relation };
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

  /**
   * The expand phase of field collapsing: one search per inner_hits entry over the same indices,
   * restricted to the hit's group (ExpandSearchPhase).
   */
  private expandGroup(expr: string | undefined, collapse: CollapseSpec, key: CollapseKey, req: SearchRequest, params: Record<string, string>, opts: SearchOptions): Record<string, unknown> {
    const innerParams: Record<string, string> = {};
    if (params.rest_total_hits_as_int !== undefined) innerParams.rest_total_hits_as_int = params.rest_total_hits_as_int;
    const out: Record<string, unknown> = {};
    for (const inner of collapse.innerHits) {
      const body = groupSearchBody(collapse, inner, key, req.query, req.postFilter);
      const r = this.search(expr, body, innerParams, opts);
      out[inner.name] = { hits: r.hits };
    }
    return out;
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

  /**
   * Every shard the expression covers, each with its context and the query (alias filters applied).
   * Searches refuse closed indices unless `ignore_unavailable` (they are only reached by name, or by
   * wildcards when `expand_wildcards` includes `closed`).
   */
  shardTargets(indexExpr: string | undefined, userQuery: unknown, opts: SearchOptions): ShardTarget[] {
    const resolved: Array<{ index: Index; resolved: ResolvedIndex }> = [];
    for (const r of resolveExpression(indexExpr, this.indices.metas, opts)) {
      const index = this.indices.indices.get(r.name);
      if (index) resolved.push({ index, resolved: r });
      else if (!opts.ignoreUnavailable) throw indexClosed(r.name, this.indices.metas.get(r.name)!.uuid);
    }
    const now = Date.now();
    const expensive = this.indices.clusterSetting('search.allow_expensive_queries');
    const clusterSearchSettings: Record<string, string> = expensive === undefined ? {} : { 'search.allow_expensive_queries': expensive };
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
          // Index settings plus the cluster settings queries consult (search.allow_expensive_queries).
          settings: { ...(index.meta.settings as Record<string, string>), ...clusterSearchSettings },
        };
        targets.push({ index, shardIndex: targets.length, ctx, query, queryJson });
      }
    }
    return targets;
  }

  /**
   * `indices_boost`: each entry's expression resolved to concrete indices (missing names fail
   * unless `ignore_unavailable`); the first entry naming an index sets its boost.
   */
  private indexBoosts(entries: Array<{ expr: string; boost: number }>, opts: SearchOptions): Map<string, number> {
    const boosts = new Map<string, number>();
    for (const { expr, boost } of entries) {
      for (const r of resolveExpression(expr, this.indices.metas, opts)) {
        if (!boosts.has(r.name)) boosts.set(r.name, boost);
      }
    }
    return boosts;
  }

  /** Reads a terms-lookup document (realtime, like a GET) for the coordinator's rewrite. */
  private readonly lookupSource: LookupSourceFetcher = (index, id, routing) => {
    const found = this.indices.resolveOpen(index);
    if (found.length !== 1) throw illegalArgument(`[terms] lookup index [${index}] must resolve to exactly one index`);
    const doc = found[0].index.shardFor(id, routing ?? null).get(id);
    return doc ? (JSON.parse(doc.source.toString('utf8')) as Record<string, unknown>) : null;
  };

  private routedShards(index: Index, routing: string | undefined, aliases: string[]): Set<number> | null {
    const values = routing?.split(',') ?? aliases.flatMap((a) => index.meta.aliases[a]?.search_routing?.split(',') ?? []);
    if (values.length === 0) return null;
    return new Set(values.map((v) => index.shardFor('', v).shardId));
  }
}

/**
 * Per-index request limits, checked as each shard would (DefaultSearchContext.preProcess and
 * SearchService.parseSource), then the features Lookout refuses once their limits pass.
 */
function checkShardLimits(req: SearchRequest, targets: ShardTarget[]): void {
  const checked = new Set<Index>();
  for (const t of targets) {
    if (checked.has(t.index)) continue;
    checked.add(t.index);
    const settings = t.index.meta.settings;
    const fail = (reason: string) => searchPhaseError(illegalArgument(reason), t.index.name);
    const window = intSetting(settings, 'index.max_result_window', 10000);
    if (req.from + req.size > window && req.searchAfter === undefined) {
      throw fail(req.scroll !== undefined
        ? `Batch size is too large, size must be less than or equal to: [${window}] but was [${req.from + req.size}]. Scroll batch sizes cost as much memory as result windows so they are controlled by the [index.max_result_window] index level setting.`
        : `Result window is too large, from + size must be less than or equal to: [${window}] but was [${req.from + req.size}]. See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the [index.max_result_window] index level setting.`);
    }
    const rescoreWindow = intSetting(settings, 'index.max_rescore_window', window);
    for (const r of req.rescore ?? []) {
      const size = r.window_size === undefined ? 10 : Number(r.window_size);
      if (size > rescoreWindow) {
        throw fail(`Rescore window [${size}] is too large. It must be less than [${rescoreWindow}]. This prevents allocating massive heaps for storing the results to be rescored. This limit can be set by changing the [index.max_rescore_window] index level setting.`);
      }
    }
    const maxDocvalue = intSetting(settings, 'index.max_docvalue_fields_search', 100);
    if (req.docvalueFields && req.docvalueFields.length > maxDocvalue) {
      throw fail(`Trying to retrieve too many docvalue_fields. Must be less than or equal to: [${maxDocvalue}] but was [${req.docvalueFields.length}]. This limit can be set by changing the [index.max_docvalue_fields_search] index level setting.`);
    }
    const maxScript = intSetting(settings, 'index.max_script_fields', 32);
    const scriptCount = Object.keys(req.scriptFields ?? {}).length;
    if (scriptCount > maxScript) {
      throw fail(`Trying to retrieve too many script_fields. Must be less than or equal to: [${maxScript}] but was [${scriptCount}]. This limit can be set by changing the [index.max_script_fields] index level setting.`);
    }
  }
  if (req.scroll !== undefined) throw illegalArgument('scroll is not supported by Lookout; use search_after');
  if (req.scriptFields !== undefined) throw illegalArgument('[script_fields] is not supported by Lookout');
  if (req.rescore !== undefined) throw illegalArgument('[rescore] is not supported by Lookout');
}

/**
 * Sorting merges shard values of one field; OpenSearch refuses to merge unsigned_long values with
 * another numeric type (SearchPhaseController's sort-type check).
 */
function checkSortTypes(sort: SortSpec, targets: ShardTarget[]): void {
  for (const s of sort) {
    if (s.kind !== 'field') continue;
    const types = new Set<string>();
    for (const t of targets) {
      const type = t.ctx.mapping.field(s.field)?.type;
      if (type !== undefined) types.add(type);
    }
    if (types.size > 1 && types.has('unsigned_long')) {
      throw searchPhaseError(illegalArgument(`Can't do sort across indices, as a field has [unsigned_long] type in one index, and different type in another index!`), targets[0].index.name);
    }
  }
}

/**
 * How many reduce phases the coordinator reports (QueryPhaseResultConsumer): results are buffered
 * `batchedReduceSize` at a time; each full buffer is reduced into its first slot, then one final reduce.
 */
function numReducePhases(shards: number, batchedReduceSize: number, consumes: boolean): number {
  if (!consumes || shards <= batchedReduceSize) return 1;
  return 1 + Math.ceil((shards - batchedReduceSize) / (batchedReduceSize - 1));
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
