// The Visualize app: `visualize` lists saved visualizations, `visualize/create?type=…` and
// `visualize/edit/<id>` open the editor (builder on the left, live chart on the right, save, exports,
// and "create alarm" for the alarm-able ones).

import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { fieldsOf } from '../api/client.ts';
import type { FieldSpec } from '../api/client.ts';
import { href, navigate, onLinkClick, useLocation } from '../app/router.ts';
import { AggBuilder } from './AggBuilder.tsx';
import { downloadCsv, downloadPng, downloadSpec } from './export-chart.ts';
import type { VisResult } from './run-visualization.ts';
import { listVis, loadVis, saveVis, VIS_TYPE } from './saved-visualizations.ts';
import { CHART_TYPES, defaultVisState } from './specs/vis-state.ts';
import type { TimeRange } from '../query/time-range.ts';
import type { ChartType, VisState } from './specs/vis-state.ts';
import { DeleteSavedObject } from '../components/DeleteSavedObject.tsx';
import { TimePicker, useInterval } from '../components/TimePicker.tsx';
import type { ChartView } from './VegaChart.tsx';
import { VisualizationView } from './VisualizationView.tsx';
import './visualize.css';

// Charts are on every view of this page: start loading the renderer (its own chunk) with the page.
void import('vega-embed');

const CreateAlarmDialog = lazy(() => import('../alarms/CreateAlarmDialog.tsx'));

export const CHART_NAMES: Record<ChartType, string> = {
  line: 'Line', area: 'Area', bar: 'Vertical bar', horizontal_bar: 'Horizontal bar', pie: 'Pie / donut',
  metric: 'Metric', table: 'Data table', heatmap: 'Heat map',
};

export default function VisualizePage({ subPath }: { subPath: string }) {
  const [mode, id] = subPath.split('/');
  if (mode === 'create') return <VisEditor key="new" />;
  if (mode === 'edit' && id) return <VisEditor key={id} id={decodeURIComponent(id)} />;
  return <VisList />;
}

