// The three Visualize stages against the real engine: requests built from builder states must be
// accepted by Lookout's _search, and the real responses (multi-level buckets, keyed filters, ranges,
// percentiles, empty results) must flatten into the expected rows and compile as vega-lite.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from 'vega-lite';
import { testApp, type TestApp } from '../server/admin-app.ts';
import { buildSearchRequest } from '../../dashboards-ui/src/visualize/specs/aggs-request.ts';
import { flattenResponse } from '../../dashboards-ui/src/visualize/specs/flatten-response.ts';
import { buildVegaSpec } from '../../dashboards-ui/src/visualize/specs/vega-spec.ts';
import type { VisState } from '../../dashboards-ui/src/visualize/specs/vis-state.ts';
import { PIPELINE_VISUALIZATIONS } from '../../dashboards-ui/src/pipeline/pipeline-overview.ts';
import { ALL, substituteInVisState } from '../../dashboards-ui/src/dashboards/variables.ts';
import { queryBarClause } from '../../dashboards-ui/src/query/search-query.ts';
import { LOG_INDEX_TEMPLATE } from '../../ingest/logs/log-event-document.ts';

const NOW = Date.UTC(2026, 10, 28, 10, 0, 0);
const MIN = 60_000;
let t: TestApp;

/** 60 requests over 6 minutes: two services, statuses 200/404/500, latency by service. */
function docs(): object[] {
  const out: object[] = [];
  for (let i = 0; i < 60; i++) {
    const service = i % 3 === 0 ? 'search' : 'checkout';
    out.push({
      '@timestamp': new Date(NOW - 6 * MIN + i * 6000).toISOString(),
      service, status: i % 10 === 0 ? 500 : i % 7 === 0 ? 404 : 200,
      latency_ms: service === 'checkout' ? 100 + i : 10 + (i % 5), bytes: i * 300, user: `u${i % 13}`,
    });
  }
  return out;
}

