// Realistic OpenSearch 2.x responses for the spec builders' unit tests: the shapes (key/key_as_string,
// keyed percentiles with "50.0" keys, keyed filters buckets, range keys "from-to", empty buckets) are
// those OpenSearch renders for the requests aggs-request.ts builds.

import type { VisState } from './vis-state.ts';

export const NOW = Date.UTC(2026, 10, 28, 10, 0, 0);

/** Status code per service over time: terms(service) → date_histogram, avg + p50/p95 of latency. */
export const byServiceOverTime: VisState = {
  type: 'line', index: 'logs-*', timeField: '@timestamp',
  metrics: [
    { id: 'm1', type: 'avg', field: 'latency_ms' },
    { id: 'm2', type: 'percentiles', field: 'latency_ms', percents: [50, 95] },
  ],
  buckets: [
    { id: 'b1', type: 'terms', role: 'series', field: 'service', size: 2, orderBy: 'm1' },
    { id: 'b2', type: 'date_histogram', role: 'x', field: '@timestamp', interval: '1m' },
  ],
};

const t0 = Date.UTC(2026, 10, 28, 9, 58, 0);
const iso = (ms: number) => new Date(ms).toISOString();

export const byServiceOverTimeResponse = {
  took: 3, timed_out: false,
  _shards: { total: 2, successful: 2, skipped: 0, failed: 0 },
  hits: { total: { value: 57, relation: 'eq' }, max_score: null, hits: [] },
  aggregations: {
    b1: {
      doc_count_error_upper_bound: 0, sum_other_doc_count: 4,
      buckets: [
        {
          key: 'checkout', doc_count: 30,
          'm1-order': { value: 182.5 },
          b2: {
            buckets: [
              { key_as_string: iso(t0), key: t0, doc_count: 12, m1: { value: 150 }, m2: { values: { '50.0': 140, '95.0': 310.5 } } },
              { key_as_string: iso(t0 + 60_000), key: t0 + 60_000, doc_count: 0, m1: { value: null }, m2: { values: { '50.0': null, '95.0': null } } },
              { key_as_string: iso(t0 + 120_000), key: t0 + 120_000, doc_count: 18, m1: { value: 204.16666666666666 }, m2: { values: { '50.0': 190, '95.0': 402 } } },
            ],
          },
        },
        {
          key: 'search', doc_count: 23,
          'm1-order': { value: 41.2 },
          b2: {
            buckets: [
              { key_as_string: iso(t0), key: t0, doc_count: 10, m1: { value: 40 }, m2: { values: { '50.0': 38, '95.0': 61 } } },
              { key_as_string: iso(t0 + 60_000), key: t0 + 60_000, doc_count: 13, m1: { value: 42.12 }, m2: { values: { '50.0': 41, '95.0': 70 } } },
              { key_as_string: iso(t0 + 120_000), key: t0 + 120_000, doc_count: 0, m1: { value: null }, m2: { values: { '50.0': null, '95.0': null } } },
            ],
          },
        },
      ],
    },
  },
};

/** Pie of status classes by filters, split by a range on bytes — keyed filters and range keys. */
export const statusPie: VisState = {
  type: 'pie', index: 'logs-*', timeField: '@timestamp',
  metrics: [{ id: 'm1', type: 'count' }],
  buckets: [
    { id: 'b1', type: 'range', role: 'split', field: 'bytes', ranges: [{ to: 1000 }, { from: 1000, to: 10000, label: 'medium' }, { from: 10000 }] },
    { id: 'b2', type: 'filters', role: 'x', filters: [{ query: 'status >= 500', label: '5xx' }, { query: 'status:404', label: '404' }, { query: 'status < 400', label: '200' }] },
  ],
  options: { donut: true },
};

export const statusPieResponse = {
  took: 1, timed_out: false,
  _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
  hits: { total: { value: 100, relation: 'eq' }, max_score: null, hits: [] },
  aggregations: {
    b1: {
      buckets: [
        { key: '*-1000.0', to: 1000, doc_count: 60, b2: { buckets: { '5xx': { doc_count: 3 }, '404': { doc_count: 7 }, '200': { doc_count: 50 } } } },
        { key: 'medium', from: 1000, to: 10000, doc_count: 30, b2: { buckets: { '5xx': { doc_count: 1 }, '404': { doc_count: 0 }, '200': { doc_count: 29 } } } },
        { key: '10000.0-*', from: 10000, doc_count: 0, b2: { buckets: { '5xx': { doc_count: 0 }, '404': { doc_count: 0 }, '200': { doc_count: 0 } } } },
      ],
    },
  },
};

/** A single number: unique users, no buckets. */
export const uniqueUsers: VisState = {
  type: 'metric', index: 'logs-*', timeField: '@timestamp',
  metrics: [{ id: 'm1', type: 'cardinality', field: 'user' }, { id: 'm2', type: 'count' }],
  buckets: [],
};

export const uniqueUsersResponse = {
  took: 1, timed_out: false,
  _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
  hits: { total: { value: 1523, relation: 'eq' }, max_score: null, hits: [] },
  aggregations: { m1: { value: 87 } },
};

/** Nothing matched: no hits, empty buckets, null metric values. */
export const emptyResponse = {
  took: 0, timed_out: false,
  _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
  hits: { total: { value: 0, relation: 'eq' }, max_score: null, hits: [] },
  aggregations: { b1: { doc_count_error_upper_bound: 0, sum_other_doc_count: 0, buckets: [] }, m1: { value: null } },
};

/** Heat map: hourly × status histogram, sum of bytes. */
export const heatmap: VisState = {
  type: 'heatmap', index: 'logs-*', timeField: '@timestamp',
  metrics: [{ id: 'm1', type: 'sum', field: 'bytes' }],
  buckets: [
    { id: 'b1', type: 'date_histogram', role: 'x', field: '@timestamp', interval: '1h' },
    { id: 'b2', type: 'histogram', role: 'series', field: 'status', interval: 100 },
  ],
};

const h0 = Date.UTC(2026, 10, 28, 8, 0, 0);
export const heatmapResponse = {
  took: 2, timed_out: false,
  _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
  hits: { total: { value: 9, relation: 'eq' }, max_score: null, hits: [] },
  aggregations: {
    b1: {
      buckets: [
        { key_as_string: iso(h0), key: h0, doc_count: 5, b2: { buckets: [{ key: 200.0, doc_count: 4, m1: { value: 4096 } }, { key: 500.0, doc_count: 1, m1: { value: 12 } }] } },
        { key_as_string: iso(h0 + 3_600_000), key: h0 + 3_600_000, doc_count: 4, b2: { buckets: [{ key: 200.0, doc_count: 3, m1: { value: 2048.5 } }, { key: 400.0, doc_count: 1, m1: { value: 0 } }] } },
      ],
    },
  },
};