function VisList() {
  const [items, setItems] = useState<Awaited<ReturnType<typeof listVis>> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const reload = useCallback(() => { listVis().then(setItems, (e: Error) => setError(e.message)); }, []);
  useEffect(reload, [reload]);
  const shown = (items ?? []).filter((v) => v.title.toLowerCase().includes(filter.toLowerCase()));
  return (
    <div className="vis-list-page">
      <div className="row page-header">
        <h2 className="grow">Visualizations</h2>
        <input className="text" placeholder="Search…" value={filter} onChange={(e) => setFilter(e.target.value)} aria-label="Search visualizations" />
      </div>
      <div className="create-row">
        <span className="muted">Create:</span>
        {CHART_TYPES.map((t) => (
          <a key={t} className="btn" href={href('visualize/create', `type=${t}`)} onClick={(e) => onLinkClick(e, 'visualize/create', `type=${t}`)}>{CHART_NAMES[t]}</a>
        ))}
      </div>
      {error && <div className="callout danger">{error}</div>}
      {items && !shown.length && <div className="empty-state">No visualizations yet.</div>}
      <table className="list-table">
        <tbody>
          {shown.map((v) => (
            <tr key={v.id}>
              <td><a href={href(`visualize/edit/${encodeURIComponent(v.id)}`)} onClick={(e) => onLinkClick(e, `visualize/edit/${encodeURIComponent(v.id)}`)}>{v.title}</a></td>
              <td className="muted">{CHART_NAMES[v.type as ChartType] ?? v.type}</td>
              <td className="muted">{v.description}</td>
              <td className="num">
                <DeleteSavedObject type={VIS_TYPE} id={v.id} what={`visualization "${v.title}"`} onError={setError} onDeleted={reload} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function VisEditor({ id }: { id?: string }) {
  const loc = useLocation();
  const params = useMemo(() => new URLSearchParams(loc.search), [loc.search]);
  const [state, setState] = useState<VisState | null>(id ? null : () => defaultVisState((params.get('type') as ChartType) ?? 'line', params.get('index') ?? 'cwl-*'));
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [timeRange, setTimeRange] = useState<TimeRange>({ from: params.get('from') ?? 'now-24h', to: params.get('to') ?? 'now' });
  const [fields, setFields] = useState<FieldSpec[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [result, setResult] = useState<VisResult | null>(null);
  const [view, setView] = useState<ChartView | null>(null);
  const [refreshKey, setRefreshKey] = useState(0);
  const [alarmOpen, setAlarmOpen] = useState(false);
  const [refreshMs, setRefreshMs] = useState(0);
  const tick = useCallback(() => setRefreshKey((k) => k + 1), []);
  useInterval(refreshMs, tick);

  useEffect(() => {
    if (!id) return;
    loadVis(id).then((v) => { setState(v.state); setTitle(v.title); setDescription(v.description); }, (e: Error) => setError(e.message));
  }, [id]);
  const index = state?.index ?? '';
  useEffect(() => {
    if (!index) return;
    const ac = new AbortController();
    fieldsOf(index, ac.signal).then(setFields, () => setFields([]));
    return () => ac.abort();
  }, [index]);
  const onView = useCallback((v: ChartView | null) => setView(v), []);
  const ctx = useMemo(() => ({ timeRange }), [timeRange]);

  if (error && !state) return <div className="callout danger">{error}</div>;
  if (!state) return <div className="loading">Loading…</div>;
  const set = (patch: Partial<VisState>) => setState({ ...state, ...patch });
  const dateFields = fields.filter((f) => f.type === 'date' || f.type === 'date_nanos');
  const name = title || 'Untitled visualization';

  const save = async () => {
    if (!title.trim()) { setError('Give the visualization a title before saving.'); return; }
    try {
      const newId = await saveVis({ id, title: title.trim(), description, state });
      setError(null);
      setNotice(`Saved "${title.trim()}"`);
      if (newId !== id) navigate(`visualize/edit/${encodeURIComponent(newId)}`);
    } catch (e) {
      setError(`Save failed: ${(e as Error).message}`);
    }
  };

  return (
    <div className="vis-editor">
      <div className="row toolbar">
        <a href={href('visualize')} onClick={(e) => onLinkClick(e, 'visualize')}>Visualize</a>
        <span className="muted">/</span>
        <input className="text title-input" aria-label="Title" placeholder="Untitled visualization" value={title} onChange={(e) => setTitle(e.target.value)} />
        <span className="grow" />
        <TimePicker value={timeRange} refreshMs={refreshMs} onChange={setTimeRange} onRefreshChange={setRefreshMs} onRefresh={() => setRefreshKey((k) => k + 1)} />
        <button className="btn primary" onClick={save}>Save</button>
      </div>
      {error && <div className="callout danger">{error}</div>}
      {notice && <div className="callout" role="status">{notice}</div>}
      <div className="vis-editor-body">
        <aside className="vis-sidebar">
          <label>Chart type
            <select className="select" aria-label="Chart type" value={state.type} onChange={(e) => set({ type: e.target.value as ChartType })}>
              {CHART_TYPES.map((t) => <option key={t} value={t}>{CHART_NAMES[t]}</option>)}
            </select>
          </label>
          <label>Index pattern
            <input className="text" aria-label="Index pattern" list="vis-index-patterns" defaultValue={state.index}
              onBlur={(e) => e.target.value !== state.index && set({ index: e.target.value.trim() })}
              onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()} />
            <datalist id="vis-index-patterns"><option value="cwl-*" /><option value="cwm-*" /></datalist>
          </label>
          <label>Time field
            <select className="select" aria-label="Time field" value={state.timeField ?? ''} onChange={(e) => set({ timeField: e.target.value || undefined })}>
              <option value="">none</option>
              {dateFields.map((f) => <option key={f.name} value={f.name}>{f.name}</option>)}
              {state.timeField && !dateFields.some((f) => f.name === state.timeField) && <option value={state.timeField}>{state.timeField}</option>}
            </select>
          </label>
          <label>Query (DQL)
            <input className="text" aria-label="Visualization query" placeholder="e.g. level:error" defaultValue={state.query ?? ''}
              onBlur={(e) => set({ query: e.target.value })} onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()} />
          </label>
          <ChartOptionsEditor state={state} onChange={setState} />
          <AggBuilder state={state} fields={fields} onChange={setState} />
          <label>Description
            <textarea className="text" rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />
          </label>
        </aside>
        <section className="vis-preview">
          <div className="row vis-actions">
            <span className="muted small grow">
              {result ? `${result.table.totalHits.toLocaleString()} hits · ${result.table.rows.length} rows · ${result.tookMs} ms` : ''}
            </span>
            <button className="btn small" disabled={!result?.spec} onClick={() => result?.spec && downloadSpec(result.spec, name)}>Export spec (JSON)</button>
            <button className="btn small" disabled={!view} onClick={() => view && downloadPng(view, name)}>Export PNG</button>
            <button className="btn small" disabled={!result} onClick={() => result && downloadCsv(result.table, name)}>Export CSV</button>
            <button className="btn small" onClick={() => setAlarmOpen(true)}>Create alarm…</button>
          </div>
          <div className="vis-canvas">
            <VisualizationView state={state} ctx={ctx} refreshKey={refreshKey} onResult={setResult} onView={onView} />
          </div>
          {alarmOpen && (
            <Suspense fallback={null}>
              <CreateAlarmDialog state={state} title={name} onClose={() => setAlarmOpen(false)} />
            </Suspense>
          )}
        </section>
      </div>
    </div>
  );
}

function ChartOptionsEditor({ state, onChange }: { state: VisState; onChange: (s: VisState) => void }) {
  const o = state.options ?? {};
  const set = (patch: Partial<NonNullable<VisState['options']>>) => onChange({ ...state, options: { ...o, ...patch } });
  return (
    <div className="chart-options">
      {(state.type === 'bar' || state.type === 'horizontal_bar' || state.type === 'area') && (
        <label>Series
          <select className="select" aria-label="Series mode" value={o.mode ?? 'stacked'} onChange={(e) => set({ mode: e.target.value as 'stacked' | 'grouped' })}>
            <option value="stacked">Stacked</option>
            <option value="grouped">{state.type === 'area' ? 'Overlapping' : 'Grouped'}</option>
          </select>
        </label>
      )}
      {state.type === 'pie' && (
        <label className="check"><input type="checkbox" checked={o.donut ?? false} onChange={(e) => set({ donut: e.target.checked })} /> Donut</label>
      )}
      {state.type !== 'metric' && state.type !== 'table' && (
        <label>Legend
          <select className="select" aria-label="Legend" value={o.legend ?? 'right'} onChange={(e) => set({ legend: e.target.value as 'right' | 'bottom' | 'none' })}>
            <option value="right">Right</option><option value="bottom">Bottom</option><option value="none">Hidden</option>
          </select>
        </label>
      )}
    </div>
  );
}
