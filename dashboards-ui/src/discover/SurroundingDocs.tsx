// "View surrounding documents": the documents just before and after one document in time, under the
// current filters (the query bar is ignored, as in OpenSearch Dashboards' context view), with buttons to
// widen the window in either direction.

import { useEffect, useState } from 'react';
import { search, type FieldSpec, type Hit } from '../api/client.ts';
import type { Dsl } from '../query/dql-to-dsl.ts';
import { DocTable } from './DocTable.tsx';
import { sameTimeBody, surroundingBody } from './discover-search.ts';
import { flattenSource, formatTime } from './format.tsx';

const STEP = 5;

export function SurroundingDocs(props: { anchor: Hit; index: string; timeField: string; filterQuery: Dsl; columns: string[]; fields: FieldSpec[]; onClose: () => void }) {
  const [before, setBefore] = useState(STEP);
  const [after, setAfter] = useState(STEP);
  const [rows, setRows] = useState<Hit[] | null>(null);
  const [error, setError] = useState('');
  const anchorMs = Date.parse(String(flattenSource(props.anchor._source)[props.timeField]));

  useEffect(() => {
    const ctrl = new AbortController();
    const { index, timeField, filterQuery } = props;
    Promise.all([
      search(index, surroundingBody(filterQuery, timeField, anchorMs, 'after', after), ctrl.signal),
      search(index, sameTimeBody(filterQuery, timeField, anchorMs, 20), ctrl.signal),
      search(index, surroundingBody(filterQuery, timeField, anchorMs, 'before', before), ctrl.signal),
    ]).then(([newer, same, older]) => {
      const others = same.hits.hits.filter((h) => !(h._id === props.anchor._id && h._index === props.anchor._index));
      // Newest first, like the main table: newer docs (reversed), same-millisecond docs, the anchor, older docs.
      setRows([...newer.hits.hits.reverse(), ...others, props.anchor, ...older.hits.hits]);
    }, (err: Error) => err.name !== 'AbortError' && setError(err.message));
    return () => ctrl.abort();
  }, [before, after, anchorMs, props]);

  return (
    <div className="modal-back" onClick={props.onClose}>
      <div className="modal" style={{ width: '90vw' }} onClick={(e) => e.stopPropagation()} data-testid="surrounding-view">
        <div className="row">
          <h3 className="grow">Surrounding documents of {formatTime(anchorMs)}</h3>
          <button className="btn" onClick={props.onClose}>Close</button>
        </div>
        <p className="muted small">Filters apply; the query bar does not. The anchor document is highlighted.</p>
        <button className="btn small" onClick={() => setAfter((n) => n + STEP)}>Load {STEP} newer</button>
        {error && <div className="callout danger">{error}</div>}
        {rows ? <DocTable hits={rows} columns={props.columns} timeField={props.timeField} fields={props.fields} sort={null} anchorId={props.anchor._id} /> : <div className="loading">Loading…</div>}
        <button className="btn small" onClick={() => setBefore((n) => n + STEP)} style={{ marginTop: 8 }}>Load {STEP} older</button>
      </div>
    </div>
  );
}
