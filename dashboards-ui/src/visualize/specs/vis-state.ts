// The visualization editor's state: chart type, index pattern, metrics and buckets. It is what a saved
// visualization stores (as JSON in its saved object) and the single input of the three pure stages that
// turn it into a chart: aggs-request.ts (state → OpenSearch request), flatten-response.ts (response →
// rows), vega-spec.ts (rows → vega-lite).

/** The chart types of the Visualize app. */
export type ChartType = 'line' | 'area' | 'bar' | 'horizontal_bar' | 'pie' | 'metric' | 'table' | 'heatmap';

export const CHART_TYPES: readonly ChartType[] = ['line', 'area', 'bar', 'horizontal_bar', 'pie', 'metric', 'table', 'heatmap'];

/** Metric aggregations offered by the builder (`count` is the bucket's doc_count, not an aggregation). */
export type MetricType = 'count' | 'avg' | 'sum' | 'min' | 'max' | 'cardinality' | 'percentiles';

export const METRIC_TYPES: readonly MetricType[] = ['count', 'avg', 'sum', 'min', 'max', 'cardinality', 'percentiles'];

export interface MetricAgg {
  /** Stable id, used as the aggregation name in the request and as the column id in rows. */
  id: string;
  type: MetricType;
  /** Required for every type except count. */
  field?: string;
  /** percentiles only; default [50, 95, 99]. */
  percents?: number[];
  /** Label shown in legends and table headers; defaults to e.g. "Average bytes". */
  label?: string;
}

/** Bucket aggregations offered by the builder. */
export type BucketType = 'date_histogram' | 'terms' | 'histogram' | 'range' | 'filters';

export const BUCKET_TYPES: readonly BucketType[] = ['date_histogram', 'terms', 'histogram', 'range', 'filters'];

/**
 * What a bucket level means in the chart: the x axis (or pie slices / table rows), split series (colour;
 * the heat map's y axis), or split charts (small multiples, faceted by row).
 */
export type BucketRole = 'x' | 'series' | 'split';

export interface RangeSpec { from?: number; to?: number; label?: string }
export interface FilterSpec { label?: string; query: string }

export interface BucketAgg {
  id: string;
  type: BucketType;
  role: BucketRole;
  field?: string;
  /** date_histogram: 'auto' or a fixed interval such as '30s', '5m', '1h', '1d'. histogram: a number. */
  interval?: string | number;
  /** terms: how many buckets (default 10). */
  size?: number;
  /** terms: order by this metric id (default: the first non-count metric, else doc count), descending. */
  orderBy?: string;
  orderDirection?: 'asc' | 'desc';
  ranges?: RangeSpec[];
  filters?: FilterSpec[];
  label?: string;
}

export interface ChartOptions {
  /** bar, horizontal_bar, area: stacked (default) or grouped/overlapping series. */
  mode?: 'stacked' | 'grouped';
  /** pie: inner radius as a fraction of the radius (0 = pie, 0.5 = donut). */
  donut?: boolean;
  /** line: draw points. */
  showPoints?: boolean;
  /** Axis / legend position. */
  legend?: 'right' | 'bottom' | 'none';
}

export interface VisState {
  type: ChartType;
  /** Index pattern, e.g. `cwl-*`, `cwm-*`, `logs-*`. */
  index: string;
  /** The time field the shared time range filters on; none for indices without time. */
  timeField?: string;
  /** The visualization's own query (DQL), ANDed with the dashboard/query bar query. */
  query?: string;
  metrics: MetricAgg[];
  buckets: BucketAgg[];
  options?: ChartOptions;
}

/** The label of a metric as a person reads it. */
export function metricLabel(m: MetricAgg): string {
  if (m.label) return m.label;
  switch (m.type) {
    case 'count': return 'Count';
    case 'avg': return `Average ${m.field ?? ''}`.trim();
    case 'sum': return `Sum of ${m.field ?? ''}`.trim();
    case 'min': return `Min ${m.field ?? ''}`.trim();
    case 'max': return `Max ${m.field ?? ''}`.trim();
    case 'cardinality': return `Unique count of ${m.field ?? ''}`.trim();
    case 'percentiles': return `Percentiles of ${m.field ?? ''}`.trim();
  }
}

/** The label of a bucket level (axis title / table header). */
export function bucketLabel(b: BucketAgg): string {
  if (b.label) return b.label;
  switch (b.type) {
    case 'date_histogram': return b.field ?? '@timestamp';
    case 'terms': return `Top ${b.size ?? 10} ${b.field ?? ''}`.trim();
    case 'histogram': return b.field ?? 'histogram';
    case 'range': return `${b.field ?? ''} ranges`.trim();
    case 'filters': return 'Filters';
  }
}

/** Problems that make a state impossible to run, as messages for the editor (empty when runnable). */
export function validateVisState(s: VisState): string[] {
  const errors: string[] = [];
  if (!s.index.trim()) errors.push('Choose an index pattern.');
  if (s.metrics.length === 0) errors.push('Add at least one metric.');
  for (const m of s.metrics) {
    if (m.type !== 'count' && !m.field) errors.push(`${metricLabel(m)}: choose a field.`);
  }
  for (const b of s.buckets) {
    if (b.type !== 'filters' && !b.field) errors.push(`${bucketLabel(b)}: choose a field.`);
    if (b.type === 'range' && !(b.ranges && b.ranges.length)) errors.push(`${bucketLabel(b)}: add a range.`);
    if (b.type === 'filters' && !(b.filters && b.filters.length)) errors.push('Filters: add a filter.');
    if (b.type === 'histogram' && !(Number(b.interval) > 0)) errors.push(`${bucketLabel(b)}: interval must be a positive number.`);
  }
  // A table's buckets are all row splits and metric tiles take any; charts have one x axis.
  if (s.type !== 'table' && s.type !== 'metric' && s.buckets.filter((b) => b.role === 'x').length > 1) errors.push('Only one bucket can be the x axis.');
  if (s.type === 'heatmap' && s.buckets.length < 2) errors.push('A heat map needs an x-axis bucket and a series (y-axis) bucket.');
  return errors;
}

/** A new state with sensible defaults for a chart type (what the "new visualization" dialog starts from). */
export function defaultVisState(type: ChartType, index = 'cwl-*', timeField = '@timestamp'): VisState {
  const count: MetricAgg = { id: 'm1', type: 'count' };
  const overTime: BucketAgg = { id: 'b1', type: 'date_histogram', role: 'x', field: timeField, interval: 'auto' };
  switch (type) {
    case 'metric': return { type, index, timeField, metrics: [count], buckets: [] };
    case 'pie': return { type, index, timeField, metrics: [count], buckets: [], options: { donut: true } };
    case 'table': return { type, index, timeField, metrics: [count], buckets: [] };
    case 'heatmap': return { type, index, timeField, metrics: [count], buckets: [overTime] };
    default: return { type, index, timeField, metrics: [count], buckets: [overTime], options: { mode: 'stacked' } };
  }
}
