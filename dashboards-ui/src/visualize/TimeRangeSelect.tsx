// The time range control of Visualize and Dashboards: quick ranges plus editable from/to (date math or
// ISO), applied on Enter or with the Apply button.

import { useEffect, useState } from 'react';
import { resolveTimeRange } from './specs/time-range.ts';
import type { TimeRange } from './specs/vis-state.ts';

export const QUICK_RANGES: Array<{ label: string; from: string }> = [
  { label: 'Last 15 minutes', from: 'now-15m' },
  { label: 'Last 1 hour', from: 'now-1h' },
  { label: 'Last 3 hours', from: 'now-3h' },
  { label: 'Last 12 hours', from: 'now-12h' },
  { label: 'Last 24 hours', from: 'now-24h' },
  { label: 'Last 7 days', from: 'now-7d' },
  { label: 'Last 30 days', from: 'now-30d' },
];

export function TimeRangeSelect({ value, onChange }: { value: TimeRange; onChange: (r: TimeRange) => void }) {
  const [from, setFrom] = useState(value.from);
  const [to, setTo] = useState(value.to);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => { setFrom(value.from); setTo(value.to); }, [value.from, value.to]);
  const quick = QUICK_RANGES.find((q) => q.from === value.from && value.to === 'now');

  const apply = () => {
    try {
      resolveTimeRange({ from, to }, Date.now());
      setError(null);
      onChange({ from, to });
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div className="row time-range" title={error ?? ''}>
      <select className="select" aria-label="Quick time range" value={quick ? quick.from : ''} onChange={(e) => e.target.value && onChange({ from: e.target.value, to: 'now' })}>
        {!quick && <option value="">Custom</option>}
        {QUICK_RANGES.map((q) => <option key={q.from} value={q.from}>{q.label}</option>)}
      </select>
      <input className={`text time-input${error ? ' invalid' : ''}`} aria-label="From" value={from} onChange={(e) => setFrom(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && apply()} />
      <span className="muted">→</span>
      <input className={`text time-input${error ? ' invalid' : ''}`} aria-label="To" value={to} onChange={(e) => setTo(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && apply()} />
      {(from !== value.from || to !== value.to) && <button className="btn small" onClick={apply}>Apply</button>}
    </div>
  );
}
