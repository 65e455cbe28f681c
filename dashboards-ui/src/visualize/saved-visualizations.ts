// Saved visualizations as saved objects of type `visualization`: the title, a description and the
// builder state as a JSON string (`visState`, OpenSearch Dashboards' attribute name).

import { savedObjects } from '../api/client.ts';
import type { SavedObject } from '../api/client.ts';
import { CHART_TYPES } from './specs/vis-state.ts';
import type { VisState } from './specs/vis-state.ts';

export const VIS_TYPE = 'visualization';

export interface VisAttributes {
  title: string;
  description: string;
  /** JSON of VisState. */
  visState: string;
  version: number;
}

export interface SavedVis { id: string; title: string; description: string; state: VisState }

/** Parses a saved object; throws with a readable message when the state is not one of ours. */
export function parseSavedVis(obj: SavedObject<Partial<VisAttributes>>): SavedVis {
  let state: VisState;
  try {
    state = JSON.parse(obj.attributes.visState ?? '');
  } catch {
    throw new Error(`visualization [${obj.id}] has no readable visState`);
  }
  if (!state || !CHART_TYPES.includes(state.type) || !Array.isArray(state.metrics) || !Array.isArray(state.buckets)) {
    throw new Error(`visualization [${obj.id}] is of an unsupported kind`);
  }
  return { id: obj.id, title: obj.attributes.title ?? obj.id, description: obj.attributes.description ?? '', state };
}

export function toVisAttributes(title: string, description: string, state: VisState): VisAttributes {
  return { title, description, visState: JSON.stringify(state), version: 1 };
}

export async function loadVis(id: string): Promise<SavedVis> {
  return parseSavedVis(await savedObjects.get<Partial<VisAttributes>>(VIS_TYPE, id));
}

/** Creates (no id) or overwrites a visualization; returns its id. */
export async function saveVis(vis: { id?: string; title: string; description: string; state: VisState }): Promise<string> {
  const attrs = toVisAttributes(vis.title, vis.description, vis.state);
  const saved = await savedObjects.create(VIS_TYPE, attrs, vis.id ? { id: vis.id, overwrite: true } : {});
  return saved.id;
}

export async function listVis(search?: string): Promise<Array<{ id: string; title: string; description: string; type: string }>> {
  const res = await savedObjects.find<Partial<VisAttributes>>(VIS_TYPE, { search, perPage: 1000 });
  return res.saved_objects.map((o) => {
    let type = '?';
    try { type = JSON.parse(o.attributes.visState ?? '{}').type ?? '?'; } catch { /* listed anyway */ }
    return { id: o.id, title: o.attributes.title ?? o.id, description: o.attributes.description ?? '', type };
  }).sort((a, b) => a.title.localeCompare(b.title));
}
