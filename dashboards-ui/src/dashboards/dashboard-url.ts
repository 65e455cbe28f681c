// A dashboard view in the URL: what differs from the saved dashboard (time range, auto-refresh, query)
// and the chosen variable values (`var-<name>`), so a link opens the same view. The keys match
// Discover's (`from`, `to`, `refresh`, `q`).

import type { DashboardState } from './dashboard-state.ts';
import { ALL } from './variables.ts';
import type { VariableValues } from './variables.ts';

export interface UrlView { dash: DashboardState; chosen: VariableValues }

/** The view a URL asks for, over the saved dashboard. */
export function readDashboardUrl(saved: DashboardState, search: string): UrlView {
  const p = new URLSearchParams(search);
  const refresh = Number(p.get('refresh'));
  const dash: DashboardState = {
    ...saved,
    timeRange: { from: p.get('from') || saved.timeRange.from, to: p.get('to') || saved.timeRange.to },
    refreshIntervalMs: p.has('refresh') && Number.isFinite(refresh) && refresh >= 0 ? refresh : saved.refreshIntervalMs,
    query: p.has('q') ? p.get('q') ?? '' : saved.query,
  };
  const chosen: VariableValues = {};
  for (const v of saved.variables) {
    const value = p.get(`var-${v.name}`);
    if (value !== null) chosen[v.name] = value;
  }
  return { dash, chosen };
}

/** The query string of a view: only what differs from the saved dashboard, plus chosen variables (All is the default). */
export function writeDashboardUrl(saved: DashboardState, view: UrlView): string {
  const p = new URLSearchParams();
  const { dash } = view;
  if (dash.timeRange.from !== saved.timeRange.from) p.set('from', dash.timeRange.from);
  if (dash.timeRange.to !== saved.timeRange.to) p.set('to', dash.timeRange.to);
  if (dash.refreshIntervalMs !== saved.refreshIntervalMs) p.set('refresh', String(dash.refreshIntervalMs));
  if (dash.query !== saved.query) p.set('q', dash.query);
  for (const v of dash.variables) {
    const value = view.chosen[v.name];
    if (value !== undefined && value !== ALL) p.set(`var-${v.name}`, value);
  }
  return p.toString();
}
