// An alarm's state over a window, from its StateUpdate history items (HistoryData JSON carries the old
// and new state): contiguous segments for the timeline bar on the Alarms page. Pure.

import type { AlarmHistoryItem } from './alarms-api.ts';
import { awsTimeMs } from './alarms-api.ts';

export interface StateSegment { state: string; from: number; to: number }

interface Transition { at: number; from?: string; to: string }

function transitions(items: AlarmHistoryItem[]): Transition[] {
  const out: Transition[] = [];
  for (const it of items) {
    if (it.HistoryItemType !== 'StateUpdate') continue;
    const at = awsTimeMs(it.Timestamp);
    if (at === null) continue;
    let from: string | undefined;
    let to: string | undefined;
    try {
      const d = JSON.parse(it.HistoryData ?? '{}');
      from = d.oldState?.stateValue;
      to = d.newState?.stateValue;
    } catch { /* fall back to the summary */ }
    if (!to) {
      const m = /from (\w+) to (\w+)/.exec(it.HistorySummary);
      if (m) { from = m[1]; to = m[2]; }
    }
    if (to) out.push({ at, from, to });
  }
  return out.sort((a, b) => a.at - b.at);
}

/**
 * Segments covering [start, end]: the state before the first transition is that transition's old
 * state (or the current state when nothing changed in the window), then each new state until the next.
 */
export function stateSegments(items: AlarmHistoryItem[], start: number, end: number, currentState: string): StateSegment[] {
  const ts = transitions(items).filter((t) => t.at <= end);
  const before = ts.filter((t) => t.at < start);
  const inside = ts.filter((t) => t.at >= start);
  let state = before.length ? before[before.length - 1].to : inside[0]?.from ?? (inside.length ? 'INSUFFICIENT_DATA' : currentState);
  const out: StateSegment[] = [];
  let from = start;
  for (const t of inside) {
    if (t.at > from) out.push({ state, from, to: t.at });
    state = t.to;
    from = t.at;
  }
  if (end > from) out.push({ state, from, to: end });
  // Merge neighbours in the same state (repeated updates to the same state).
  return out.reduce<StateSegment[]>((acc, s) => {
    const last = acc[acc.length - 1];
    if (last && last.state === s.state && last.to === s.from) last.to = s.to;
    else acc.push({ ...s });
    return acc;
  }, []);
}
