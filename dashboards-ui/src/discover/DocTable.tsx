// The document table: the time column, the chosen columns (or the whole document as key/value pairs),
// sortable headers, highlighted matches, and rows that expand into a table or JSON view of the document
// with per-field filter buttons and a link to the surrounding documents.

import { useState } from 'react';
import type { FieldSpec, Hit } from '../api/client.ts';
import type { SortSpec } from './discover-state.ts';
import { CellValue, flattenSource, formatTime, formatValue } from './format.tsx';

export interface DocTableProps {
  hits: Hit[];
  columns: string[];
  timeField?: string;
  fields: FieldSpec[];
  sort: SortSpec | null;
  onSort?: (s: SortSpec) => void;
  onToggleColumn?: (field: string) => void;
  onFilter?: (field: string, value: unknown, negate: boolean) => void;
  onSurrounding?: (hit: Hit) => void;
  /** The id of a row to mark (the anchor in the surrounding-documents view). */
  anchorId?: string;
}

export function DocTable(props: DocTableProps) {
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const byName = new Map(props.fields.map((f) => [f.name, f]));
  const sortField = (name: string) => {
    const f = byName.get(name);
    if (!f) return undefined;
    return f.aggregatable ? f.name : f.keywordSubField;
  };
  const toggle = (key: string) =>
    setExpanded((s) => {
      const n = new Set(s);
      if (n.has(key)) n.delete(key);
      else n.add(key);
      return n;
    });
  const header = (name: string, label = name) => {
    const sf = props.onSort ? sortField(name) : undefined;
    const current = props.sort?.field === sf ? props.sort?.dir : name === props.timeField && !props.sort ? 'desc' : undefined;
    return (
      <th key={name}>
        {label}
        {sf && (
          <span
            className={`sort ${current ? 'active' : ''}`}
            title="Sort"
            data-testid={`sort-${name}`}
            onClick={() => props.onSort!({ field: sf, dir: current === 'desc' ? 'asc' : 'desc' })}
          >
            {current === 'asc' ? '▲' : '▼'}
          </span>
        )}
        {props.onToggleColumn && name !== props.timeField && name !== '_source' && (
          <span className="sort" title="Remove column" onClick={() => props.onToggleColumn!(name)}>
            ✕
          </span>
        )}
      </th>
    );
  };
  const span = 1 + (props.timeField ? 1 : 0) + Math.max(1, props.columns.length);
  return (
    <table className="docs" data-testid="doc-table">
      <thead>
        <tr>
          <th />
          {props.timeField && header(props.timeField, 'Time')}
          {props.columns.length ? props.columns.map((c) => header(c)) : <th>Document</th>}
        </tr>
      </thead>
      <tbody>
        {props.hits.map((h) => {
          const key = `${h._index}/${h._id}`;
          const flat = flattenSource(h._source);
          const open = expanded.has(key);
          return [
            <tr key={key} className={`doc ${props.anchorId === h._id ? 'anchor' : ''}`} data-testid="doc-row">
              <td className="toggle">
                <button className="icon-btn" aria-label={open ? 'collapse' : 'expand'} onClick={() => toggle(key)}>
                  {open ? '▾' : '▸'}
                </button>
              </td>
              {props.timeField && <td className="time">{formatTime(flat[props.timeField])}</td>}
              {props.columns.length ? (
                props.columns.map((c) => (
                  <td key={c}>
                    <CellValue value={flat[c]} highlight={h.highlight?.[c]} />
                  </td>
                ))
              ) : (
                <td>
                  <SourceSummary flat={flat} highlight={h.highlight} skip={props.timeField} />
                </td>
              )}
            </tr>,
            open && (
              <tr key={key + ':detail'}>
                <td colSpan={span}>
                  <DocDetail hit={h} flat={flat} {...props} />
                </td>
              </tr>
            ),
          ];
        })}
      </tbody>
    </table>
  );
}

/** The whole document as `field: value` pairs (what Discover shows when no column is chosen). */
function SourceSummary(props: { flat: Record<string, unknown>; highlight?: Record<string, string[]>; skip?: string }) {
  return (
    <dl className="cell-source">
      {Object.entries(props.flat)
        .filter(([k]) => k !== props.skip)
        .map(([k, v]) => (
          <span key={k}>
            <dt>{k}:</dt>
            <dd>
              <CellValue value={v} highlight={props.highlight?.[k]} />
            </dd>{' '}
          </span>
        ))}
    </dl>
  );
}

function DocDetail(props: DocTableProps & { hit: Hit; flat: Record<string, unknown> }) {
  const [view, setView] = useState<'table' | 'json'>('table');
  const { hit, flat } = props;
  return (
    <div className="doc-detail" data-testid="doc-detail">
      <div className="tabs">
        <button className={`btn small ${view === 'table' ? 'on' : ''}`} onClick={() => setView('table')}>Table</button>
        <button className={`btn small ${view === 'json' ? 'on' : ''}`} onClick={() => setView('json')}>JSON</button>
        <span className="grow" />
        {props.onSurrounding && props.timeField && (
          <button className="btn small" onClick={() => props.onSurrounding!(hit)} data-testid="surrounding">
            View surrounding documents
          </button>
        )}
      </div>
      {view === 'json' ? (
        <pre>{JSON.stringify({ _index: hit._index, _id: hit._id, _source: hit._source }, null, 2)}</pre>
      ) : (
        <table>
          <tbody>
            {[['_index', hit._index] as const, ['_id', hit._id] as const, ...Object.entries(flat)].map(([k, v]) => (
              <tr key={k}>
                <td className="k">{k}</td>
                <td style={{ width: 90, whiteSpace: 'nowrap' }}>
                  {props.onFilter && !k.startsWith('_') && (
                    <>
                      <button className="icon-btn" title="Filter for value" onClick={() => props.onFilter!(k, v, false)}>⊕</button>
                      <button className="icon-btn" title="Filter out value" onClick={() => props.onFilter!(k, v, true)}>⊖</button>
                      {props.onToggleColumn && (
                        <button className="icon-btn" title="Toggle column" onClick={() => props.onToggleColumn!(k)}>▥</button>
                      )}
                    </>
                  )}
                </td>
                <td style={{ wordBreak: 'break-word' }}>{k === props.timeField ? `${formatTime(v)} (${formatValue(v)})` : formatValue(v)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
