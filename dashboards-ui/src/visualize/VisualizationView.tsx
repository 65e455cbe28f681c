// A visualization rendered for a context (time range, query, filters): runs it, then shows the chart,
// the data table, or a clear message (loading, no results, the server's error). Used by the editor's
// preview and by every dashboard panel.

import { useEffect, useState } from 'react';
import { DataTable } from './DataTable.tsx';
import { runVisualization } from './run-visualization.ts';
import type { RunContext, VisResult } from './run-visualization.ts';
import { validateVisState } from './specs/vis-state.ts';
import type { VisState } from './specs/vis-state.ts';
import { VegaChart } from './VegaChart.tsx';
import type { ChartView } from './VegaChart.tsx';

export interface VisualizationViewProps {
  state: VisState;
  ctx: Omit<RunContext, 'signal'>;
  /** Changing it re-runs the search (auto-refresh, the Refresh button). */
  refreshKey?: number;
  onResult?: (r: VisResult | null) => void;
  onView?: (v: ChartView | null) => void;
}

export function VisualizationView({ state, ctx, refreshKey, onResult, onView }: VisualizationViewProps) {
  const [result, setResult] = useState<VisResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const problems = validateVisState(state);
  // Re-run when the inputs change by value: parents rebuild these objects on every render.
  const key = JSON.stringify([state, ctx]);

  useEffect(() => {
    if (problems.length) { setResult(null); onResult?.(null); return; }
    const ac = new AbortController();
    setLoading(true);
    runVisualization(state, { ...ctx, signal: ac.signal })
      .then((r) => { setResult(r); setError(null); onResult?.(r); })
      .catch((e: unknown) => {
        if (ac.signal.aborted) return;
        setError(e instanceof Error ? e.message : String(e));
        setResult(null);
        onResult?.(null);
      })
      .finally(() => { if (!ac.signal.aborted) setLoading(false); });
    return () => ac.abort();
  }, [key, refreshKey]);

  if (problems.length) return <div className="vis-message">{problems.map((p) => <div key={p}>{p}</div>)}</div>;
  if (error) return <div className="callout danger vis-error">{error}</div>;
  if (!result) return <div className="vis-message">{loading ? 'Loading…' : ''}</div>;
  const empty = result.table.rows.length === 0 || (state.buckets.length > 0 && result.table.totalHits === 0);
  return (
    <div className={`vis-view${loading ? ' is-loading' : ''}`} data-vis-type={state.type}>
      {empty && state.type !== 'metric' ? (
        <div className="vis-message">No results found</div>
      ) : result.spec ? (
        <VegaChart spec={result.spec} onView={onView} />
      ) : (
        <DataTable table={result.table} />
      )}
    </div>
  );
}
