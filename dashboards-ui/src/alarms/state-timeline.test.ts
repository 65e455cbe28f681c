import { describe, expect, it } from 'vitest';
import type { AlarmHistoryItem } from './alarms-api.ts';
import { stateSegments } from './state-timeline.ts';

const item = (sec: number, from: string, to: string): AlarmHistoryItem => ({
  AlarmName: 'a', Timestamp: sec, HistoryItemType: 'StateUpdate', HistorySummary: `Alarm updated from ${from} to ${to}`,
  HistoryData: JSON.stringify({ version: '1.0', oldState: { stateValue: from }, newState: { stateValue: to } }),
});

describe('stateSegments', () => {
  it('splits the window at each transition, oldest state first', () => {
    const items = [item(300, 'ALARM', 'OK'), item(100, 'INSUFFICIENT_DATA', 'OK'), item(200, 'OK', 'ALARM'),
      { AlarmName: 'a', Timestamp: 150, HistoryItemType: 'ConfigurationUpdate', HistorySummary: 'Alarm "a" updated' }];
    expect(stateSegments(items, 0, 400_000, 'OK')).toEqual([
      { state: 'INSUFFICIENT_DATA', from: 0, to: 100_000 },
      { state: 'OK', from: 100_000, to: 200_000 },
      { state: 'ALARM', from: 200_000, to: 300_000 },
      { state: 'OK', from: 300_000, to: 400_000 },
    ]);
  });
  it('uses the last transition before the window, or the current state when nothing happened', () => {
    expect(stateSegments([item(10, 'OK', 'ALARM')], 50_000, 60_000, 'ALARM')).toEqual([{ state: 'ALARM', from: 50_000, to: 60_000 }]);
    expect(stateSegments([], 0, 1000, 'OK')).toEqual([{ state: 'OK', from: 0, to: 1000 }]);
  });
  it('reads the summary when HistoryData is missing and merges repeated states', () => {
    const items = [{ ...item(100, 'OK', 'ALARM'), HistoryData: undefined }, item(200, 'ALARM', 'ALARM')];
    expect(stateSegments(items, 0, 300_000, 'ALARM')).toEqual([
      { state: 'OK', from: 0, to: 100_000 }, { state: 'ALARM', from: 100_000, to: 300_000 },
    ]);
  });
});