async function run(state: VisState, timeRange = { from: 'now-10m', to: 'now' }) {
  const req = buildSearchRequest(state, { now: NOW, timeRange });
  const res = await t.call('POST', `/${req.index}/_search`, req.body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const table = flattenResponse(state, res.body);
  const spec = buildVegaSpec(state, table);
  if (spec) expect(() => compile(spec)).not.toThrow();
  return table;
}

beforeAll(async () => {
  t = await testApp();
  const lines = docs().flatMap((d) => [JSON.stringify({ index: { _index: 'weblogs' } }), JSON.stringify(d)]).join('\n') + '\n';
  const r = await t.app.inject({ method: 'POST', url: '/_bulk?refresh=true', payload: lines, headers: { 'content-type': 'application/x-ndjson' } });
  expect(JSON.parse(r.body).errors).toBe(false);
});
afterAll(async () => t?.close());

describe('visualizations on the real engine', () => {
  it('terms → date histogram with avg and percentiles gives one row per service and minute', async () => {
    const table = await run({
      type: 'line', index: 'weblogs', timeField: '@timestamp',
      metrics: [{ id: 'm1', type: 'avg', field: 'latency_ms' }, { id: 'm2', type: 'percentiles', field: 'latency_ms', percents: [50, 99] }],
      buckets: [
        { id: 'b1', type: 'terms', role: 'series', field: 'service.keyword', size: 5 },
        { id: 'b2', type: 'date_histogram', role: 'x', field: '@timestamp', interval: '1m' },
      ],
    });
    // Ordered by the average latency: checkout first.
    expect([...new Set(table.rows.map((r) => r.b1))]).toEqual(['checkout', 'search']);
    // extended_bounds: every minute of the 10-minute range, empty ones with null metrics.
    const checkout = table.rows.filter((r) => r.b1 === 'checkout');
    expect(checkout.length).toBeGreaterThanOrEqual(10);
    expect(checkout.filter((r) => r.m1 !== null)).toHaveLength(6);
    const first = checkout.find((r) => r.m1 !== null)!;
    expect(first['m2:p50']).toBeTypeOf('number');
  });

  it('filters → range with counts, in editor order', async () => {
    const table = await run({
      type: 'pie', index: 'weblogs', timeField: '@timestamp',
      metrics: [{ id: 'm1', type: 'count' }],
      buckets: [
        { id: 'b1', type: 'filters', role: 'split', filters: [{ query: 'status:500', label: '500' }, { query: 'status:[200 TO 299]', label: 'ok' }] },
        { id: 'b2', type: 'range', role: 'x', field: 'bytes', ranges: [{ to: 9000 }, { from: 9000, label: 'big' }] },
      ],
    });
    expect(table.rows).toEqual([
      { b1: '500', b2: '*-9000.0', m1: 3 }, { b1: '500', b2: 'big', m1: 3 },
      { b1: 'ok', b2: '*-9000.0', m1: 23 }, { b1: 'ok', b2: 'big', m1: 23 },
    ]);
  });

  it('metrics without buckets: unique count and count', async () => {
    const table = await run({
      type: 'metric', index: 'weblogs', timeField: '@timestamp',
      metrics: [{ id: 'm1', type: 'cardinality', field: 'user.keyword' }, { id: 'm2', type: 'count' }, { id: 'm3', type: 'max', field: 'bytes' }],
      buckets: [],
    });
    expect(table.rows).toEqual([{ m1: 13, m2: 60, m3: 17700 }]);
  });

  it('histogram heat map and an empty time range', async () => {
    const heat: VisState = {
      type: 'heatmap', index: 'weblogs', timeField: '@timestamp', metrics: [{ id: 'm1', type: 'sum', field: 'bytes' }],
      buckets: [
        { id: 'b1', type: 'date_histogram', role: 'x', field: '@timestamp', interval: '2m' },
        { id: 'b2', type: 'histogram', role: 'series', field: 'status', interval: 100 },
      ],
    };
    const table = await run(heat);
    expect(new Set(table.rows.map((r) => r.b2))).toEqual(new Set([200, 400, 500]));
    const empty = await run(heat, { from: 'now-30d', to: 'now-20d' });
    expect(empty.totalHits).toBe(0);
    expect(empty.rows).toEqual([]);
  });

  it('runs the Pipeline overview log panel with DQL wildcards on log groups, for All and one function', async () => {
    await t.call('PUT', '/_index_template/cwl', LOG_INDEX_TEMPLATE);
    const events = [
      ['/aws/lambda/ingest', 'ERROR failed to parse record'], ['/aws/lambda/ingest', 'INFO ok'],
      ['/aws/lambda/ingest', '2026-11-28T09:00:00Z 1f0c Task timed out after 3.00 seconds'],
      ['/aws/lambda/enricher', 'java.lang.IllegalStateException: boom'], ['/aws/lambda/enricher', 'ERROR timeout'],
      ['/ecs/api', 'ERROR not a lambda'],
    ];
    const lines = events.flatMap(([g, m], i) => [
      JSON.stringify({ index: { _index: 'cwl-test-2026.11.28' } }),
      JSON.stringify({ '@timestamp': new Date(NOW - (i + 1) * MIN).toISOString(), logGroup: g, logStream: 's', message: m, eventId: String(i), ingestionTime: new Date(NOW).toISOString() }),
    ]).join('\n') + '\n';
    await t.app.inject({ method: 'POST', url: '/_bulk?refresh=true', payload: lines, headers: { 'content-type': 'application/x-ndjson' } });
    const vis = PIPELINE_VISUALIZATIONS.find((v) => v.id === 'pipeline-lambda-log-errors')!;
    const dql = (q: string) => queryBarClause({ language: 'kuery', text: q });
    const count = async (fn: string) => {
      const state = substituteInVisState(vis.state, { function: fn });
      const req = buildSearchRequest(state, { now: NOW, timeRange: { from: 'now-1h', to: 'now' }, translate: dql });
      const res = await t.call('POST', `/${req.index}/_search`, req.body);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const table = flattenResponse(state, res.body);
      return Object.fromEntries([...new Set(table.rows.map((r) => r.b2))].map((g) => [g, table.rows.filter((r) => r.b2 === g).reduce((a, r) => a + Number(r.m1), 0)]));
    };
    // The Java exception is one token (as in OpenSearch's standard analyzer): only its ERROR line counts.
    expect(await count(ALL)).toEqual({ '/aws/lambda/ingest': 2, '/aws/lambda/enricher': 1 });
    expect(await count('ingest')).toEqual({ '/aws/lambda/ingest': 2 });
  });

  it('a missing index pattern is an empty result, not an error', async () => {
    const req = buildSearchRequest({ type: 'bar', index: 'nothing-*', metrics: [{ id: 'm1', type: 'count' }], buckets: [] }, { now: NOW });
    const res = await t.call('POST', `/${req.index}/_search?ignore_unavailable=true&allow_no_indices=true`, req.body);
    expect(res.status).toBe(200);
    expect(flattenResponse({ type: 'bar', index: 'nothing-*', metrics: [{ id: 'm1', type: 'count' }], buckets: [] }, res.body).rows).toEqual([{ m1: 0 }]);
  });
});
