// Aggregations: the API the search coordinator uses. Per request: parse once; per shard: collect
// (plain-JSON partials); on the coordinator: reduce all partials (pipelines run after the final
// reduce); then render the response's `aggregations` object.
//
//   const aggs = parseAggregations(body.aggs ?? body.aggregations);
//   const partial = collectAggregations(aggs, shardCtx, segmentMatches, { maxBuckets, memoryBudgetBytes });
//   const reduced = reduceAggregations(aggs, partials, { maxBuckets });
//   response.aggregations = renderAggregations(aggs, reduced, { typedKeys });
//
// Errors are OpenSearchError (parsing_exception, x_content_parse_exception, illegal_argument_exception,
// aggregation_execution_exception, too_many_buckets_exception (503), circuit_breaking_exception (429)).

export { parseAggregations } from './parse.ts';
export { collectAggregations } from './collect.ts';
export { reduceAggregations } from './reduce.ts';
export { renderAggregations } from './render.ts';
export type {
  AggregationRequest, ShardAggregations, ReducedAggregations, CollectLimits, ReduceContext, RenderOptions,
} from './types.ts';
