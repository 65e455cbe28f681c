import { describe, expect, it } from 'vitest';
import { emptyDashboard, fromAttributes, packPanels, placeNewPanel, toAttributes } from './dashboard-state.ts';
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

describe('packPanels', () => {
  it('packs in order, wrapping rows at 12 columns under the tallest panel', () => {
    const p = (id: string, w: number, h: number) => ({ panelId: id, type: 'visualization' as const, id, gridData: { x: 99, y: 99, w, h } });
    expect(packPanels([p('a', 8, 7), p('b', 4, 10), p('c', 6, 5), p('d', 12, 7)]).map((x) => [x.panelId, x.gridData])).toEqual([
      ['a', { x: 0, y: 0, w: 8, h: 7 }], ['b', { x: 8, y: 0, w: 4, h: 10 }],
      ['c', { x: 0, y: 10, w: 6, h: 5 }], ['d', { x: 0, y: 15, w: 12, h: 7 }],
    ]);
  });
});
