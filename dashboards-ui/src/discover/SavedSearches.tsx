// Saved searches: save the current view (new or over the one opened), open one, or start a new search.
// A saved search stores the same state the URL carries, so opening it is navigating to its URL.

import { useState } from 'react';
import { savedObjects, type SavedObject } from '../api/client.ts';
import { Popover } from '../components/Popover.tsx';
import type { DiscoverState } from './discover-state.ts';

/** What a saved search holds (type `search`). */
export interface SavedSearchAttributes {
  title: string;
  indexPattern: string;
  query: DiscoverState['query'];
  filters: DiscoverState['filters'];
  columns: string[];
  sort: DiscoverState['sort'];
  interval: string;
}

export function toAttributes(title: string, s: DiscoverState): SavedSearchAttributes {
  return { title, indexPattern: s.indexPattern, query: s.query, filters: s.filters.filter((f) => !f.pinned), columns: s.columns, sort: s.sort, interval: s.interval };
}

export function SavedSearches(props: { state: DiscoverState; title: string; onOpen: (obj: SavedObject<SavedSearchAttributes>) => void; onSaved: (id: string, title: string) => void; onNew: () => void }) {
  const [title, setTitle] = useState(props.title);
  const [asNew, setAsNew] = useState(false);
  const [list, setList] = useState<Array<SavedObject<SavedSearchAttributes>> | null>(null);
  const [error, setError] = useState('');
  const save = async (close: () => void) => {
    try {
      const attrs = toAttributes(title.trim(), props.state);
      const obj = props.state.savedSearchId && !asNew
        ? await savedObjects.update<SavedSearchAttributes>('search', props.state.savedSearchId, attrs)
        : await savedObjects.create<SavedSearchAttributes>('search', attrs);
      props.onSaved(obj.id, attrs.title);
      setError('');
      close();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <div className="row">
      <button className="btn ghost small" onClick={props.onNew}>New</button>
      <Popover
        button={(toggle) => (
          <button className="btn ghost small" onClick={() => (toggle(), savedObjects.find<SavedSearchAttributes>('search', { perPage: 200 }).then((r) => setList(r.saved_objects), (e: Error) => setError(e.message)))}>
            Open
          </button>
        )}
      >
        {(close) => (
          <div style={{ maxHeight: 300, overflow: 'auto' }}>
            <h4>Saved searches</h4>
            {list === null && <div className="muted">Loading…</div>}
            {list?.length === 0 && <div className="muted">None saved yet.</div>}
            {list?.map((o) => (
              <div key={o.id}>
                <button className="btn ghost small" onClick={() => (props.onOpen(o), close())}>{o.attributes.title}</button>
              </div>
            ))}
          </div>
        )}
      </Popover>
      <Popover button={(toggle) => <button className="btn ghost small" onClick={toggle} data-testid="save-search">Save</button>}>
        {(close) => (
          <div>
            <h4>Save search</h4>
            <input className="text" style={{ width: '100%' }} value={title} placeholder="Title" onChange={(e) => setTitle(e.target.value)} aria-label="saved search title" />
            {props.state.savedSearchId && (
              <label className="row">
                <input type="checkbox" checked={asNew} onChange={(e) => setAsNew(e.target.checked)} /> Save as a new search
              </label>
            )}
            {error && <div className="callout danger small">{error}</div>}
            <div className="row" style={{ justifyContent: 'flex-end', marginTop: 8 }}>
              <button className="btn small primary" disabled={!title.trim()} onClick={() => void save(close)}>Save</button>
            </div>
          </div>
        )}
      </Popover>
    </div>
  );
}
