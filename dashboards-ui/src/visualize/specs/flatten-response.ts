// Stage 2 of a chart: an OpenSearch aggregation response → a flat table, one row per innermost bucket
// (a "tabified" response, as OpenSearch Dashboards calls it). Bucket levels are walked in the order
// aggs-request.ts nested them; each row carries every enclosing bucket's key and the metric values.
// The data table shows the rows as they are; vega-spec.ts turns them into chart data.

import { DEFAULT_PERCENTS, filterLabels } from './aggs-request.ts';
import { bucketLabel, metricLabel } from './vis-state.ts';
import type { BucketAgg, BucketRole, BucketType, MetricAgg, VisState } from './vis-state.ts';

export type Cell = string | number | null;
export type Row = Record<string, Cell>;

export interface Column {
  /** Key of the column in every row. */
  id: string;
  label: string;
  kind: 'bucket' | 'metric';
  /** Bucket columns: the aggregation type and its role in the chart. */
  bucketType?: BucketType;
  role?: BucketRole;
  /** Metric columns: the metric it comes from (a percentiles metric gives one column per percent). */
  metricId?: string;
}

export interface FlatTable {
  columns: Column[];
  rows: Row[];
  /** hits.total of the search (documents matching query, filters and time range). */
  totalHits: number;
}

/** The loosely typed response JSON; only the fields read here are declared. */
export interface AggsResponse {
  hits?: { total?: number | { value: number } };
  aggregations?: Record<string, unknown>;
}

type AggNode = Record<string, unknown>;

/** The columns of a state's table: one per bucket level, then one per metric (per percent). */
export function tableColumns(state: VisState): Column[] {
  const cols: Column[] = state.buckets.map((b) => ({
    id: b.id, label: bucketLabel(b), kind: 'bucket', bucketType: b.type, role: b.role,
  }));
  for (const m of state.metrics) {
    if (m.type === 'percentiles') {
      for (const p of percentsOf(m)) {
        cols.push({ id: percentileColumnId(m, p), label: `${ordinal(p)} percentile of ${m.field ?? ''}`, kind: 'metric', metricId: m.id });
      }
    } else {
      cols.push({ id: m.id, label: metricLabel(m), kind: 'metric', metricId: m.id });
    }
  }
  return cols;
}

/** The row key of one percent of a percentiles metric. */
export function percentileColumnId(m: MetricAgg, percent: number): string {
  return `${m.id}:p${percent}`;
}

function percentsOf(m: MetricAgg): number[] {
  return m.percents?.length ? m.percents : DEFAULT_PERCENTS;
}

/** The response as a table. An empty response (no buckets) gives no rows. */
export function flattenResponse(state: VisState, response: AggsResponse): FlatTable {
  const columns = tableColumns(state);
  const total = response.hits?.total;
  const totalHits = typeof total === 'number' ? total : total?.value ?? 0;
  const rows: Row[] = [];
  walk(state, response.aggregations ?? {}, totalHits, 0, {}, rows);
  return { columns, rows, totalHits };
}

function walk(state: VisState, node: AggNode, docCount: number, level: number, prefix: Row, out: Row[]): void {
  if (level === state.buckets.length) {
    out.push({ ...prefix, ...metricValues(state.metrics, node, docCount) });
    return;
  }
  const b = state.buckets[level];
  for (const bucket of bucketsOf(b, node[b.id])) {
    walk(state, bucket.node, bucket.docCount, level + 1, { ...prefix, [b.id]: bucket.key }, out);
  }
}

interface Bucket { key: Cell; docCount: number; node: AggNode }

/** The buckets of one level's aggregation result, in response order. */
function bucketsOf(level: BucketAgg, agg: unknown): Bucket[] {
  if (!agg || typeof agg !== 'object') return [];
  const raw = (agg as { buckets?: unknown }).buckets;
  if (Array.isArray(raw)) {
    return raw.map((b: AggNode) => ({ key: bucketKey(level, b), docCount: Number(b.doc_count ?? 0), node: b }));
  }
  if (raw && typeof raw === 'object') {
    // Keyed buckets (filters): follow the editor's order, not the object's (integer-like keys sort first).
    const byKey = raw as Record<string, AggNode>;
    const keys = level.type === 'filters' ? filterLabels(level).filter((k) => k in byKey) : Object.keys(byKey);
    return keys.map((k) => ({ key: k, docCount: Number(byKey[k].doc_count ?? 0), node: byKey[k] }));
  }
  return [];
}

function bucketKey(level: BucketAgg, b: AggNode): Cell {
  switch (level.type) {
    case 'date_histogram':
    case 'histogram':
      return typeof b.key === 'number' ? b.key : Number(b.key);
    case 'terms':
      // key_as_string for booleans, dates and IPs; the plain key for keywords and numbers.
      return (b.key_as_string as string | undefined) ?? (b.key as string | number);
    case 'range':
      return typeof b.key === 'string' ? b.key : rangeKey(b);
    case 'filters':
      return String(b.key ?? '');
  }
}

function rangeKey(b: AggNode): string {
  const from = b.from === undefined ? '*' : String(b.from);
  const to = b.to === undefined ? '*' : String(b.to);
  return `${from}-${to}`;
}

function metricValues(metrics: MetricAgg[], node: AggNode, docCount: number): Row {
  const row: Row = {};
  for (const m of metrics) {
    if (m.type === 'count') { row[m.id] = docCount; continue; }
    const agg = node[m.id] as AggNode | undefined;
    if (m.type === 'percentiles') {
      const values = percentileValues(agg?.values);
      for (const p of percentsOf(m)) row[percentileColumnId(m, p)] = values.get(p) ?? null;
      continue;
    }
    const v = agg?.value;
    row[m.id] = typeof v === 'number' && Number.isFinite(v) ? v : null;
  }
  return row;
}

/** Percentile values keyed by percent, from the keyed (`{"50.0": v}`) or array (`[{key, value}]`) form. */
function percentileValues(values: unknown): Map<number, number | null> {
  const out = new Map<number, number | null>();
  const put = (k: unknown, v: unknown) => out.set(Number(k), typeof v === 'number' && Number.isFinite(v) ? v : null);
  if (Array.isArray(values)) for (const e of values) put(e.key, e.value);
  else if (values && typeof values === 'object') for (const [k, v] of Object.entries(values)) put(k, v);
  return out;
}

function ordinal(n: number): string {
  if (!Number.isInteger(n)) return `${n}th`;
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${n}${s}`;
}
