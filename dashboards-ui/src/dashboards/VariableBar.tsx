// The variables row of a dashboard: one dropdown per variable with its choices from a terms
// aggregation (in the dashboard's time range), and, while editing, a small form to add or remove one.

import { useEffect, useState } from 'react';
import { search } from '../api/client.ts';
import type { TimeRange } from '../query/time-range.ts';
import { ALL, isValidVariableName, parseVariableChoices, resolveValues, variableChoicesRequest } from './variables.ts';
import type { VariableDef, VariableValues } from './variables.ts';

export function VariableBar(props: {
  defs: VariableDef[]; timeRange: TimeRange; values: VariableValues; onValues(v: VariableValues): void;
  editing: boolean; onDefs(d: VariableDef[]): void; refreshKey: number;
}) {
  const { defs, timeRange, values, onValues, editing, onDefs, refreshKey } = props;
  const [choices, setChoices] = useState<Record<string, string[]>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  // Re-run when the definitions or the range change by value (the values themselves must not re-run it).
  const key = JSON.stringify([defs, timeRange]);

  useEffect(() => {
    const ac = new AbortController();
    Promise.all(defs.map(async (d) => {
      try {
        const req = variableChoicesRequest(d, timeRange, Date.now());
        return [d.name, parseVariableChoices(d, await search(req.index, req.body, ac.signal)), null] as const;
      } catch (e) {
        return [d.name, parseVariableChoices(d, null), (e as Error).message] as const;
      }
    })).then((list) => {
      if (ac.signal.aborted) return;
      const c = Object.fromEntries(list.map(([n, v]) => [n, v]));
      setChoices(c);
      setErrors(Object.fromEntries(list.filter(([, , e]) => e).map(([n, , e]) => [n, e as string])));
      onValues(resolveValues(defs, values, c));
    });
    return () => ac.abort();
  }, [key, refreshKey]);

  if (!defs.length && !editing) return null;
  return (
    <div className="row variable-bar">
      {defs.map((d) => (
        <label key={d.name} className="variable" title={errors[d.name] ?? `$${d.name}: terms of ${d.field} in ${d.index}`}>
          <span className="muted small">{d.label ?? d.name}</span>
          <select className="select" aria-label={`Variable ${d.name}`} value={values[d.name] ?? ALL} onChange={(e) => onValues({ ...values, [d.name]: e.target.value })}>
            {(choices[d.name] ?? [ALL]).map((c) => <option key={c} value={c}>{c === ALL ? 'All' : c}</option>)}
          </select>
          {editing && <button className="icon-btn" title="Remove variable" onClick={() => onDefs(defs.filter((x) => x.name !== d.name))}>✕</button>}
        </label>
      ))}
      {editing && <AddVariable taken={defs.map((d) => d.name)} onAdd={(d) => onDefs([...defs, d])} />}
    </div>
  );
}

function AddVariable({ taken, onAdd }: { taken: string[]; onAdd(d: VariableDef): void }) {
  const [name, setName] = useState('');
  const [index, setIndex] = useState('cwl-*');
  const [field, setField] = useState('');
  const ok = isValidVariableName(name) && !taken.includes(name) && index.trim() && field.trim();
  return (
    <span className="row add-variable">
      <input className="text small-input" aria-label="Variable name" placeholder="name" value={name} onChange={(e) => setName(e.target.value)} />
      <input className="text small-input" aria-label="Variable index" placeholder="index" value={index} onChange={(e) => setIndex(e.target.value)} />
      <input className="text small-input" aria-label="Variable field" placeholder="field (keyword)" value={field} onChange={(e) => setField(e.target.value)} />
      <button className="btn small" disabled={!ok} onClick={() => { onAdd({ name, index: index.trim(), field: field.trim(), timeField: '@timestamp' }); setName(''); setField(''); }}>+ Variable</button>
    </span>
  );
}
