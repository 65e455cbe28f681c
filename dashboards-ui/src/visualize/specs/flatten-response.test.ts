import { describe, expect, it } from 'vitest';
import { flattenResponse, tableColumns } from './flatten-response.ts';
import {
  byServiceOverTime, byServiceOverTimeResponse, emptyResponse, heatmap, heatmapResponse, statusPie, statusPieResponse,
  uniqueUsers, uniqueUsersResponse,
} from './test-fixtures.ts';

const t0 = Date.UTC(2026, 10, 28, 9, 58, 0);

describe('flattenResponse', () => {
  it('gives one row per innermost bucket of a two-level response, with percentiles as columns', () => {
    const table = flattenResponse(byServiceOverTime, byServiceOverTimeResponse);
    expect(table.totalHits).toBe(57);
    expect(table.columns.map((c) => [c.id, c.label])).toEqual([
      ['b1', 'Top 2 service'], ['b2', '@timestamp'], ['m1', 'Average latency_ms'],
      ['m2:p50', '50th percentile of latency_ms'], ['m2:p95', '95th percentile of latency_ms'],
    ]);
    expect(table.rows).toHaveLength(6);
    expect(table.rows[0]).toEqual({ b1: 'checkout', b2: t0, m1: 150, 'm2:p50': 140, 'm2:p95': 310.5 });
    // Empty buckets keep their row with null metrics (gaps in lines), not zeros.
    expect(table.rows[1]).toEqual({ b1: 'checkout', b2: t0 + 60_000, m1: null, 'm2:p50': null, 'm2:p95': null });
    expect(table.rows[4]).toEqual({ b1: 'search', b2: t0 + 60_000, m1: 42.12, 'm2:p50': 41, 'm2:p95': 70 });
  });

  it('reads keyed filters buckets in the editor order and range keys as OpenSearch renders them', () => {
    const table = flattenResponse(statusPie, statusPieResponse);
    expect(table.rows.slice(0, 4)).toEqual([
      { b1: '*-1000.0', b2: '5xx', m1: 3 },
      { b1: '*-1000.0', b2: '404', m1: 7 },
      { b1: '*-1000.0', b2: '200', m1: 50 },
      { b1: 'medium', b2: '5xx', m1: 1 },
    ]);
    expect(table.rows).toHaveLength(9);
  });

  it('gives a single row for metrics without buckets, count from hits.total', () => {
    const table = flattenResponse(uniqueUsers, uniqueUsersResponse);
    expect(table.rows).toEqual([{ m1: 87, m2: 1523 }]);
  });

  it('gives no rows for empty buckets and nulls for metrics over nothing', () => {
    expect(flattenResponse(byServiceOverTime, emptyResponse).rows).toEqual([]);
    expect(flattenResponse({ ...uniqueUsers, metrics: [{ id: 'm1', type: 'avg', field: 'x' }] }, emptyResponse).rows).toEqual([{ m1: null }]);
    expect(flattenResponse(byServiceOverTime, { hits: { total: 0 } }).rows).toEqual([]);
  });

  it('reads numeric histogram keys and the array form of percentiles', () => {
    expect(flattenResponse(heatmap, heatmapResponse).rows[1]).toEqual({ b1: Date.UTC(2026, 10, 28, 8), b2: 500, m1: 12 });
    const state = { ...uniqueUsers, metrics: [{ id: 'p', type: 'percentiles' as const, field: 'x', percents: [99.9] }] };
    expect(flattenResponse(state, { aggregations: { p: { values: [{ key: 99.9, value: 7 }] } } }).rows).toEqual([{ 'p:p99.9': 7 }]);
  });

  it('names columns for every metric type', () => {
    const labels = tableColumns({
      type: 'table', index: 'i', buckets: [],
      metrics: [{ id: 'a', type: 'sum', field: 'b' }, { id: 'c', type: 'min', field: 'd' }, { id: 'e', type: 'percentiles', field: 'f', percents: [1, 2, 3, 11] }],
    }).map((c) => c.label);
    expect(labels).toEqual(['Sum of b', 'Min d', '1st percentile of f', '2nd percentile of f', '3rd percentile of f', '11th percentile of f']);
  });
});
