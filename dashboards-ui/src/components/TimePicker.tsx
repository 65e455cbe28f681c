// The time picker: quick ranges, a relative "last N units" range, absolute start/end, and the
// auto-refresh period, plus the Refresh button. The range stays as typed (date math), so a saved or
// shared URL keeps moving with the clock; it is resolved to instants at query time.

import { useEffect, useState } from 'react';
import { Popover } from './Popover.tsx';
import { QUICK_RANGES, rangeLabel, resolveTime, type TimeRange } from '../query/time-range.ts';

export const REFRESH_CHOICES: Array<{ ms: number; label: string }> = [
  { ms: 0, label: 'Off' },
  { ms: 5_000, label: '5 seconds' },
  { ms: 10_000, label: '10 seconds' },
  { ms: 30_000, label: '30 seconds' },
  { ms: 60_000, label: '1 minute' },
  { ms: 300_000, label: '5 minutes' },
];

const UNITS = [
  { u: 's', label: 'seconds' },
  { u: 'm', label: 'minutes' },
  { u: 'h', label: 'hours' },
  { u: 'd', label: 'days' },
  { u: 'w', label: 'weeks' },
  { u: 'M', label: 'months' },
  { u: 'y', label: 'years' },
];

export function TimePicker(props: {
  value: TimeRange;
  refreshMs: number;
  onChange: (r: TimeRange) => void;
  onRefreshChange: (ms: number) => void;
  onRefresh: () => void;
  busy?: boolean;
}) {
  const [n, setN] = useState('15');
  const [unit, setUnit] = useState('m');
  const [from, setFrom] = useState(props.value.from);
  const [to, setTo] = useState(props.value.to);
  const [error, setError] = useState('');
  useEffect(() => {
    setFrom(props.value.from);
    setTo(props.value.to);
  }, [props.value.from, props.value.to]);

  const applyAbsolute = (close: () => void) => {
    try {
      const now = Date.now();
      if (resolveTime(from, now, false) > resolveTime(to, now, true)) throw new Error('the start is after the end');
      setError('');
      props.onChange({ from: from.trim(), to: to.trim() });
      close();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <div className="row">
      <Popover
        button={(toggle) => (
          <button className="btn" onClick={toggle} data-testid="time-picker" title={`${props.value.from} → ${props.value.to}`}>
            <span className="muted">◷</span> {rangeLabel(props.value)}
            {props.refreshMs > 0 && <span className="muted small"> · every {REFRESH_CHOICES.find((c) => c.ms === props.refreshMs)?.label ?? `${props.refreshMs / 1000}s`}</span>}
          </button>
        )}
      >
        {(close) => (
          <div style={{ width: 380 }}>
            <h4>Quick ranges</h4>
            <div className="grid">
              {QUICK_RANGES.map((q) => (
                <button key={q.label} onClick={() => (props.onChange({ from: q.from, to: q.to }), close())}>
                  {q.label}
                </button>
              ))}
            </div>
            <h4>Relative</h4>
            <div className="row" style={{ marginBottom: 10 }}>
              Last
              <input className="text" style={{ width: 64 }} type="number" min={1} value={n} onChange={(e) => setN(e.target.value)} />
              <select className="select" value={unit} onChange={(e) => setUnit(e.target.value)}>
                {UNITS.map((u) => (
                  <option key={u.u} value={u.u}>
                    {u.label}
                  </option>
                ))}
              </select>
              <button className="btn small" onClick={() => Number(n) > 0 && (props.onChange({ from: `now-${Math.floor(Number(n))}${unit}`, to: 'now' }), close())}>
                Apply
              </button>
            </div>
            <h4>Absolute (ISO time or date math)</h4>
            <label>Start</label>
            <input className="text" style={{ width: '100%' }} value={from} onChange={(e) => setFrom(e.target.value)} aria-label="start time" />
            <label>End</label>
            <input className="text" style={{ width: '100%' }} value={to} onChange={(e) => setTo(e.target.value)} aria-label="end time" />
            {error && <div className="callout danger small">{error}</div>}
            <div className="row" style={{ justifyContent: 'flex-end', marginTop: 8 }}>
              <button className="btn small primary" onClick={() => applyAbsolute(close)}>
                Apply range
              </button>
            </div>
            <h4 style={{ marginTop: 10 }}>Auto-refresh</h4>
            <select className="select" value={props.refreshMs} onChange={(e) => props.onRefreshChange(Number(e.target.value))} aria-label="auto-refresh">
              {REFRESH_CHOICES.map((c) => (
                <option key={c.ms} value={c.ms}>
                  {c.label}
                </option>
              ))}
            </select>
          </div>
        )}
      </Popover>
      <button className="btn primary" onClick={props.onRefresh} disabled={props.busy} data-testid="refresh">
        {props.busy ? 'Loading…' : 'Refresh'}
      </button>
    </div>
  );
}

/** Calls `tick` every `ms` while ms > 0 (auto-refresh). */
export function useInterval(ms: number, tick: () => void): void {
  useEffect(() => {
    if (ms <= 0) return;
    const id = window.setInterval(tick, ms);
    return () => window.clearInterval(id);
  }, [ms, tick]);
}
