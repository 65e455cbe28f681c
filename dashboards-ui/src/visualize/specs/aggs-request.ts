// Stage 1 of a chart: the builder state → one OpenSearch `_search` body. Bucket levels nest in the
// order the editor lists them, every metric sits under the innermost level (or at the top when there
// are no buckets), and the time range, the visualization's query and the dashboard's query and
// filters are ANDed in a bool filter. flatten-response.ts walks the response in the same order.

import { resolveRange } from '../../query/time-range.ts';
import { autoInterval, intervalMs } from './interval.ts';
import type { TimeRange } from '../../query/time-range.ts';
import type { BucketAgg, MetricAgg, VisState } from './vis-state.ts';

/** An OpenSearch query DSL object. */
export type Dsl = Record<string, unknown>;

/** Turns a query bar string (DQL) into DSL; the UI passes the shared DQL translator. */
export type QueryTranslator = (query: string) => Dsl;

/** The default translator: Lucene syntax through `query_string` (used when no DQL translator is given). */
export const queryStringTranslator: QueryTranslator = (q) => ({ query_string: { query: q, analyze_wildcard: true } });

export interface RequestContext {
  /** The shared time range; ignored when the state has no time field. */
  timeRange?: TimeRange;
  /** Epoch millis standing for `now` (tests pass a fixed value). */
  now: number;
  /** The dashboard / query bar query, ANDed with the visualization's own. */
  query?: string;
  /** Extra DSL filters (pinned filters, variables). */
  filters?: Dsl[];
  translate?: QueryTranslator;
  /** Buckets a date histogram aims for with interval `auto`. */
  targetBuckets?: number;
}

export interface SearchRequest {
  /** Index pattern to search (`POST /<index>/_search`). */
  index: string;
  body: Dsl;
}

/** Thrown when the state cannot be turned into a request (the editor shows the message). */
export class VisRequestError extends Error {}

/** The `_search` request of a visualization. */
export function buildSearchRequest(state: VisState, ctx: RequestContext): SearchRequest {
  const translate = ctx.translate ?? queryStringTranslator;
  const filter: Dsl[] = [];
  let bounds: { from: number; to: number } | undefined;
  if (state.timeField && ctx.timeRange) {
    bounds = resolveRange(ctx.timeRange, ctx.now);
    filter.push({ range: { [state.timeField]: { gte: bounds.from, lte: bounds.to, format: 'epoch_millis' } } });
  }
  for (const q of [state.query, ctx.query]) if (q && q.trim()) filter.push(translate(q.trim()));
  filter.push(...(ctx.filters ?? []));

  const body: Dsl = {
    size: 0,
    track_total_hits: true,
    query: filter.length ? { bool: { filter } } : { match_all: {} },
  };
  const aggs = nestBuckets(state.buckets, state.metrics, bounds, ctx, translate);
  if (Object.keys(aggs).length) body.aggs = aggs;
  return { index: state.index, body };
}

/** The aggregations for bucket levels `levels` (outermost first), with the metrics under the last. */
function nestBuckets(
  levels: BucketAgg[], metrics: MetricAgg[], bounds: { from: number; to: number } | undefined,
  ctx: RequestContext, translate: QueryTranslator,
): Dsl {
  if (levels.length === 0) return metricAggs(metrics);
  const [level, ...inner] = levels;
  const agg: Dsl = bucketAgg(level, metrics, bounds, ctx, inner.length === 0, translate);
  const sub = nestBuckets(inner, metrics, bounds, ctx, translate);
  // A terms level ordered by a metric needs that metric as its direct child when it is not innermost.
  if (level.type === 'terms' && inner.length > 0) {
    const order = termsOrderMetric(level, metrics);
    if (order && order.type !== 'count') sub[`${order.id}-order`] = metricAggs([order])[order.id];
  }
  if (Object.keys(sub).length) agg.aggs = sub;
  return { [level.id]: agg };
}

