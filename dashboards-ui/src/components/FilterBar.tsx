// Filter pills under the query bar: each can be negated, disabled, pinned or removed; "+ Add filter"
// builds one from a field, an operator and a value.

import { useState } from 'react';
import { Popover } from './Popover.tsx';
import { addFilter, existsFilter, filterLabel, phraseFilter, type Filter } from '../query/filters.ts';

export function FilterBar(props: { filters: Filter[]; fields: string[]; onChange: (f: Filter[]) => void }) {
  const update = (i: number, patch: Partial<Filter>) => props.onChange(props.filters.map((f, j) => (j === i ? ({ ...f, ...patch } as Filter) : f)));
  return (
    <div className="filter-bar" data-testid="filter-bar">
      {props.filters.map((f, i) => (
        <span key={i} className={`pill ${f.negate ? 'negate' : ''} ${f.disabled ? 'disabled' : ''} ${f.pinned ? 'pinned' : ''}`} data-testid="filter-pill">
          <Popover
            align="left"
            button={(toggle) => (
              <span className="pill-label" onClick={toggle} style={{ cursor: 'pointer' }}>
                {filterLabel(f)}
              </span>
            )}
          >
            {(close) => (
              <div className="row" style={{ flexDirection: 'column', alignItems: 'stretch', minWidth: 180 }}>
                <button className="btn small" onClick={() => (update(i, { pinned: !f.pinned }), close())}>{f.pinned ? 'Unpin' : 'Pin across views'}</button>
                <button className="btn small" onClick={() => (update(i, { negate: !f.negate }), close())}>{f.negate ? 'Include results' : 'Exclude results'}</button>
                <button className="btn small" onClick={() => (update(i, { disabled: !f.disabled }), close())}>{f.disabled ? 'Re-enable' : 'Temporarily disable'}</button>
              </div>
            )}
          </Popover>
          <button className="icon-btn" title="Remove filter" aria-label={`remove filter ${filterLabel(f)}`} onClick={() => props.onChange(props.filters.filter((_, j) => j !== i))}>
            ✕
          </button>
        </span>
      ))}
      <AddFilter fields={props.fields} onAdd={(f) => props.onChange(addFilter(props.filters, f))} />
    </div>
  );
}

function AddFilter(props: { fields: string[]; onAdd: (f: Filter) => void }) {
  const [field, setField] = useState('');
  const [op, setOp] = useState('is');
  const [value, setValue] = useState('');
  return (
    <Popover align="left" button={(toggle) => <button className="btn ghost small" onClick={toggle}>+ Add filter</button>}>
      {(close) => (
        <div style={{ width: 320 }}>
          <label>Field</label>
          <input className="text" list="filter-fields" style={{ width: '100%' }} value={field} onChange={(e) => setField(e.target.value)} />
          <datalist id="filter-fields">
            {props.fields.map((f) => (
              <option key={f} value={f} />
            ))}
          </datalist>
          <label>Operator</label>
          <select className="select" value={op} onChange={(e) => setOp(e.target.value)}>
            <option value="is">is</option>
            <option value="is not">is not</option>
            <option value="exists">exists</option>
            <option value="does not exist">does not exist</option>
          </select>
          {(op === 'is' || op === 'is not') && (
            <>
              <label>Value</label>
              <input className="text" style={{ width: '100%' }} value={value} onChange={(e) => setValue(e.target.value)} />
            </>
          )}
          <div className="row" style={{ justifyContent: 'flex-end', marginTop: 8 }}>
            <button
              className="btn small primary"
              disabled={!field}
              onClick={() => {
                props.onAdd(op === 'exists' || op === 'does not exist' ? existsFilter(field, op !== 'exists') : phraseFilter(field, value, op === 'is not'));
                close();
              }}
            >
              Add
            </button>
          </div>
        </div>
      )}
    </Popover>
  );
}
