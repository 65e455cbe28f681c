import { describe, expect, it } from 'vitest';
import { compile } from 'vega-lite';
import { substituteInVisState } from '../dashboards/variables.ts';
import { ALL } from '../dashboards/variables.ts';
import { buildSearchRequest } from '../visualize/specs/aggs-request.ts';
import { flattenResponse } from '../visualize/specs/flatten-response.ts';
import { buildVegaSpec } from '../visualize/specs/vega-spec.ts';
import { validateVisState } from '../visualize/specs/vis-state.ts';
import { PIPELINE_DASHBOARD_ID, PIPELINE_VISUALIZATIONS, pipelineDashboard, pipelineSavedObjects } from './pipeline-overview.ts';

describe('Pipeline overview', () => {
  it('covers the pipeline services on-call looks at first', () => {
    const queries = PIPELINE_VISUALIZATIONS.map((v) => v.state.query).join('\n');
    for (const m of ['IncomingRecords', 'GetRecords.IteratorAgeMilliseconds', 'DeliveryToS3.Success', 'DeliveryToS3.DataFreshness',
      'Errors', 'Throttles', 'Duration', 'numFailedTasks', 'AppsFailed', '4xxErrors', '5xxErrors', 'IngestDocuments', 'QueryRequests', 'QueryLatency', 'logGroup:/aws/lambda/']) {
      expect(queries).toContain(m);
    }
  });

  it('has only valid, runnable visualizations that render over an empty response', () => {
    for (const v of PIPELINE_VISUALIZATIONS) {
      expect(validateVisState(v.state), v.id).toEqual([]);
      const state = substituteInVisState(v.state, { function: ALL });
      expect(state.query).not.toContain('$');
      const req = buildSearchRequest(state, { now: Date.UTC(2026, 0, 1), timeRange: { from: 'now-3h', to: 'now' } });
      expect(req.index).toMatch(/^cw[ml]-\*$/);
      const spec = buildVegaSpec(state, flattenResponse(state, { hits: { total: { value: 0 } }, aggregations: {} }));
      expect(() => compile(spec!)).not.toThrow();
    }
  });

  it('lays the panels out on the 12-column grid without overlap and references every visualization', () => {
    const d = pipelineDashboard();
    expect(d.panels.map((p) => p.id)).toEqual(PIPELINE_VISUALIZATIONS.map((v) => v.id));
    const cells = new Set<string>();
    for (const p of d.panels) {
      expect(p.gridData.x + p.gridData.w).toBeLessThanOrEqual(12);
      for (let x = p.gridData.x; x < p.gridData.x + p.gridData.w; x++) {
        for (let y = p.gridData.y; y < p.gridData.y + p.gridData.h; y++) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
    expect(d.variables.map((v) => v.name)).toEqual(['function']);
  });

  it('exports the objects in import shape, the dashboard last and referencing every panel', () => {
    const objs = pipelineSavedObjects();
    expect(objs.at(-1)).toMatchObject({ type: 'dashboard', id: PIPELINE_DASHBOARD_ID });
    expect(objs.at(-1)!.references.map((r) => r.id)).toEqual(objs.slice(0, -1).map((o) => o.id));
    expect(JSON.parse(String(objs[0].attributes.visState)).index).toBe('cwm-*');
  });
});
