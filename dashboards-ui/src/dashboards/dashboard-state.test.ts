import { describe, expect, it } from 'vitest';
import { emptyDashboard, fromAttributes, placeNewPanel, toAttributes } from './dashboard-state.ts';
import type { DashboardState } from './dashboard-state.ts';

describe('dashboard saved attributes', () => {
  it('round-trips through the saved-object attributes', () => {
    const d: DashboardState = {
      ...emptyDashboard('Ops'),
      panels: [{ panelId: 'p1', type: 'visualization', id: 'vis-1', gridData: { x: 0, y: 0, w: 6, h: 7 } }],
      timeRange: { from: 'now-1h', to: 'now' }, refreshIntervalMs: 30_000, query: 'level:error',
      filters: [{ query: 'service:api', negate: true }],
      variables: [{ name: 'service', index: 'logs-*', field: 'service' }],
    };
    const attrs = toAttributes(d);
    expect(attrs.refreshInterval).toEqual({ pause: false, value: 30_000 });
    expect(fromAttributes(JSON.parse(JSON.stringify(attrs)))).toEqual({ ...d, description: '' });
  });
  it('tolerates imported objects with missing or broken parts', () => {
    const d = fromAttributes({ title: 'Imported', panelsJSON: '[{"broken":1}', kibanaSavedObjectMeta: { searchSourceJSON: '{}' } });
    expect(d.panels).toEqual([]);
    expect(d.query).toBe('');
    expect(d.timeRange).toEqual({ from: 'now-24h', to: 'now' });
  });
});

describe('placeNewPanel', () => {
  it('fills the last row, then starts a new one', () => {
    expect(placeNewPanel([])).toEqual({ x: 0, y: 0, w: 6, h: 7 });
    const one = [{ panelId: 'a', type: 'visualization' as const, id: 'a', gridData: { x: 0, y: 0, w: 6, h: 7 } }];
    expect(placeNewPanel(one)).toEqual({ x: 6, y: 0, w: 6, h: 7 });
    const two = [...one, { panelId: 'b', type: 'visualization' as const, id: 'b', gridData: { x: 6, y: 0, w: 6, h: 7 } }];
    expect(placeNewPanel(two)).toEqual({ x: 0, y: 7, w: 6, h: 7 });
  });
});
