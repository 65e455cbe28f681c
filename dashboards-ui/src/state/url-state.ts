// View state in the URL's query string, so a link reproduces what the user sees. The common part (time
// range, auto-refresh, query, filters) is shared by Discover and Dashboards; each page adds its own keys.
// Defaults are left out, so URLs stay short; unreadable values fall back to defaults instead of failing.

import type { Filter } from '../query/filters.ts';
import type { QueryInput } from '../query/search-query.ts';
import { DEFAULT_TIME_RANGE, type TimeRange } from '../query/time-range.ts';

export interface CommonState {
  time: TimeRange;
  /** Auto-refresh period in ms; 0 = paused. */
  refreshMs: number;
  query: QueryInput;
  filters: Filter[];
}

export const DEFAULT_COMMON: CommonState = {
  time: DEFAULT_TIME_RANGE,
  refreshMs: 0,
  query: { language: 'kuery', text: '' },
  filters: [],
};

/** Writes the common state into params (keys: from, to, refresh, q, lang, f). */
export function writeCommon(p: URLSearchParams, s: CommonState): void {
  if (s.time.from !== DEFAULT_TIME_RANGE.from) p.set('from', s.time.from);
  if (s.time.to !== DEFAULT_TIME_RANGE.to) p.set('to', s.time.to);
  if (s.refreshMs > 0) p.set('refresh', String(s.refreshMs));
  if (s.query.text) p.set('q', s.query.text);
  if (s.query.language !== 'kuery') p.set('lang', s.query.language);
  if (s.filters.length) p.set('f', JSON.stringify(s.filters.map(compactFilter)));
}

/** Reads the common state, tolerating missing or malformed values. */
export function readCommon(p: URLSearchParams): CommonState {
  const refresh = Number(p.get('refresh') ?? 0);
  return {
    time: { from: p.get('from') || DEFAULT_TIME_RANGE.from, to: p.get('to') || DEFAULT_TIME_RANGE.to },
    refreshMs: Number.isFinite(refresh) && refresh > 0 ? refresh : 0,
    query: { text: p.get('q') ?? '', language: p.get('lang') === 'lucene' ? 'lucene' : 'kuery' },
    filters: readFilters(p.get('f')),
  };
}

/** Filters without their false flags (shorter URLs). */
function compactFilter(f: Filter): Record<string, unknown> {
  const out: Record<string, unknown> = { ...f };
  for (const k of ['negate', 'disabled', 'pinned'] as const) if (!out[k]) delete out[k];
  return out;
}

function readFilters(text: string | null): Filter[] {
  if (!text) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  const out: Filter[] = [];
  for (const r of raw) {
    if (!r || typeof r !== 'object' || typeof r.field !== 'string') continue;
    const flags = { negate: r.negate === true, disabled: r.disabled === true, pinned: r.pinned === true };
    if (r.type === 'phrase' && ['string', 'number', 'boolean'].includes(typeof r.value)) out.push({ type: 'phrase', field: r.field, value: r.value, ...flags });
    else if (r.type === 'exists') out.push({ type: 'exists', field: r.field, ...flags });
    else if (r.type === 'range') out.push({ type: 'range', field: r.field, gte: r.gte, lt: r.lt, ...flags });
  }
  return out;
}
