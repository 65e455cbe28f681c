// One dashboard panel: loads its saved visualization or search, substitutes the dashboard variables,
// and renders it under the dashboard's time range, query and filters. A header carries the title, the
// full-screen toggle and, while editing, move / resize / remove.

import { useEffect, useMemo, useState } from 'react';
import { href, onLinkClick } from '../app/router.ts';
import { loadVis } from '../visualize/saved-visualizations.ts';
import type { SavedVis } from '../visualize/saved-visualizations.ts';
import type { Dsl } from '../visualize/specs/aggs-request.ts';
import type { TimeRange } from '../query/time-range.ts';
import { VisualizationView } from '../visualize/VisualizationView.tsx';
import type { Panel } from './dashboard-state.ts';
import { loadSavedSearch } from './saved-dashboards.ts';
import type { SavedSearch } from './saved-dashboards.ts';
import { SavedSearchPanel } from './SavedSearchPanel.tsx';
import { substituteInVisState, substituteVariables } from './variables.ts';
import type { VariableValues } from './variables.ts';

export interface PanelEditControls {
  onRemove(): void;
  onMove(delta: -1 | 1): void;
  onResize(w: number, h: number): void;
}

const WIDTHS = [3, 4, 6, 8, 12];
const HEIGHTS = [5, 7, 10, 14];

export function DashboardPanel(props: {
  panel: Panel; timeRange: TimeRange; query: string; filters: Dsl[]; values: VariableValues; refreshKey: number;
  fullscreen: boolean; onFullscreen(): void; editControls?: PanelEditControls;
}) {
  const { panel, timeRange, query, filters, values, refreshKey, editControls } = props;
  const [vis, setVis] = useState<SavedVis | null>(null);
  const [saved, setSaved] = useState<SavedSearch | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setError(null);
    if (panel.type === 'visualization') loadVis(panel.id).then(setVis, (e: Error) => setError(e.message));
    else loadSavedSearch(panel.id).then(setSaved, (e: Error) => setError(e.message));
  }, [panel.type, panel.id]);

  const state = useMemo(() => (vis ? substituteInVisState(vis.state, values) : null), [vis, values]);
  const ctx = useMemo(() => ({ timeRange, query, filters }), [timeRange, query, filters]);
  const title = panel.title ?? vis?.title ?? saved?.title ?? panel.id;
  const editPath = panel.type === 'visualization' ? `visualize/edit/${encodeURIComponent(panel.id)}` : 'discover';

  return (
    <div className="dash-panel" data-testid="dashboard-panel">
      <div className="dash-panel-header">
        <span className="dash-panel-title" title={title}>{title}</span>
        {editControls && (
          <>
            <button className="icon-btn" title="Move left/up" onClick={() => editControls.onMove(-1)}>◀</button>
            <button className="icon-btn" title="Move right/down" onClick={() => editControls.onMove(1)}>▶</button>
            <select className="select tiny" aria-label="Panel width" value={panel.gridData.w} onChange={(e) => editControls.onResize(Number(e.target.value), panel.gridData.h)}>
              {WIDTHS.map((w) => <option key={w} value={w}>{w}/12 wide</option>)}
            </select>
            <select className="select tiny" aria-label="Panel height" value={panel.gridData.h} onChange={(e) => editControls.onResize(panel.gridData.w, Number(e.target.value))}>
              {HEIGHTS.map((h) => <option key={h} value={h}>{h} rows</option>)}
            </select>
            <button className="icon-btn" title="Remove panel" onClick={editControls.onRemove}>✕</button>
          </>
        )}
        {!editControls && <a className="icon-btn" title="Open in editor" href={href(editPath)} onClick={(e) => onLinkClick(e, editPath)}>✎</a>}
        <button className="icon-btn" title={props.fullscreen ? 'Exit full screen (Esc)' : 'Full screen'} aria-label="Full screen" onClick={props.onFullscreen}>{props.fullscreen ? '⤡' : '⤢'}</button>
      </div>
      <div className="dash-panel-body">
        {error ? <div className="callout danger vis-error">{error}</div>
          : state ? <VisualizationView state={state} ctx={ctx} refreshKey={refreshKey} />
          : saved ? <SavedSearchPanel saved={{ ...saved, query: { ...saved.query, text: substituteVariables(saved.query.text, values) } }} timeRange={timeRange} query={query} filters={filters} refreshKey={refreshKey} />
          : <div className="vis-message">Loading…</div>}
      </div>
    </div>
  );
}
