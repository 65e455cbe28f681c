// Stage 3 of a chart: the flat table → a vega-lite spec with the data inlined. Rows are first turned
// into long-format chart data (one datum per row × metric column, with `x`, `series`, `value`,
// `facet`), so every chart type encodes the same four fields whatever the aggregations were.
// The data table is not a chart: it renders the rows directly (buildVegaSpec returns null).

import type { TopLevelSpec } from 'vega-lite';
import type { Cell, Column, FlatTable } from './flatten-response.ts';
import type { VisState } from './vis-state.ts';

/** One mark's worth of data. */
export interface ChartDatum {
  /** The x-axis bucket key (epoch millis for a date histogram), or the metric label without one. */
  x: Cell;
  /** Split-series keys and, with several metrics, the metric label: the colour. */
  series: string;
  value: number | null;
  /** Split-chart key (small multiples). */
  facet?: string;
}

export interface SpecOptions {
  /** Pixel size, or 'container' to fill the element vega-embed renders into (the default). */
  width?: number | 'container';
  height?: number | 'container';
  title?: string;
}

/** The long-format data of a table (see ChartDatum). */
export function chartData(state: VisState, table: FlatTable): ChartDatum[] {
  const cols = bucketColumns(table);
  const metrics = table.columns.filter((c) => c.kind === 'metric');
  const withMetricLabel = metrics.length > 1 || cols.series.length === 0;
  const out: ChartDatum[] = [];
  for (const row of table.rows) {
    for (const m of metrics) {
      const parts = cols.series.map((c) => String(row[c.id]));
      if (withMetricLabel) parts.push(m.label);
      const d: ChartDatum = {
        x: cols.x ? row[cols.x.id] : m.label,
        series: parts.join(' · '),
        value: typeof row[m.id] === 'number' ? (row[m.id] as number) : null,
      };
      if (cols.split) d.facet = String(row[cols.split.id]);
      out.push(d);
    }
  }
  // A heat map colours one metric: the first.
  if (state.type === 'heatmap' && metrics.length > 1) {
    const first = metrics[0].label;
    return out.filter((d) => d.series.endsWith(first)).map((d) => ({ ...d, series: d.series.replace(new RegExp(` · ${escapeRe(first)}$`), '') }));
  }
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function bucketColumns(table: FlatTable): { x?: Column; series: Column[]; split?: Column } {
  const buckets = table.columns.filter((c) => c.kind === 'bucket');
  return {
    x: buckets.find((c) => c.role === 'x'),
    series: buckets.filter((c) => c.role === 'series'),
    split: buckets.find((c) => c.role === 'split'),
  };
}

/** The vega-lite spec of a visualization, or null for the data table. */
export function buildVegaSpec(state: VisState, table: FlatTable, opts: SpecOptions = {}): TopLevelSpec | null {
  if (state.type === 'table') return null;
  const data = chartData(state, table);
  const cols = bucketColumns(table);
  const xType = cols.x?.bucketType;
  const xTitle = cols.x?.label ?? '';
  const yTitle = table.columns.filter((c) => c.kind === 'metric').map((c) => c.label).join(', ');
  const showLegend = state.options?.legend !== 'none' && (cols.series.length > 0 || data.some((d) => d.series !== data[0]?.series));
  const legend = showLegend ? { orient: state.options?.legend === 'bottom' ? 'bottom' : 'right', title: null } : null;
  const order = seriesOrder(data);
  const color = { field: 'series', type: 'nominal', legend, scale: { scheme: 'tableau10' }, sort: order };
  const tooltip = [
    xType === 'date_histogram'
      ? { field: 'x', type: 'temporal', title: xTitle, format: '%Y-%m-%d %H:%M:%S' }
      : { field: 'x', type: 'nominal', title: xTitle || 'bucket' },
    { field: 'series', type: 'nominal', title: 'series' },
    { field: 'value', type: 'quantitative', title: yTitle, format: ',.4~f' },
  ];
  const stacked = (state.options?.mode ?? 'stacked') === 'stacked';
  // Counts are whole numbers: no 0.5 ticks.
  const valueAxis = state.metrics.every((m) => m.type === 'count' || m.type === 'cardinality') ? { axis: { tickMinStep: 1 } } : {};
  const timeLabels = dateLabelFormat(data);

  let inner: Record<string, unknown>;
  switch (state.type) {
    case 'line':
    case 'area': {
      const x = xEncoding(xType, xTitle, false, timeLabels);
      const y = { field: 'value', type: 'quantitative', title: yTitle, stack: state.type === 'area' && stacked ? 'zero' : null, ...valueAxis };
      inner = state.type === 'line'
        ? { mark: { type: 'line', point: state.options?.showPoints ?? data.length <= 60, interpolate: 'linear', tooltip: true }, encoding: { x, y, color, tooltip } }
        : { mark: { type: 'area', opacity: stacked ? 0.85 : 0.4, line: true, tooltip: true }, encoding: { x, y, color, tooltip } };
      break;
    }
    case 'bar':
    case 'horizontal_bar': {
      const cat = xEncoding(xType, xTitle, true, timeLabels);
      const val = { field: 'value', type: 'quantitative', title: yTitle, stack: stacked ? 'zero' : null, ...valueAxis };
      const offset = stacked ? {} : state.type === 'bar' ? { xOffset: { field: 'series', sort: order } } : { yOffset: { field: 'series', sort: order } };
      inner = state.type === 'bar'
        ? { mark: { type: 'bar', tooltip: true }, encoding: { x: cat, y: val, color, tooltip, ...offset } }
        : { mark: { type: 'bar', tooltip: true }, encoding: { y: cat, x: val, color, tooltip, ...offset } };
      break;
    }
    case 'pie': {
      // Slices are x-bucket keys (joined with series keys when both exist).
      const slices = data.map((d) => ({ ...d, slice: cols.x ? [formatKey(d.x, xType, timeLabels), ...(cols.series.length || data.some((e) => e.series !== d.series) ? [d.series] : [])].join(' · ') : d.series }));
      const donut = state.options?.donut ?? false;
      return finish({
        data: { values: slices },
        mark: { type: 'arc', innerRadius: donut ? { expr: 'min(width, height) / 5' } : 0, tooltip: true },
        encoding: {
          theta: { field: 'value', type: 'quantitative', stack: true },
          color: { field: 'slice', type: 'nominal', legend: state.options?.legend === 'none' ? null : { title: null, orient: state.options?.legend === 'bottom' ? 'bottom' : 'right' }, scale: { scheme: 'tableau10' }, sort: null },
          order: { field: 'value', type: 'quantitative', sort: 'descending' },
          tooltip: [{ field: 'slice', type: 'nominal', title: xTitle || 'slice' }, { field: 'value', type: 'quantitative', title: yTitle, format: ',.4~f' }],
          ...(cols.split ? { facet: { field: 'facet', type: 'nominal', columns: 3, title: cols.split.label } } : {}),
        },
      }, opts, Boolean(cols.split));
    }
    case 'metric':
      return metricSpec(state, table, opts);
    case 'heatmap': {
      const x = xEncoding(xType, xTitle, true, timeLabels);
      inner = {
        mark: { type: 'rect', tooltip: true },
        encoding: {
          x,
          y: { field: 'series', type: 'ordinal', title: cols.series.map((c) => c.label).join(' · ') || null, sort: order },
          color: { field: 'value', type: 'quantitative', title: yTitle, scale: { scheme: 'blues' } },
          tooltip,
        },
      };
      break;
    }
  }
  if (cols.split) {
    (inner.encoding as Record<string, unknown>).facet = { field: 'facet', type: 'nominal', columns: 2, title: cols.split.label, sort: null };
  }
  return finish({ data: { values: data }, ...inner }, opts, Boolean(cols.split));
}

/**
 * The order of the series (legend, grouped bars, heat map rows): numerically ascending when every key
 * is a number (histogram, date keys), else the order they first appear in (terms sorted by the metric).
 */
export function seriesOrder(data: ChartDatum[]): string[] {
  const seen = [...new Set(data.map((d) => d.series))];
  const numeric = seen.length > 0 && seen.every((s) => s.trim() !== '' && Number.isFinite(Number(s)));
  return numeric ? seen.sort((a, b) => Number(a) - Number(b)) : seen;
}

/** The x (or category) encoding: time, a number line, or ordered categories. */
function xEncoding(xType: string | undefined, title: string, band: boolean, timeFormat: string): Record<string, unknown> {
  if (xType === 'date_histogram' && !band) return { field: 'x', type: 'temporal', title, axis: { format: timeFormat, labelOverlap: true } };
  if (xType === 'date_histogram') return { field: 'x', type: 'ordinal', title, sort: 'ascending', axis: { labelExpr: `timeFormat(datum.value, '${timeFormat}')`, labelOverlap: true, labelAngle: 0 } };
  if (xType === 'histogram' && !band) return { field: 'x', type: 'quantitative', title };
  if (xType === 'histogram') return { field: 'x', type: 'ordinal', title, sort: 'ascending' };
  return { field: 'x', type: 'nominal', title, sort: null, axis: { labelOverlap: true, labelLimit: 160 } };
}

/** A d3 time format that suits the span of the data's time keys. */
function dateLabelFormat(data: ChartDatum[]): string {
  const xs = data.map((d) => d.x).filter((x): x is number => typeof x === 'number');
  if (!xs.length) return '%H:%M';
  const span = Math.max(...xs) - Math.min(...xs);
  if (span <= 2 * 86_400_000) return '%H:%M';
  if (span <= 90 * 86_400_000) return '%b %d';
  return '%Y-%m-%d';
}

function formatKey(x: Cell, xType: string | undefined, fmt: string): string {
  if (xType === 'date_histogram' && typeof x === 'number') return new Date(x).toISOString().slice(0, fmt === '%H:%M' ? 16 : 10).replace('T', ' ');
  return String(x);
}

/** Metric tiles: one big number per row × metric, with its label underneath. */
function metricSpec(state: VisState, table: FlatTable, opts: SpecOptions): TopLevelSpec {
  const metrics = table.columns.filter((c) => c.kind === 'metric');
  const buckets = table.columns.filter((c) => c.kind === 'bucket');
  const tiles: { label: string; value: number | null; text: string }[] = [];
  for (const row of table.rows) {
    for (const m of metrics) {
      const v = typeof row[m.id] === 'number' ? (row[m.id] as number) : null;
      tiles.push({ label: [...buckets.map((b) => String(row[b.id])), m.label].join(' · '), value: v, text: formatNumber(v) });
    }
  }
  if (!tiles.length) for (const m of metrics) tiles.push({ label: m.label, value: null, text: '–' });
  return finish({
    data: { values: tiles },
    facet: { field: 'label', type: 'nominal', sort: null, header: { title: null, labelOrient: 'bottom', labelFontSize: 13, labelColor: '#555' } },
    columns: Math.min(4, tiles.length),
    spec: {
      width: 180, height: 70,
      mark: { type: 'text', fontSize: 36, fontWeight: 'bold', color: '#1f4e79', baseline: 'middle' },
      encoding: { text: { field: 'text' }, tooltip: [{ field: 'label' }, { field: 'value', format: ',.6~f' }] },
    },
    config: { view: { stroke: null } },
  }, opts, true, state.type);
}

/** Short human formatting of a metric value (1234567 → 1.23M). */
export function formatNumber(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a >= 1e9) return `${+(v / 1e9).toPrecision(3)}B`;
  if (a >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toPrecision(3)}k`;
  if (Number.isInteger(v)) return String(v);
  return String(+v.toPrecision(4));
}

/** Common top-level properties: schema, size, autosize. Faceted specs size their cells instead. */
function finish(spec: Record<string, unknown>, opts: SpecOptions, faceted: boolean, type?: string): TopLevelSpec {
  const out: Record<string, unknown> = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', ...spec };
  if (opts.title) out.title = opts.title;
  if (!faceted) {
    out.width = opts.width ?? 'container';
    out.height = opts.height ?? 'container';
    out.autosize = { type: 'fit', contains: 'padding' };
  } else if (type !== 'metric') {
    // Facet cells take the size; 'container' is not allowed inside a facet.
    out.width = typeof opts.width === 'number' ? opts.width : 260;
    out.height = typeof opts.height === 'number' ? opts.height : 160;
    out.autosize = { type: 'pad' };
  }
  return out as unknown as TopLevelSpec;
}
