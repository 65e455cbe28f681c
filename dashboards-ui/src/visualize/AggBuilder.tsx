// The aggregation builder: metrics (count, avg, sum, min, max, unique count, percentiles) and bucket
// levels (date histogram, terms, histogram, range, filters), each bucket with its role in the chart
// (x axis, split series, split chart). Bucket order is nesting order, as in OpenSearch Dashboards.

import type { FieldSpec } from '../api/client.ts';
import { BUCKET_TYPES, METRIC_TYPES } from './specs/vis-state.ts';
import type { BucketAgg, BucketRole, BucketType, MetricAgg, MetricType, RangeSpec, VisState } from './specs/vis-state.ts';

const METRIC_NAMES: Record<MetricType, string> = {
  count: 'Count', avg: 'Average', sum: 'Sum', min: 'Min', max: 'Max', cardinality: 'Unique count', percentiles: 'Percentiles',
};
const BUCKET_NAMES: Record<BucketType, string> = {
  date_histogram: 'Date histogram', terms: 'Terms', histogram: 'Histogram', range: 'Range', filters: 'Filters',
};
const ROLE_NAMES: Record<BucketRole, string> = { x: 'X-axis / slices / rows', series: 'Split series', split: 'Split chart' };

const NUMERIC = new Set(['long', 'integer', 'short', 'byte', 'double', 'float', 'half_float', 'scaled_float', 'unsigned_long']);

/** The fields a metric or bucket type can use. */
export function fieldsFor(kind: MetricType | BucketType, fields: FieldSpec[]): FieldSpec[] {
  switch (kind) {
    case 'avg': case 'sum': case 'min': case 'max': case 'percentiles': case 'histogram': case 'range':
      return fields.filter((f) => NUMERIC.has(f.type));
    case 'date_histogram':
      return fields.filter((f) => f.type === 'date' || f.type === 'date_nanos');
    default:
      return fields.filter((f) => f.aggregatable);
  }
}

/** "0-100, 100-500, 500-" → ranges (either end may be empty). */
export function parseRanges(text: string): RangeSpec[] {
  return text.split(',').map((s) => s.trim()).filter(Boolean).map((s): RangeSpec => {
    const m = /^(-?[\d.]*)\s*(?:-|to)\s*(-?[\d.]*)$/.exec(s);
    if (!m) return {};
    return { ...(m[1] ? { from: Number(m[1]) } : {}), ...(m[2] ? { to: Number(m[2]) } : {}) };
  }).filter((r) => r.from !== undefined || r.to !== undefined);
}

export function formatRanges(ranges: RangeSpec[] | undefined): string {
  return (ranges ?? []).map((r) => `${r.from ?? ''}-${r.to ?? ''}`).join(', ');
}

function nextId(prefix: string, taken: string[]): string {
  for (let i = 1; ; i++) if (!taken.includes(`${prefix}${i}`)) return `${prefix}${i}`;
}

