import { describe, expect, it } from 'vitest';
import { buildSearchRequest, VisRequestError } from './aggs-request.ts';
import { byServiceOverTime, heatmap, NOW, statusPie, uniqueUsers } from './test-fixtures.ts';
import type { VisState } from './vis-state.ts';

const last15m = { from: 'now-15m', to: 'now' };
const fakeDql = (q: string) => ({ dql: q });

describe('buildSearchRequest', () => {
  it('nests buckets in editor order with metrics innermost and a metric to order outer terms by', () => {
    const req = buildSearchRequest(byServiceOverTime, { now: NOW, timeRange: last15m });
    expect(req.index).toBe('logs-*');
    expect(req.body).toEqual({
      size: 0,
      track_total_hits: true,
      query: { bool: { filter: [{ range: { '@timestamp': { gte: NOW - 900_000, lte: NOW, format: 'epoch_millis' } } }] } },
      aggs: {
        b1: {
          terms: { field: 'service', size: 2, order: { 'm1-order': 'desc' } },
          aggs: {
            'm1-order': { avg: { field: 'latency_ms' } },
            b2: {
              date_histogram: { field: '@timestamp', fixed_interval: '1m', min_doc_count: 0, extended_bounds: { min: NOW - 900_000, max: NOW } },
              aggs: {
                m1: { avg: { field: 'latency_ms' } },
                m2: { percentiles: { field: 'latency_ms', percents: [50, 95] } },
              },
            },
          },
        },
      },
    });
  });

  it('puts metrics at the top level without buckets, and count needs no aggregation', () => {
    const req = buildSearchRequest(uniqueUsers, { now: NOW });
    expect(req.body.aggs).toEqual({ m1: { cardinality: { field: 'user' } } });
    expect(req.body.query).toEqual({ match_all: {} });
  });

  it('omits aggs entirely for a bare count', () => {
    const req = buildSearchRequest({ ...uniqueUsers, metrics: [{ id: 'm1', type: 'count' }] }, { now: NOW });
    expect(req.body.aggs).toBeUndefined();
  });

  it('builds range and filters buckets, translating filter queries and keeping labels unique', () => {
    const state: VisState = {
      ...statusPie,
      buckets: [statusPie.buckets[0], { ...statusPie.buckets[1], filters: [{ query: 'a' }, { query: 'a' }, { query: '' }] }],
    };
    const req = buildSearchRequest(state, { now: NOW, translate: fakeDql });
    const b1 = (req.body.aggs as any).b1;
    expect(b1.range).toEqual({ field: 'bytes', keyed: false, ranges: [{ to: 1000 }, { from: 1000, to: 10000, key: 'medium' }, { from: 10000 }] });
    expect(b1.aggs.b2.filters.filters).toEqual({ a: { dql: 'a' }, 'a (2)': { dql: 'a' }, '*': { match_all: {} } });
  });

  it('ANDs the time range, the visualization query, the dashboard query and extra filters', () => {
    const req = buildSearchRequest({ ...heatmap, query: 'service:api' }, {
      now: NOW, timeRange: { from: 'now-24h', to: 'now' }, query: 'level:error', filters: [{ term: { region: 'eu' } }], translate: fakeDql,
    });
    const filter = (req.body.query as any).bool.filter;
    expect(filter.slice(1)).toEqual([{ dql: 'service:api' }, { dql: 'level:error' }, { term: { region: 'eu' } }]);
    const b1 = (req.body.aggs as any).b1;
    expect(b1.date_histogram.fixed_interval).toBe('1h');
    expect(b1.aggs.b2).toEqual({ histogram: { field: 'status', interval: 100, min_doc_count: 1 }, aggs: { m1: { sum: { field: 'bytes' } } } });
  });

  it('chooses the date histogram interval from the range when auto', () => {
    const state: VisState = { ...heatmap, buckets: [{ ...heatmap.buckets[0], interval: 'auto' }] };
    const req = buildSearchRequest(state, { now: NOW, timeRange: { from: 'now-7d', to: 'now' } });
    expect((req.body.aggs as any).b1.date_histogram.fixed_interval).toBe('12h');
  });

  it('orders innermost terms by its own metric, or by count', () => {
    const state: VisState = {
      type: 'bar', index: 'x', metrics: [{ id: 'm1', type: 'count' }, { id: 'm2', type: 'max', field: 'v' }],
      buckets: [{ id: 'b1', type: 'terms', role: 'x', field: 'k', orderBy: 'm2', orderDirection: 'asc' }],
    };
    expect((buildSearchRequest(state, { now: NOW }).body.aggs as any).b1.terms.order).toEqual({ m2: 'asc' });
    state.buckets[0] = { ...state.buckets[0], orderBy: undefined, orderDirection: undefined };
    expect((buildSearchRequest(state, { now: NOW }).body.aggs as any).b1.terms.order).toEqual({ _count: 'desc' });
  });

  it('refuses states that cannot run', () => {
    expect(() => buildSearchRequest({ ...uniqueUsers, metrics: [{ id: 'm1', type: 'avg' }] }, { now: NOW })).toThrow(VisRequestError);
    expect(() => buildSearchRequest({ ...heatmap, buckets: [{ id: 'b', type: 'histogram', role: 'x', field: 'f', interval: 0 }] }, { now: NOW })).toThrow(/positive/);
    expect(() => buildSearchRequest({ ...heatmap, buckets: [{ id: 'b', type: 'date_histogram', role: 'x', field: 'f', interval: '1 month' }] }, { now: NOW })).toThrow(/invalid interval/);
  });
});

describe('validateVisState', () => {
  it('allows several row buckets in a table but one x axis in a chart', async () => {
    const { validateVisState } = await import('./vis-state.ts');
    const state: VisState = {
      type: 'table', index: 'i', metrics: [{ id: 'm', type: 'count' }],
      buckets: [{ id: 'a', type: 'terms', role: 'x', field: 'f' }, { id: 'b', type: 'terms', role: 'x', field: 'g' }],
    };
    expect(validateVisState(state)).toEqual([]);
    expect(validateVisState({ ...state, type: 'bar' })).toEqual(['Only one bucket can be the x axis.']);
  });
});
