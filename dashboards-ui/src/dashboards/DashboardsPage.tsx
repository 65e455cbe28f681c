// The Dashboards app: `dashboards` lists saved dashboards (import/export NDJSON, the prebuilt Pipeline
// overview is created on first visit), `dashboards/create` and `dashboards/view/<id>` show a grid of
// saved visualizations and searches under one time range, query, filters and variables, with
// auto-refresh and full-screen panels.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { savedObjects } from '../api/client.ts';
import { href, navigate, onLinkClick, replaceQuery } from '../app/router.ts';
import { ensurePipelineDashboard, PIPELINE_DASHBOARD_ID } from '../pipeline/pipeline-overview.ts';
import { translateQuery } from '../visualize/dql.ts';
import { listVis } from '../visualize/saved-visualizations.ts';
import { DeleteSavedObject } from '../components/DeleteSavedObject.tsx';
import { TimePicker } from '../components/TimePicker.tsx';
import { downloadText, fileNameFor } from '../visualize/export-chart.ts';
import type { Dsl } from '../visualize/specs/aggs-request.ts';
import { emptyDashboard, packPanels, placeNewPanel } from './dashboard-state.ts';
import type { DashboardFilter, DashboardState, Panel } from './dashboard-state.ts';
import { DashboardPanel } from './DashboardPanel.tsx';
import { readDashboardUrl, writeDashboardUrl } from './dashboard-url.ts';
import { DASHBOARD_TYPE, exportDashboard, listDashboards, loadDashboard, saveDashboard } from './saved-dashboards.ts';
import { VariableBar } from './VariableBar.tsx';
import { substituteVariables, withDefaults } from './variables.ts';
import type { VariableValues } from './variables.ts';
import '../visualize/visualize.css';
import './dashboards.css';

// Charts are on every view of this page: start loading the renderer (its own chunk) with the page.
void import('vega-embed');

export default function DashboardsPage({ subPath }: { subPath: string }) {
  const [mode, id] = subPath.split('/');
  if (mode === 'create') return <DashboardView key="new" />;
  if (mode === 'view' && id) return <DashboardView key={id} id={decodeURIComponent(id)} />;
  return <DashboardList />;
}

