// Discover's view state and its URL form: the common state (time, query, filters) plus the index
// pattern, columns, sort, histogram interval and the saved search being edited.

import { DEFAULT_COMMON, readCommon, writeCommon, type CommonState } from '../state/url-state.ts';

export interface SortSpec {
  field: string;
  dir: 'asc' | 'desc';
}

export interface DiscoverState extends CommonState {
  /** Index pattern saved-object id ('' = the default one). */
  indexPattern: string;
  /** Selected columns; empty = the whole document (`_source`). */
  columns: string[];
  /** Null = newest first on the time field. */
  sort: SortSpec | null;
  interval: string;
  /** The saved search this view was opened from. */
  savedSearchId: string;
}

export const DEFAULT_DISCOVER: DiscoverState = {
  ...DEFAULT_COMMON,
  indexPattern: '',
  columns: [],
  sort: null,
  interval: 'auto',
  savedSearchId: '',
};

export function encodeDiscoverState(s: DiscoverState): string {
  const p = new URLSearchParams();
  if (s.savedSearchId) p.set('id', s.savedSearchId);
  if (s.indexPattern) p.set('ip', s.indexPattern);
  writeCommon(p, s);
  if (s.columns.length) p.set('cols', s.columns.join(','));
  if (s.sort) p.set('sort', `${s.sort.field}:${s.sort.dir}`);
  if (s.interval !== 'auto') p.set('iv', s.interval);
  return p.toString();
}

export function decodeDiscoverState(search: string): DiscoverState {
  const p = new URLSearchParams(search);
  const sort = /^(.+):(asc|desc)$/.exec(p.get('sort') ?? '');
  return {
    ...readCommon(p),
    savedSearchId: p.get('id') ?? '',
    indexPattern: p.get('ip') ?? '',
    columns: (p.get('cols') ?? '').split(',').filter(Boolean),
    sort: sort ? { field: sort[1], dir: sort[2] as 'asc' | 'desc' } : null,
    interval: p.get('iv') || 'auto',
  };
}
