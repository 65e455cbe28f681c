// The index pattern picker with its time field, and a small form to create a pattern: the title (an
// index expression with wildcards) and the time field, chosen among the date fields of the matching
// indices' mappings.

import { useState } from 'react';
import { fieldsOf, savedObjects } from '../api/client.ts';
import { Popover } from '../components/Popover.tsx';
import type { IndexPatternInfo } from './discover-search.ts';

export function IndexPatternPicker(props: { patterns: IndexPatternInfo[]; current?: IndexPatternInfo; onSelect: (id: string) => void; onCreated: (p: IndexPatternInfo) => void }) {
  return (
    <div style={{ padding: '8px 12px' }}>
      <div className="row">
        <label className="muted small grow">Index pattern</label>
        <Popover align="left" button={(toggle) => <button className="btn ghost small" onClick={toggle}>+ Create</button>}>
          {(close) => <CreatePattern onCreated={(p) => (props.onCreated(p), close())} />}
        </Popover>
      </div>
      <select className="select" style={{ width: '100%' }} value={props.current?.id ?? ''} onChange={(e) => props.onSelect(e.target.value)} data-testid="index-pattern">
        {props.patterns.map((p) => (
          <option key={p.id} value={p.id}>
            {p.title}
          </option>
        ))}
      </select>
      {props.current && <div className="muted small">time field: {props.current.timeFieldName ?? 'none'}</div>}
    </div>
  );
}

function CreatePattern(props: { onCreated: (p: IndexPatternInfo) => void }) {
  const [title, setTitle] = useState('');
  const [dateFields, setDateFields] = useState<string[] | null>(null);
  const [timeField, setTimeField] = useState('');
  const [error, setError] = useState('');
  const lookUp = async () => {
    setError('');
    try {
      const fields = await fieldsOf(title.trim());
      const dates = fields.filter((f) => f.type === 'date').map((f) => f.name);
      if (fields.length === 0) setError('No index matches this pattern yet (it can still be created).');
      setDateFields(dates);
      setTimeField(dates.includes('@timestamp') ? '@timestamp' : (dates[0] ?? ''));
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const create = async () => {
    try {
      const attrs = { title: title.trim(), timeFieldName: timeField || undefined };
      const o = await savedObjects.create('index-pattern', attrs);
      props.onCreated({ id: o.id, title: attrs.title, timeFieldName: attrs.timeFieldName });
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <div style={{ width: 300 }}>
      <h4>New index pattern</h4>
      <label>Pattern (wildcards allowed)</label>
      <div className="row">
        <input className="text grow" value={title} placeholder="logs-*" onChange={(e) => (setTitle(e.target.value), setDateFields(null))} onKeyDown={(e) => e.key === 'Enter' && void lookUp()} />
        <button className="btn small" disabled={!title.trim()} onClick={() => void lookUp()}>Next</button>
      </div>
      {dateFields && (
        <>
          <label>Time field</label>
          <select className="select" value={timeField} onChange={(e) => setTimeField(e.target.value)}>
            {dateFields.map((f) => (
              <option key={f} value={f}>{f}</option>
            ))}
            <option value="">No time field</option>
          </select>
          <div className="row" style={{ justifyContent: 'flex-end', marginTop: 8 }}>
            <button className="btn small primary" onClick={() => void create()}>Create</button>
          </div>
        </>
      )}
      {error && <div className="callout small">{error}</div>}
    </div>
  );
}
