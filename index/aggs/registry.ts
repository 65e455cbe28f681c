// The one list of aggregation types: name → module (parse / collect / reduce / render). Adding an
// aggregation means writing its module and adding one line here.

import { cardinalityAgg, valueCountAgg, weightedAvgAgg } from './count-metrics-agg.ts';
import { filterAgg, filtersAgg, globalAgg, missingAgg, samplerAgg } from './filter-agg.ts';
import { autoDateHistogramAgg } from './auto-date-histogram-agg.ts';
import { dateHistogramAgg, histogramAgg } from './histogram-agg.ts';
import {
  bucketScriptAgg, bucketSelectorAgg, bucketSortAgg, cumulativeSumAgg, derivativeAgg, movingFnAgg, serialDiffAgg,
} from './parent-pipelines-agg.ts';
import { madAgg, percentileRanksAgg, percentilesAgg } from './percentiles-agg.ts';
import { dateRangeAgg, ipRangeAgg, rangeAgg } from './range-agg.ts';
import {
  avgBucketAgg, extendedStatsBucketAgg, maxBucketAgg, minBucketAgg, percentilesBucketAgg, statsBucketAgg, sumBucketAgg,
} from './sibling-pipelines-agg.ts';
import { avgAgg, extendedStatsAgg, maxAgg, minAgg, statsAgg, sumAgg } from './stats-agg.ts';
import { termsAgg } from './terms-agg.ts';
import { multiTermsAgg } from './multi-terms-agg.ts';
import { topHitsAgg } from './top-hits-agg.ts';
import { compositeAgg } from './composite-agg.ts';
import { rareTermsAgg, significantTermsAgg } from './rare-terms-agg.ts';
import type { AggregationType, PipelineType } from './types.ts';

/** Every supported aggregation type by its request name. */
export const REGISTRY: Record<string, AggregationType | PipelineType> = {
  // metrics
  avg: avgAgg, sum: sumAgg, min: minAgg, max: maxAgg, stats: statsAgg, extended_stats: extendedStatsAgg,
  value_count: valueCountAgg, cardinality: cardinalityAgg, weighted_avg: weightedAvgAgg,
  percentiles: percentilesAgg, percentile_ranks: percentileRanksAgg, median_absolute_deviation: madAgg, top_hits: topHitsAgg,
  // buckets
  terms: termsAgg, multi_terms: multiTermsAgg, rare_terms: rareTermsAgg, significant_terms: significantTermsAgg,
  histogram: histogramAgg, date_histogram: dateHistogramAgg, auto_date_histogram: autoDateHistogramAgg, sampler: samplerAgg,
  range: rangeAgg, date_range: dateRangeAgg, ip_range: ipRangeAgg,
  filter: filterAgg, filters: filtersAgg, missing: missingAgg, global: globalAgg, composite: compositeAgg,
  // pipelines
  avg_bucket: avgBucketAgg, sum_bucket: sumBucketAgg, min_bucket: minBucketAgg, max_bucket: maxBucketAgg,
  stats_bucket: statsBucketAgg, extended_stats_bucket: extendedStatsBucketAgg, percentiles_bucket: percentilesBucketAgg,
  derivative: derivativeAgg, cumulative_sum: cumulativeSumAgg, serial_diff: serialDiffAgg, moving_fn: movingFnAgg,
  bucket_script: bucketScriptAgg, bucket_selector: bucketSelectorAgg, bucket_sort: bucketSortAgg,
};

/** The registry entry of a type name, or undefined. */
export function lookup(type: string): AggregationType | PipelineType | undefined {
  return Object.prototype.hasOwnProperty.call(REGISTRY, type) ? REGISTRY[type] : undefined;
}

/** True for pipeline entries. */
export function isPipeline(e: AggregationType | PipelineType): e is PipelineType {
  return e.kind === 'pipeline';
}
