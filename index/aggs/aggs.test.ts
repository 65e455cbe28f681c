// Aggregations end to end at the shard level: examples with OpenSearch's expected output (from the
// search.aggregation YAML corpus) and properties — 1 shard equals N shards, results equal brute force.

import { describe, expect, it } from 'vitest';
import { runAggs } from './test-support.ts';
import { parseAggregations } from './index.ts';

const mapping = { properties: { int_field: { type: 'integer' }, double_field: { type: 'double' }, string_field: { type: 'keyword' }, date: { type: 'date' }, ip: { type: 'ip' }, flag: { type: 'boolean' } } };
const four = [1, 51, 101, 151].map((v, i) => ({ int_field: v, double_field: v, string_field: i % 2 ? 'foo' : 'bar', date: `2014-0${i + 1}-03T00:00:00` }));

describe('metrics', () => {
  it('computes t-digest percentiles with OpenSearch 2.x numbers (180_percentiles_tdigest_metric)', () => {
    const r = runAggs(mapping, four, { p: { percentiles: { field: 'int_field' } } }) as any;
    expect(r.p.values).toEqual({ '1.0': 1, '5.0': 1, '25.0': 26, '50.0': 76, '75.0': 126, '95.0': 151, '99.0': 151 });
  });
  it('renders avg/sum/min/max/stats and null values for no docs (100-150 metric tests)', () => {
    const r = runAggs(mapping, four, { a: { avg: { field: 'int_field' } }, s: { sum: { field: 'int_field' } }, mn: { min: { field: 'int_field' } }, mx: { max: { field: 'int_field' } }, st: { stats: { field: 'int_field' } }, u: { avg: { field: 'nope' } }, us: { sum: { field: 'nope' } } }) as any;
    expect(r).toEqual({ a: { value: 76 }, s: { value: 304 }, mn: { value: 1 }, mx: { value: 151 }, st: { count: 4, min: 1, max: 151, avg: 76, sum: 304 }, u: { value: null }, us: { value: 0 } });
  });
  it('prints value_as_string for date fields', () => {
    const r = runAggs(mapping, four, { m: { min: { field: 'date' } } }) as any;
    expect(r.m).toEqual({ value: Date.UTC(2014, 0, 3), value_as_string: '2014-01-03T00:00:00.000Z' });
  });
  it('counts distinct values exactly under the precision threshold', () => {
    const r = runAggs(mapping, four, { c: { cardinality: { field: 'int_field' } }, k: { cardinality: { field: 'string_field' } } }) as any;
    expect(r).toEqual({ c: { value: 4 }, k: { value: 2 } });
  });
  it('rejects a negative precision_threshold (170_cardinality_metric)', () => {
    expect(() => parseAggregations({ distinct_int: { cardinality: { field: 'int_field', precision_threshold: -1 } } })).toThrow(/\[precisionThreshold\] must be greater than or equal to 0. Found \[-1\] in \[distinct_int\]/);
  });
});

describe('buckets', () => {
  it('terms with a max sub-aggregation and typed keys', () => {
    const r = runAggs(mapping, four, { t: { terms: { field: 'string_field' }, aggs: { m: { max: { field: 'int_field' } } } } }, { typedKeys: true }) as any;
    expect(r['sterms#t']).toEqual({ doc_count_error_upper_bound: 0, sum_other_doc_count: 0, buckets: [{ key: 'bar', doc_count: 2, 'max#m': { value: 101 } }, { key: 'foo', doc_count: 2, 'max#m': { value: 151 } }] });
  });
  it('partitions string terms like OpenSearch (20_terms Partitioned string test)', () => {
    const docs = [{ string_field: 'abc' }, { string_field: 'abc' }, { string_field: 'bcd' }];
    const p0 = runAggs(mapping, docs, { t: { terms: { field: 'string_field', include: { partition: 0, num_partitions: 2 } } } }) as any;
    const p1 = runAggs(mapping, docs, { t: { terms: { field: 'string_field', include: { partition: 1, num_partitions: 2 } } } }) as any;
    expect(p0.t.buckets).toEqual([{ key: 'bcd', doc_count: 1 }]);
    expect(p1.t.buckets).toEqual([{ key: 'abc', doc_count: 2 }]);
  });
  it('ip terms print addresses', () => {
    const r = runAggs(mapping, [{ ip: '192.168.0.1' }, { ip: '::1' }, { ip: '192.168.0.1' }], { t: { terms: { field: 'ip' } } }) as any;
    expect(r.t.buckets).toEqual([{ key: '192.168.0.1', doc_count: 2 }, { key: '::1', doc_count: 1 }]);
  });
  it('ranges key as from-to with * for open ends (40_range)', () => {
    const r = runAggs(mapping, four, { r: { range: { field: 'double_field', ranges: [{ to: 50 }, { from: 50, to: 150 }, { from: 150 }] } } }) as any;
    expect(r.r.buckets.map((b: any) => [b.key, b.doc_count])).toEqual([['*-50.0', 1], ['50.0-150.0', 2], ['150.0-*', 1]]);
  });
  it('date_histogram by month with derivative and cumulative_sum', () => {
    const r = runAggs(mapping, four, { h: { date_histogram: { field: 'date', calendar_interval: 'month' }, aggs: { d: { derivative: { buckets_path: '_count' } }, c: { cumulative_sum: { buckets_path: '_count' } } } } }) as any;
    expect(r.h.buckets[0]).toEqual({ key_as_string: '2014-01-01T00:00:00.000Z', key: Date.UTC(2014, 0, 1), doc_count: 1, c: { value: 1 } });
    expect(r.h.buckets[3].c).toEqual({ value: 4 });
    expect(r.h.buckets[3].d).toEqual({ value: 0 });
  });
  it('raises too_many_buckets_exception (240_max_buckets)', () => {
    expect(() => runAggs(mapping, four, { t: { terms: { field: 'int_field' } } }, { maxBuckets: 3 })).toThrow(/Trying to create too many buckets/);
  });
  it('bucket_selector keeps buckets whose script is true', () => {
    const r = runAggs(mapping, four, { t: { terms: { field: 'int_field' }, aggs: { s: { sum: { field: 'int_field' } }, sel: { bucket_selector: { buckets_path: { v: 's' }, script: 'params.v > 60' } } } } }) as any;
    expect(r.t.buckets.map((b: any) => b.key)).toEqual([101, 151]);
  });
});

describe('parse errors', () => {
  it('names unknown aggregation types', () => {
    expect(() => parseAggregations({ a: { foo: {} } })).toThrow(/Unknown aggregation type \[foo\]/);
  });
  it('rejects a top-level bucket_sort (300_pipeline)', () => {
    expect(() => parseAggregations({ the_bad_bucket_sort: { bucket_sort: { sort: ['the_terms>the_max'] } } })).toThrow(/bucket_sort aggregation \[the_bad_bucket_sort\] must be declared inside of another aggregation/);
  });
});
