import { describe, expect, it } from 'vitest';
import { emptyDashboard } from './dashboard-state.ts';
import type { DashboardState } from './dashboard-state.ts';
import { readDashboardUrl, writeDashboardUrl } from './dashboard-url.ts';
import { ALL } from './variables.ts';

const saved: DashboardState = {
  ...emptyDashboard('Ops'), timeRange: { from: 'now-3h', to: 'now' }, refreshIntervalMs: 60_000, query: 'level:error',
  variables: [{ name: 'service', index: 'logs-*', field: 'service' }],
};

describe('dashboard URL', () => {
  it('writes only what differs from the saved dashboard, plus chosen variables', () => {
    expect(writeDashboardUrl(saved, { dash: saved, chosen: {} })).toBe('');
    expect(writeDashboardUrl(saved, { dash: saved, chosen: { service: ALL } })).toBe('');
    const view = { dash: { ...saved, timeRange: { from: 'now-15m', to: 'now' }, refreshIntervalMs: 0, query: '' }, chosen: { service: 'web api' } };
    const qs = writeDashboardUrl(saved, view);
    expect(qs).toBe('from=now-15m&refresh=0&q=&var-service=web+api');
    expect(readDashboardUrl(saved, qs)).toEqual(view);
  });
  it('falls back to the saved values for missing or unreadable keys and ignores unknown variables', () => {
    expect(readDashboardUrl(saved, 'refresh=soon&var-region=eu')).toEqual({ dash: saved, chosen: {} });
  });
});
