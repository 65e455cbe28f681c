// Saved dashboards (type `dashboard`) and the saved searches they embed (type `search`, written by
// Discover), plus NDJSON export of a dashboard with every object its panels use, and import.

import { savedObjects } from '../api/client.ts';
import type { SavedObject } from '../api/client.ts';
import { filtersToBool } from '../query/filters.ts';
import type { Filter } from '../query/filters.ts';
import type { QueryInput } from '../query/search-query.ts';
import type { Dsl } from '../visualize/specs/aggs-request.ts';
import { fromAttributes, toAttributes } from './dashboard-state.ts';
import type { DashboardAttributes, DashboardState } from './dashboard-state.ts';

export const DASHBOARD_TYPE = 'dashboard';

export async function loadDashboard(id: string): Promise<DashboardState> {
  const o = await savedObjects.get<Partial<DashboardAttributes>>(DASHBOARD_TYPE, id);
  return fromAttributes(o.attributes);
}

/** The references a dashboard's panels make (so exports and tools can follow them). */
export function panelReferences(d: DashboardState): SavedObject['references'] {
  return d.panels.map((p) => ({ name: p.panelId, type: p.type, id: p.id }));
}

export async function saveDashboard(d: DashboardState, id?: string): Promise<string> {
  const saved = await savedObjects.create(DASHBOARD_TYPE, toAttributes(d), { id, overwrite: Boolean(id), references: panelReferences(d) });
  return saved.id;
}

export async function listDashboards(): Promise<Array<{ id: string; title: string; description: string; panels: number }>> {
  const r = await savedObjects.find<Partial<DashboardAttributes>>(DASHBOARD_TYPE, { perPage: 1000 });
  return r.saved_objects.map((o) => {
    const d = fromAttributes(o.attributes);
    return { id: o.id, title: d.title, description: d.description ?? '', panels: d.panels.length };
  }).sort((a, b) => a.title.localeCompare(b.title));
}

/** NDJSON of the dashboard and the visualizations and searches on it. */
export async function exportDashboard(id: string, d: DashboardState): Promise<string> {
  const objects = [{ type: DASHBOARD_TYPE, id }, ...d.panels.map((p) => ({ type: p.type, id: p.id }))];
  const unique = objects.filter((o, i) => objects.findIndex((x) => x.type === o.type && x.id === o.id) === i);
  return savedObjects.exportNdjson({ objects: unique });
}

/** A saved search as a dashboard panel needs it. */
export interface SavedSearch {
  id: string;
  title: string;
  index: string;
  query: QueryInput;
  /** The search's own filter pills, as DSL (negated ones under must_not). */
  filters: { filter: Dsl[]; must_not: Dsl[] };
  columns: string[];
  timeField?: string;
}

/**
 * Reads a saved search as Discover writes it (`indexPattern`, `query: {language, text}`, filter pills),
 * or in OpenSearch Dashboards' form (`kibanaSavedObjectMeta.searchSourceJSON`) for imported objects.
 * The time field is the index pattern's `timeFieldName` (default `@timestamp`).
 */
export async function loadSavedSearch(id: string): Promise<SavedSearch> {
  const o = await savedObjects.get<Record<string, any>>('search', id);
  const a = o.attributes ?? {};
  let source: Record<string, any> = {};
  try { source = JSON.parse(a.kibanaSavedObjectMeta?.searchSourceJSON ?? '{}'); } catch { /* defaults */ }
  const index: string = a.indexPattern ?? source.index ?? 'cwl-*';
  const q = a.query ?? source.query;
  const query: QueryInput = typeof q === 'string' ? { language: 'kuery', text: q }
    : { language: q?.language === 'lucene' ? 'lucene' : 'kuery', text: String(q?.text ?? q?.query ?? '') };
  const pills: Filter[] = Array.isArray(a.filters) ? a.filters.filter((f: Filter) => f && typeof f.field === 'string') : [];
  return { id, title: a.title ?? id, index, query, filters: filtersToBool(pills), columns: Array.isArray(a.columns) ? a.columns : [], timeField: await timeFieldOf(index) };
}

async function timeFieldOf(pattern: string): Promise<string | undefined> {
  try {
    const r = await savedObjects.find<{ title?: string; timeFieldName?: string }>('index-pattern', { perPage: 1000 });
    const p = r.saved_objects.find((x) => x.attributes.title === pattern);
    if (p) return p.attributes.timeFieldName || undefined;
  } catch { /* fall back */ }
  return '@timestamp';
}
