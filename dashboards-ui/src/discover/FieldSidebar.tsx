// The field list: selected columns first, then every field of the index pattern. Clicking a field shows
// its top five values with counts from a terms aggregation over every matching document in the time
// range (not just the rows loaded in the table), with + / − to filter on a value.

import { useEffect, useState } from 'react';
import type { FieldSpec } from '../api/client.ts';

export interface TopValues {
  total: number;
  present: number;
  buckets: Array<{ key: string | number; key_as_string?: string; doc_count: number }>;
}

const TYPE_ICON: Record<string, string> = { date: 'd', text: 't', keyword: 'k', long: '#', integer: '#', float: '#', double: '#', boolean: 'b', ip: 'ip', geo_point: 'g' };

export function FieldSidebar(props: {
  fields: FieldSpec[];
  columns: string[];
  onToggleColumn: (field: string) => void;
  onFilter: (field: string, value: string | number | boolean, negate: boolean) => void;
  loadTopValues: (aggField: string) => Promise<TopValues>;
}) {
  const [search, setSearch] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const visible = props.fields.filter((f) => !f.name.endsWith('.keyword') || !props.fields.some((g) => g.keywordSubField === f.name));
  const match = (f: FieldSpec) => f.name.toLowerCase().includes(search.toLowerCase());
  const selected = props.columns.map((c) => visible.find((f) => f.name === c) ?? { name: c, type: 'unknown', aggregatable: false });
  const available = visible.filter((f) => !props.columns.includes(f.name) && match(f));
  const row = (f: FieldSpec, isSelected: boolean) => (
    <div key={f.name}>
      <div className="field" onClick={() => setOpen(open === f.name ? null : f.name)} data-testid={`field-${f.name}`}>
        <span className="type" title={f.type}>{TYPE_ICON[f.type] ?? '?'}</span>
        <span className="name" title={f.name}>{f.name}</span>
        <button
          className="btn small"
          onClick={(e) => {
            e.stopPropagation();
            props.onToggleColumn(f.name);
          }}
        >
          {isSelected ? 'remove' : 'add'}
        </button>
      </div>
      {open === f.name && <FieldDetails field={f} onFilter={props.onFilter} load={props.loadTopValues} />}
    </div>
  );
  return (
    <aside className="sidebar" data-testid="field-sidebar">
      <div style={{ padding: '0 12px 8px' }}>
        <input className="text" style={{ width: '100%' }} placeholder="Search field names" value={search} onChange={(e) => setSearch(e.target.value)} />
      </div>
      {selected.length > 0 && <div className="section">Selected fields</div>}
      {selected.map((f) => row(f, true))}
      <div className="section">Available fields</div>
      {available.map((f) => row(f, false))}
      {available.length === 0 && <div className="muted small" style={{ padding: '4px 12px' }}>No fields.</div>}
    </aside>
  );
}

function FieldDetails(props: { field: FieldSpec; onFilter: (field: string, value: string | number | boolean, negate: boolean) => void; load: (aggField: string) => Promise<TopValues> }) {
  const aggField = props.field.aggregatable ? props.field.name : props.field.keywordSubField;
  const [state, setState] = useState<{ data?: TopValues; error?: string }>({});
  const { load } = props;
  useEffect(() => {
    if (!aggField) return;
    let live = true;
    load(aggField).then((data) => live && setState({ data }), (err: Error) => live && setState({ error: err.message }));
    return () => {
      live = false;
    };
  }, [aggField, load]);
  if (!aggField) return <div className="field-details muted">Not aggregatable (analysed text without a keyword sub-field).</div>;
  if (state.error) return <div className="field-details callout danger">{state.error}</div>;
  if (!state.data) return <div className="field-details muted">Loading top values…</div>;
  const { data } = state;
  return (
    <div className="field-details" data-testid="field-details">
      <div className="muted">
        Top 5 values across all {data.total.toLocaleString()} matching documents in the time range ({pct(data.present, data.total)} have a value)
      </div>
      {data.buckets.map((b) => {
        const label = b.key_as_string ?? String(b.key);
        const filterValue = props.field.type === 'date' ? label : b.key;
        return (
          <div key={label}>
            <div className="value-row">
              <span className="v" title={label}>{label}</span>
              <span className="muted">{b.doc_count.toLocaleString()} · {pct(b.doc_count, data.total)}</span>
              <button className="icon-btn" title="Filter for value" aria-label={`filter for ${label}`} onClick={() => props.onFilter(aggField, filterValue, false)}>⊕</button>
              <button className="icon-btn" title="Filter out value" aria-label={`filter out ${label}`} onClick={() => props.onFilter(aggField, filterValue, true)}>⊖</button>
            </div>
            <div className="bar">
              <div style={{ width: pct(b.doc_count, data.total) }} />
            </div>
          </div>
        );
      })}
      {data.buckets.length === 0 && <div className="muted">No values.</div>}
    </div>
  );
}

function pct(n: number, total: number): string {
  if (total === 0) return '0%';
  const p = (100 * n) / total;
  return `${p >= 10 || p === 0 ? p.toFixed(0) : p.toFixed(1)}%`;
}