function DashboardList() {
  const [items, setItems] = useState<Awaited<ReturnType<typeof listDashboards>> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const reload = useCallback(() => { listDashboards().then(setItems, (e: Error) => setError(e.message)); }, []);
  useEffect(() => {
    ensurePipelineDashboard().catch((e: Error) => setError(`Could not create the Pipeline overview dashboard: ${e.message}`)).finally(reload);
  }, [reload]);

  const importFile = async (f: File) => {
    try {
      const r = await savedObjects.importNdjson(await f.text(), true);
      setNotice(`Imported ${r.successCount} object(s)${r.errors?.length ? `, ${r.errors.length} failed` : ''}.`);
      reload();
    } catch (e) {
      setError(`Import failed: ${(e as Error).message}`);
    }
  };
  const exportAll = async () => {
    try {
      downloadText(await savedObjects.exportNdjson({ types: ['dashboard', 'visualization', 'search', 'index-pattern'] }), 'application/x-ndjson', 'saved-objects.ndjson');
    } catch (e) {
      setError(`Export failed: ${(e as Error).message}`);
    }
  };

  return (
    <div className="dash-list-page">
      <div className="row page-header">
        <h2 className="grow">Dashboards</h2>
        <button className="btn" onClick={() => fileRef.current?.click()}>Import NDJSON</button>
        <input ref={fileRef} type="file" accept=".ndjson,application/x-ndjson,application/json" hidden aria-label="Import file"
          onChange={(e) => { const f = e.target.files?.[0]; if (f) importFile(f); e.target.value = ''; }} />
        <button className="btn" onClick={exportAll}>Export all</button>
        <a className="btn primary" href={href('dashboards/create')} onClick={(e) => onLinkClick(e, 'dashboards/create')}>Create dashboard</a>
      </div>
      {error && <div className="callout danger">{error}</div>}
      {notice && <div className="callout" role="status">{notice}</div>}
      {items && !items.length && <div className="empty-state">No dashboards yet.</div>}
      <table className="list-table">
        <tbody>
          {(items ?? []).map((d) => (
            <tr key={d.id}>
              <td><a href={href(`dashboards/view/${encodeURIComponent(d.id)}`)} onClick={(e) => onLinkClick(e, `dashboards/view/${encodeURIComponent(d.id)}`)}>{d.title}</a></td>
              <td className="muted">{d.description}</td>
              <td className="muted small">{d.panels} panels</td>
              <td className="num">
                <DeleteSavedObject type={DASHBOARD_TYPE} id={d.id} what={`dashboard "${d.title}"`} onError={setError} onDeleted={reload} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Dashboard filters as DSL, after variable substitution (negated ones as must_not, disabled ones dropped). */
export function filtersToDsl(filters: DashboardFilter[], values: VariableValues): Dsl[] {
  return filters.filter((f) => !f.disabled && f.query.trim()).map((f) => {
    const clause = translateQuery(substituteVariables(f.query.trim(), values));
    return f.negate ? { bool: { must_not: [clause] } } : clause;
  });
}

function DashboardView({ id }: { id?: string }) {
  const [dash, setDash] = useState<DashboardState | null>(id ? null : emptyDashboard());
  // The dashboard as saved: the URL carries only what the view changes from it.
  const [saved, setSaved] = useState<DashboardState>(() => emptyDashboard());
  const [editing, setEditing] = useState(!id);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [refreshKey, setRefreshKey] = useState(0);
  const [chosen, setValues] = useState<VariableValues>({});
  const [fullscreen, setFullscreen] = useState<string | null>(null);
  const [queryDraft, setQueryDraft] = useState('');

  useEffect(() => {
    if (!id) return;
    // The prebuilt dashboard may be opened by link before the list has created it.
    const ready = id === PIPELINE_DASHBOARD_ID ? ensurePipelineDashboard() : Promise.resolve(false);
    ready.then(() => loadDashboard(id)).then((d) => {
      const view = readDashboardUrl(d, window.location.search);
      setSaved(d);
      setDash(view.dash);
      setValues(view.chosen);
      setQueryDraft(view.dash.query);
    }, (e: Error) => setError(e.message));
  }, [id]);
  useEffect(() => {
    if (!dash?.refreshIntervalMs) return;
    const t = setInterval(() => setRefreshKey((k) => k + 1), dash.refreshIntervalMs);
    return () => clearInterval(t);
  }, [dash?.refreshIntervalMs]);
  useEffect(() => {
    const esc = (e: KeyboardEvent) => { if (e.key === 'Escape') setFullscreen(null); };
    window.addEventListener('keydown', esc);
    return () => window.removeEventListener('keydown', esc);
  }, []);

  useEffect(() => {
    if (dash) replaceQuery(writeDashboardUrl(saved, { dash, chosen }));
  }, [saved, dash, chosen]);
  // Until a variable's choices arrive it stands for All, so panels run once with a meaningful query.
  const values = useMemo(() => withDefaults(dash?.variables ?? [], chosen), [dash?.variables, chosen]);
  const filterDsl = useMemo(() => {
    try { return dash ? filtersToDsl(dash.filters, values) : []; } catch { return []; }
  }, [dash, values]);

  if (error && !dash) return <div className="callout danger">{error}</div>;
  if (!dash) return <div className="loading">Loading…</div>;
  const set = (patch: Partial<DashboardState>) => setDash({ ...dash, ...patch });
  const query = substituteVariables(dash.query, values);
  const setPanels = (panels: Panel[]) => set({ panels: packPanels(panels) });

  const save = async () => {
    try {
      const newId = await saveDashboard(dash, id);
      setSaved(dash);
      setNotice(`Saved "${dash.title}"`);
      setEditing(false);
      if (newId !== id) navigate(`dashboards/view/${encodeURIComponent(newId)}`);
    } catch (e) {
      setError(`Save failed: ${(e as Error).message}`);
    }
  };
  const doExport = async () => {
    if (!id) { setError('Save the dashboard before exporting it.'); return; }
    try { downloadText(await exportDashboard(id, dash), 'application/x-ndjson', fileNameFor(dash.title, 'ndjson')); } catch (e) { setError((e as Error).message); }
  };

  return (
    <div className="dash-view">
      <div className="row toolbar">
        <a href={href('dashboards')} onClick={(e) => onLinkClick(e, 'dashboards')}>Dashboards</a>
        <span className="muted">/</span>
        {editing
          ? <input className="text title-input" aria-label="Dashboard title" value={dash.title} onChange={(e) => set({ title: e.target.value })} />
          : <strong className="dash-title">{dash.title}</strong>}
        <span className="grow" />
        <TimePicker value={dash.timeRange} refreshMs={dash.refreshIntervalMs} onChange={(timeRange) => set({ timeRange })}
          onRefreshChange={(refreshIntervalMs) => set({ refreshIntervalMs })} onRefresh={() => setRefreshKey((k) => k + 1)} />
        {editing
          ? <button className="btn primary" onClick={save}>Save</button>
          : <button className="btn" onClick={() => setEditing(true)}>Edit</button>}
        <button className="btn" onClick={doExport}>Export</button>
      </div>
      <div className="row query-row">
        <input className="text grow" aria-label="Dashboard query" placeholder="Search (DQL), e.g. level:error and service:$service" value={queryDraft}
          onChange={(e) => setQueryDraft(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && set({ query: queryDraft })} />
        <button className="btn" onClick={() => set({ query: queryDraft })}>Update</button>
      </div>
      <FilterBar filters={dash.filters} onChange={(filters) => set({ filters })} />
      <VariableBar defs={dash.variables} timeRange={dash.timeRange} values={values} onValues={setValues}
        editing={editing} onDefs={(variables) => set({ variables })} refreshKey={refreshKey} />
      {error && <div className="callout danger">{error}</div>}
      {notice && <div className="callout" role="status">{notice}</div>}
      {editing && <AddPanel onAdd={(type, pid) => setPanels([...dash.panels, { panelId: `p${Date.now().toString(36)}`, type, id: pid, gridData: placeNewPanel(dash.panels) }])} />}
      {!dash.panels.length && <div className="empty-state">This dashboard is empty. {editing ? 'Add a saved visualization or search above.' : 'Click Edit to add panels.'}</div>}
      <div className="dash-grid">
        {dash.panels.map((p, i) => (
          <div key={p.panelId} className={`dash-cell${fullscreen === p.panelId ? ' fullscreen' : ''}`} data-panel-id={p.panelId}
            style={{ gridColumn: `${p.gridData.x + 1} / span ${p.gridData.w}`, gridRow: `${p.gridData.y + 1} / span ${p.gridData.h}` }}>
            <DashboardPanel panel={p} timeRange={dash.timeRange} query={query} filters={filterDsl} values={values} refreshKey={refreshKey}
              fullscreen={fullscreen === p.panelId}
              onFullscreen={() => setFullscreen(fullscreen === p.panelId ? null : p.panelId)}
              editControls={editing ? {
                onRemove: () => setPanels(dash.panels.filter((x) => x.panelId !== p.panelId)),
                onMove: (d) => {
                  const j = i + d;
                  if (j < 0 || j >= dash.panels.length) return;
                  const next = [...dash.panels];
                  [next[i], next[j]] = [next[j], next[i]];
                  setPanels(next);
                },
                onResize: (w, h) => setPanels(dash.panels.map((x) => (x.panelId === p.panelId ? { ...x, gridData: { ...x.gridData, w, h } } : x))),
              } : undefined} />
          </div>
        ))}
      </div>
    </div>
  );
}

function FilterBar({ filters, onChange }: { filters: DashboardFilter[]; onChange: (f: DashboardFilter[]) => void }) {
  const [draft, setDraft] = useState('');
  const add = () => { if (draft.trim()) { onChange([...filters, { query: draft.trim() }]); setDraft(''); } };
  return (
    <div className="row filter-bar">
      {filters.map((f, i) => (
        <span key={i} className={`filter-pill${f.negate ? ' negate' : ''}${f.disabled ? ' disabled' : ''}`}>
          <button className="link" title="Toggle NOT" onClick={() => onChange(filters.map((x, j) => (j === i ? { ...x, negate: !x.negate } : x)))}>{f.negate ? 'NOT ' : ''}{f.query}</button>
          <button className="icon-btn" title={f.disabled ? 'Enable' : 'Disable'} onClick={() => onChange(filters.map((x, j) => (j === i ? { ...x, disabled: !x.disabled } : x)))}>{f.disabled ? '○' : '●'}</button>
          <button className="icon-btn" title="Remove filter" onClick={() => onChange(filters.filter((_, j) => j !== i))}>✕</button>
        </span>
      ))}
      <input className="text small-input" aria-label="Add filter" placeholder="+ filter (DQL)" value={draft} onChange={(e) => setDraft(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && add()} />
    </div>
  );
}

function AddPanel({ onAdd }: { onAdd: (type: Panel['type'], id: string, title: string) => void }) {
  const [options, setOptions] = useState<Array<{ type: Panel['type']; id: string; title: string }>>([]);
  const [choice, setChoice] = useState('');
  useEffect(() => {
    Promise.all([
      listVis().then((l) => l.map((v) => ({ type: 'visualization' as const, id: v.id, title: v.title }))).catch(() => []),
      savedObjects.find<{ title?: string }>('search', { perPage: 1000 }).then((r) => r.saved_objects.map((s) => ({ type: 'search' as const, id: s.id, title: s.attributes.title ?? s.id }))).catch(() => []),
    ]).then(([v, s]) => setOptions([...v, ...s]));
  }, []);
  const chosen = options.find((o) => `${o.type}:${o.id}` === choice);
  return (
    <div className="row add-panel">
      <select className="select" aria-label="Add panel" value={choice} onChange={(e) => setChoice(e.target.value)}>
        <option value="">— add a saved visualization or search —</option>
        {options.map((o) => <option key={`${o.type}:${o.id}`} value={`${o.type}:${o.id}`}>{o.type === 'search' ? 'Search: ' : ''}{o.title}</option>)}
      </select>
      <button className="btn" disabled={!chosen} onClick={() => { if (chosen) { onAdd(chosen.type, chosen.id, chosen.title); setChoice(''); } }}>Add panel</button>
    </div>
  );
}