/** The metric aggregations by id (count needs none: it is the bucket's doc_count). */
export function metricAggs(metrics: MetricAgg[]): Dsl {
  const out: Dsl = {};
  for (const m of metrics) {
    if (m.type === 'count') continue;
    if (!m.field) throw new VisRequestError(`${m.type} needs a field`);
    out[m.id] = m.type === 'percentiles'
      ? { percentiles: { field: m.field, percents: m.percents?.length ? m.percents : DEFAULT_PERCENTS } }
      : { [m.type]: { field: m.field } };
  }
  return out;
}

/** Percentiles shown when the builder does not choose. */
export const DEFAULT_PERCENTS = [50, 95, 99];

/** The metric a terms level orders by: the chosen one, else the first non-count single-value metric. */
export function termsOrderMetric(level: BucketAgg, metrics: MetricAgg[]): MetricAgg | undefined {
  if (level.orderBy === '_count') return undefined;
  const chosen = level.orderBy ? metrics.find((m) => m.id === level.orderBy) : undefined;
  const m = chosen ?? metrics[0];
  return m && m.type !== 'percentiles' ? m : undefined;
}

function bucketAgg(
  level: BucketAgg, metrics: MetricAgg[], bounds: { from: number; to: number } | undefined,
  ctx: RequestContext, innermost: boolean, translate: QueryTranslator,
): Dsl {
  const field = level.field;
  if (level.type !== 'filters' && !field) throw new VisRequestError(`${level.type} needs a field`);
  switch (level.type) {
    case 'date_histogram': {
      const interval = !level.interval || level.interval === 'auto'
        ? (bounds ? autoInterval(bounds.from, bounds.to, ctx.targetBuckets) : '1h')
        : String(level.interval);
      intervalMs(interval); // validates
      const dh: Dsl = { field, fixed_interval: interval, min_doc_count: 0 };
      // Empty buckets across the whole range, so lines drop to zero instead of bridging gaps.
      if (bounds) dh.extended_bounds = { min: bounds.from, max: bounds.to };
      return { date_histogram: dh };
    }
    case 'histogram': {
      const interval = Number(level.interval);
      if (!(interval > 0)) throw new VisRequestError(`histogram interval must be a positive number, got [${level.interval}]`);
      return { histogram: { field, interval, min_doc_count: 1 } };
    }
    case 'terms': {
      const order = termsOrderMetric(level, metrics);
      const dir = level.orderDirection ?? 'desc';
      const key = !order || order.type === 'count' ? '_count' : innermost ? order.id : `${order.id}-order`;
      return { terms: { field, size: level.size ?? 10, order: { [key]: dir } } };
    }
    case 'range': {
      const ranges = (level.ranges ?? []).map((r) => ({
        ...(r.from !== undefined ? { from: r.from } : {}),
        ...(r.to !== undefined ? { to: r.to } : {}),
        ...(r.label ? { key: r.label } : {}),
      }));
      if (!ranges.length) throw new VisRequestError('range needs at least one range');
      return { range: { field, ranges, keyed: false } };
    }
    case 'filters': {
      const filters: Dsl = {};
      const labels = filterLabels(level);
      (level.filters ?? []).forEach((f, i) => {
        filters[labels[i]] = f.query.trim() ? translate(f.query.trim()) : { match_all: {} };
      });
      if (!Object.keys(filters).length) throw new VisRequestError('filters needs at least one filter');
      return { filters: { filters } };
    }
  }
}

/**
 * The bucket keys of a filters level, in the editor's order: the label, else the query, made unique.
 * (The response is an object keyed by them; its key order cannot be trusted for keys like "200".)
 */
export function filterLabels(level: BucketAgg): string[] {
  const taken = new Set<string>();
  return (level.filters ?? []).map((f) => {
    const base = f.label || f.query || '*';
    let out = base;
    for (let i = 2; taken.has(out); i++) out = `${base} (${i})`;
    taken.add(out);
    return out;
  });
}