export function AggBuilder({ state, fields, onChange }: { state: VisState; fields: FieldSpec[]; onChange: (s: VisState) => void }) {
  const setMetric = (i: number, m: Partial<MetricAgg>) => onChange({ ...state, metrics: state.metrics.map((x, j) => (j === i ? { ...x, ...m } : x)) });
  const setBucket = (i: number, b: Partial<BucketAgg>) => onChange({ ...state, buckets: state.buckets.map((x, j) => (j === i ? { ...x, ...b } : x)) });
  const move = (i: number, d: -1 | 1) => {
    const b = [...state.buckets];
    [b[i], b[i + d]] = [b[i + d], b[i]];
    onChange({ ...state, buckets: b });
  };
  const fieldSelect = (kind: MetricType | BucketType, value: string | undefined, set: (f: string) => void, label: string) => (
    <select className="select" aria-label={label} value={value ?? ''} onChange={(e) => set(e.target.value)}>
      <option value="">— field —</option>
      {fieldsFor(kind, fields).map((f) => <option key={f.name} value={f.name}>{f.name}</option>)}
      {value && !fields.some((f) => f.name === value) && <option value={value}>{value}</option>}
    </select>
  );

  return (
    <div className="agg-builder">
      <h3>Metrics</h3>
      {state.metrics.map((m, i) => (
        <div key={m.id} className="agg-row" data-testid={`metric-${i}`}>
          <select className="select" aria-label="Metric aggregation" value={m.type} onChange={(e) => setMetric(i, { type: e.target.value as MetricType })}>
            {METRIC_TYPES.map((t) => <option key={t} value={t}>{METRIC_NAMES[t]}</option>)}
          </select>
          {m.type !== 'count' && fieldSelect(m.type, m.field, (f) => setMetric(i, { field: f }), 'Metric field')}
          {m.type === 'percentiles' && (
            <input className="text short" aria-label="Percents" defaultValue={(m.percents ?? [50, 95, 99]).join(', ')}
              onBlur={(e) => setMetric(i, { percents: e.target.value.split(',').map(Number).filter((n) => n >= 0 && n <= 100) })} />
          )}
          {state.metrics.length > 1 && <button className="icon-btn" title="Remove metric" onClick={() => onChange({ ...state, metrics: state.metrics.filter((_, j) => j !== i) })}>✕</button>}
        </div>
      ))}
      <button className="btn small" onClick={() => onChange({ ...state, metrics: [...state.metrics, { id: nextId('m', state.metrics.map((m) => m.id)), type: 'avg' }] })}>+ Metric</button>

      <h3>Buckets</h3>
      {state.buckets.map((b, i) => (
        <div key={b.id} className="agg-bucket" data-testid={`bucket-${i}`}>
          <div className="agg-row">
            <select className="select" aria-label="Bucket role" value={b.role} onChange={(e) => setBucket(i, { role: e.target.value as BucketRole })}>
              {(Object.keys(ROLE_NAMES) as BucketRole[]).map((r) => <option key={r} value={r}>{ROLE_NAMES[r]}</option>)}
            </select>
            <select className="select" aria-label="Bucket aggregation" value={b.type} onChange={(e) => setBucket(i, { type: e.target.value as BucketType })}>
              {BUCKET_TYPES.map((t) => <option key={t} value={t}>{BUCKET_NAMES[t]}</option>)}
            </select>
            <span className="grow" />
            {i > 0 && <button className="icon-btn" title="Move up" onClick={() => move(i, -1)}>▲</button>}
            {i < state.buckets.length - 1 && <button className="icon-btn" title="Move down" onClick={() => move(i, 1)}>▼</button>}
            <button className="icon-btn" title="Remove bucket" onClick={() => onChange({ ...state, buckets: state.buckets.filter((_, j) => j !== i) })}>✕</button>
          </div>
          <div className="agg-row">
            {b.type !== 'filters' && fieldSelect(b.type, b.field, (f) => setBucket(i, { field: f }), 'Bucket field')}
            {b.type === 'date_histogram' && (
              <input className="text short" aria-label="Interval" value={String(b.interval ?? 'auto')} onChange={(e) => setBucket(i, { interval: e.target.value })} title="auto, or e.g. 30s, 5m, 1h, 1d" />
            )}
            {b.type === 'histogram' && (
              <input className="text short" aria-label="Interval" type="number" value={String(b.interval ?? '')} onChange={(e) => setBucket(i, { interval: Number(e.target.value) })} />
            )}
            {b.type === 'terms' && (
              <>
                <label className="small muted">size</label>
                <input className="text short" aria-label="Size" type="number" min={1} value={b.size ?? 10} onChange={(e) => setBucket(i, { size: Math.max(1, Number(e.target.value)) })} />
                <select className="select" aria-label="Order by" value={b.orderBy ?? ''} onChange={(e) => setBucket(i, { orderBy: e.target.value || undefined })}>
                  <option value="">order: first metric</option>
                  <option value="_count">order: count</option>
                  {state.metrics.filter((m) => m.type !== 'percentiles').map((m) => <option key={m.id} value={m.id}>order: {METRIC_NAMES[m.type]} {m.field ?? ''}</option>)}
                </select>
              </>
            )}
            {b.type === 'range' && (
              <input className="text grow" aria-label="Ranges" placeholder="0-100, 100-500, 500-" defaultValue={formatRanges(b.ranges)}
                onBlur={(e) => setBucket(i, { ranges: parseRanges(e.target.value) })} />
            )}
          </div>
          {b.type === 'filters' && (
            <textarea className="text filters-input" aria-label="Filters" rows={3} placeholder={'one query per line, e.g.\nstatus >= 500\nlevel:error'}
              defaultValue={(b.filters ?? []).map((f) => f.query).join('\n')}
              onBlur={(e) => setBucket(i, { filters: e.target.value.split('\n').map((q) => q.trim()).filter(Boolean).map((q) => ({ query: q })) })} />
          )}
        </div>
      ))}
      <div className="row">
        <button className="btn small" onClick={() => onChange({
          ...state,
          buckets: [...state.buckets, {
            id: nextId('b', state.buckets.map((b) => b.id)), type: 'terms', size: 5,
            role: state.buckets.some((b) => b.role === 'x') ? 'series' : 'x',
          }],
        })}>+ Bucket</button>
      </div>
    </div>
  );
}
