// A dashboard as the Dashboards app edits it and as its saved object stores it: a grid of panels
// (saved visualizations and saved searches), the shared time range, query and filters that every
// panel obeys, variables substituted into panel queries, and an auto-refresh interval.

import type { TimeRange } from '../query/time-range.ts';
import type { VariableDef } from './variables.ts';

/** Where a panel sits on the 12-column grid (rows are GRID_ROW_PX tall). */
export interface GridData { x: number; y: number; w: number; h: number }

export const GRID_COLUMNS = 12;
export const GRID_ROW_PX = 40;

export interface Panel {
  /** Unique within the dashboard. */
  panelId: string;
  type: 'visualization' | 'search';
  /** The saved object id of the visualization or search. */
  id: string;
  gridData: GridData;
  /** Overrides the saved object's title. */
  title?: string;
}

/** A pinned filter: a DQL clause, optionally negated or disabled (as OpenSearch Dashboards' pills). */
export interface DashboardFilter { query: string; negate?: boolean; disabled?: boolean }

export interface DashboardState {
  title: string;
  description?: string;
  panels: Panel[];
  timeRange: TimeRange;
  /** Auto-refresh period in milliseconds; 0 = off. */
  refreshIntervalMs: number;
  query: string;
  filters: DashboardFilter[];
  variables: VariableDef[];
}

export function emptyDashboard(title = 'New dashboard'): DashboardState {
  return { title, panels: [], timeRange: { from: 'now-24h', to: 'now' }, refreshIntervalMs: 0, query: '', filters: [], variables: [] };
}

/** The saved-object attributes of a dashboard (OpenSearch Dashboards' field names, JSON strings inside). */
export interface DashboardAttributes {
  title: string;
  description: string;
  panelsJSON: string;
  timeRestore: boolean;
  timeFrom: string;
  timeTo: string;
  refreshInterval: { pause: boolean; value: number };
  variablesJSON: string;
  kibanaSavedObjectMeta: { searchSourceJSON: string };
}

export function toAttributes(d: DashboardState): DashboardAttributes {
  return {
    title: d.title,
    description: d.description ?? '',
    panelsJSON: JSON.stringify(d.panels),
    timeRestore: true,
    timeFrom: d.timeRange.from,
    timeTo: d.timeRange.to,
    refreshInterval: { pause: d.refreshIntervalMs <= 0, value: d.refreshIntervalMs },
    variablesJSON: JSON.stringify(d.variables),
    kibanaSavedObjectMeta: { searchSourceJSON: JSON.stringify({ query: { language: 'kuery', query: d.query }, filter: d.filters }) },
  };
}

/** Reads saved attributes back, tolerating missing or malformed parts (imported objects). */
export function fromAttributes(a: Partial<DashboardAttributes>): DashboardState {
  const base = emptyDashboard(a.title ?? 'Untitled dashboard');
  const search = parseJson<{ query?: { query?: string }; filter?: DashboardFilter[] }>(a.kibanaSavedObjectMeta?.searchSourceJSON, {});
  return {
    ...base,
    description: a.description ?? '',
    panels: parseJson<Panel[]>(a.panelsJSON, []).filter((p) => p && typeof p.id === 'string' && p.gridData),
    timeRange: a.timeRestore && a.timeFrom && a.timeTo ? { from: a.timeFrom, to: a.timeTo } : base.timeRange,
    refreshIntervalMs: a.refreshInterval && !a.refreshInterval.pause ? a.refreshInterval.value : 0,
    query: typeof search.query?.query === 'string' ? search.query.query : '',
    filters: Array.isArray(search.filter) ? search.filter.filter((f) => typeof f?.query === 'string') : [],
    variables: parseJson(a.variablesJSON, []),
  };
}

function parseJson<T>(s: string | undefined, fallback: T): T {
  if (!s) return fallback;
  try {
    return JSON.parse(s) as T;
  } catch {
    return fallback;
  }
}

/** The grid position for a new panel: below everything, full width by default. */
export function placeNewPanel(panels: Panel[], w = 6, h = 7): GridData {
  const bottom = panels.reduce((m, p) => Math.max(m, p.gridData.y + p.gridData.h), 0);
  // Fill the right half of the last row when there is room.
  const lastRow = panels.filter((p) => p.gridData.y + p.gridData.h === bottom);
  const used = lastRow.reduce((m, p) => Math.max(m, p.gridData.x + p.gridData.w), 0);
  if (lastRow.length && used + w <= GRID_COLUMNS) {
    const y = Math.min(...lastRow.map((p) => p.gridData.y));
    return { x: used, y, w, h };
  }
  return { x: 0, y: bottom, w, h };
}

/**
 * Lays panels out in their list order, left to right, wrapping at 12 columns; a row is as tall as its
 * tallest panel. Editing (move, resize, remove) changes the order or sizes and re-packs.
 */
export function packPanels(panels: Panel[]): Panel[] {
  let x = 0;
  let y = 0;
  let rowH = 0;
  return panels.map((p) => {
    const w = Math.min(GRID_COLUMNS, Math.max(1, p.gridData.w));
    const h = Math.max(2, p.gridData.h);
    if (x + w > GRID_COLUMNS) { y += rowH; x = 0; rowH = 0; }
    const out = { ...p, gridData: { x, y, w, h } };
    x += w;
    rowH = Math.max(rowH, h);
    return out;
  });
}
