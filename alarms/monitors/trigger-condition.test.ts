import { describe, expect, it } from 'vitest';
import { bucketMatches, bucketValue, compileBucketCondition, compileCondition } from './trigger-condition.ts';

const ctx = {
  results: [{ hits: { total: { value: 7 }, hits: [{ _source: { level: 'error' } }, {}] }, aggregations: { avg_latency: { value: 120.5 }, by: { buckets: [1, 2, 3] } } }],
  trigger: { severity: '1' },
};

describe('trigger conditions (painless subset)', () => {
  it('evaluates Alerting\'s common forms', () => {
    expect(compileCondition('ctx.results[0].hits.total.value > 0').evaluate(ctx)).toBe(true);
    expect(compileCondition('return ctx.results[0].hits.total.value > 10;').evaluate(ctx)).toBe(false);
    expect(compileCondition('ctx.results[0].aggregations.avg_latency.value >= 100 && ctx.results[0].hits.total.value < 10').evaluate(ctx)).toBe(true);
    expect(compileCondition('ctx.results[0].hits.hits.size() == 2').evaluate(ctx)).toBe(true);
    expect(compileCondition("ctx.results[0]['aggregations'].by.buckets.length > 2").evaluate(ctx)).toBe(true);
    expect(compileCondition('ctx.results[0].hits.hits[0]._source.level == "error"').evaluate(ctx)).toBe(true);
    expect(compileCondition('return true').evaluate(ctx)).toBe(true);
    expect(compileCondition('Math.abs(ctx.results[0].hits.total.value - 10) > 2 ? true : false').evaluate(ctx)).toBe(true);
  });

  it('rejects general scripting and non-boolean results', () => {
    expect(() => compileCondition('def x = 1; x > 0')).toThrow(/unsupported trigger condition/);
    expect(() => compileCondition('ctx.results[0].hits.total.value = 3')).toThrow();
    expect(() => compileCondition('System.exit(0)')).toThrow();
    expect(() => compileCondition('ctx.results[0].hits.total.value').evaluate(ctx)).toThrow(/not a boolean/);
  });

  it('bucket conditions read buckets_path variables like bucket_selector', () => {
    const b = { key: { service: 'api' }, doc_count: 12, p99: { values: { '99.0': 250 } }, avg: { value: 3 } };
    expect(bucketValue(b, '_count')).toBe(12);
    expect(bucketValue(b, 'avg')).toBe(3);
    expect(bucketValue(b, 'p99.99.0')).toBe(null);
    const e = compileBucketCondition('params._count > 10 && params.avg < 5');
    expect(bucketMatches(e, { _count: '_count', avg: 'avg' }, b)).toBe(true);
    expect(bucketMatches(e, { _count: '_count', avg: 'missing' }, b)).toBe(false);
  });
});
