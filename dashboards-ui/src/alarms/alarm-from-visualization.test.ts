import { describe, expect, it } from 'vitest';
import type { VisState } from '../visualize/specs/vis-state.ts';
import {
  AlarmDraftError, isMetricVisualization, metricAlarmFromVis, metricIdentity, periodOf, queryMonitorFromVis,
} from './alarm-from-visualization.ts';

const iteratorAge: VisState = {
  type: 'line', index: 'cwm-*', timeField: '@timestamp',
  query: 'namespace:"AWS/Kinesis" and metricName:"GetRecords.IteratorAgeMilliseconds" and dimensions.StreamName:orders',
  metrics: [{ id: 'm1', type: 'max', field: 'max' }],
  buckets: [{ id: 'b1', type: 'date_histogram', role: 'x', field: '@timestamp', interval: '1m' }],
};
const opts = { name: 'orders-lag', threshold: 60000, comparison: 'GreaterThanThreshold' as const, evaluationPeriods: 5, datapointsToAlarm: 3 };

describe('metricIdentity', () => {
  it('reads namespace, metric name and dimensions from the query', () => {
    expect(isMetricVisualization(iteratorAge)).toBe(true);
    expect(metricIdentity(iteratorAge)).toEqual({
      namespace: 'AWS/Kinesis', metricName: 'GetRecords.IteratorAgeMilliseconds', dimensions: [{ Name: 'StreamName', Value: 'orders' }],
    });
  });
  it('refuses wildcards and missing names', () => {
    expect(metricIdentity({ ...iteratorAge, query: 'namespace:AWS/Lambda and metricName:*' })).toBeNull();
    expect(metricIdentity({ ...iteratorAge, query: 'metricName:Errors' })).toBeNull();
  });
});

describe('metricAlarmFromVis', () => {
  it('maps the visualization to PutMetricAlarm', () => {
    expect(metricAlarmFromVis(iteratorAge, opts)).toMatchObject({
      AlarmName: 'orders-lag', Namespace: 'AWS/Kinesis', MetricName: 'GetRecords.IteratorAgeMilliseconds',
      Dimensions: [{ Name: 'StreamName', Value: 'orders' }], Statistic: 'Maximum', Period: 60,
      EvaluationPeriods: 5, DatapointsToAlarm: 3, Threshold: 60000, ComparisonOperator: 'GreaterThanThreshold',
    });
  });
  it('names notification channels as SNS topic ARNs', () => {
    const a = metricAlarmFromVis(iteratorAge, { ...opts, actions: ['oncall-slack'] });
    expect(a.AlarmActions).toEqual(['arn:aws:sns:us-east-1:000000000000:oncall-slack']);
    expect(a.OKActions).toEqual(a.AlarmActions);
  });
  it('uses ExtendedStatistic for percentiles and valid periods', () => {
    const p = metricAlarmFromVis({ ...iteratorAge, metrics: [{ id: 'm', type: 'percentiles', field: 'value', percents: [99.9] }] }, opts);
    expect(p.ExtendedStatistic).toBe('p99.9');
    expect(p.Statistic).toBeUndefined();
    expect(periodOf({ ...iteratorAge, buckets: [{ ...iteratorAge.buckets[0], interval: '90s' }] })).toBe(120);
    expect(periodOf({ ...iteratorAge, buckets: [{ ...iteratorAge.buckets[0], interval: '15s' }] })).toBe(20);
    expect(periodOf({ ...iteratorAge, buckets: [{ ...iteratorAge.buckets[0], interval: 'auto' }] })).toBe(300);
  });
  it('explains what is missing', () => {
    expect(() => metricAlarmFromVis({ ...iteratorAge, query: '' }, opts)).toThrow(AlarmDraftError);
    expect(() => metricAlarmFromVis({ ...iteratorAge, metrics: [{ id: 'm', type: 'cardinality', field: 'x' }] }, opts)).toThrow(/first metric/);
    expect(() => metricAlarmFromVis(iteratorAge, { ...opts, datapointsToAlarm: 6 })).toThrow(/between 1/);
  });
});

describe('queryMonitorFromVis', () => {
  const errors: VisState = {
    type: 'bar', index: 'cwl-*', timeField: '@timestamp', query: 'logGroup:/aws/lambda/* and message:ERROR',
    metrics: [{ id: 'm1', type: 'count' }],
    buckets: [{ id: 'b1', type: 'date_histogram', role: 'x', field: '@timestamp', interval: '5m' }],
  };
  it('counts the query over the last period', () => {
    const m = queryMonitorFromVis(errors, { ...opts, name: 'lambda errors', threshold: 10, actions: ['oncall'] }, (q) => ({ dql: q })) as any;
    expect(m.monitor_type).toBe('query_level_monitor');
    expect(m.schedule).toEqual({ period: { interval: 5, unit: 'MINUTES' } });
    expect(m.inputs[0].search.indices).toEqual(['cwl-*']);
    expect(m.inputs[0].search.query.query.bool.filter).toEqual([
      { range: { '@timestamp': { gte: '{{period_end}}||-5m', lte: '{{period_end}}', format: 'epoch_millis' } } },
      { dql: 'logGroup:/aws/lambda/* and message:ERROR' },
    ]);
    const t = m.triggers[0].query_level_trigger;
    expect(t.condition.script.source).toBe('ctx.results[0].hits.total.value > 10');
    expect(t.actions[0].destination_id).toBe('oncall');
  });
  it('compares a metric aggregation when the first metric is not count', () => {
    const m = queryMonitorFromVis({ ...errors, metrics: [{ id: 'm1', type: 'percentiles', field: 'duration', percents: [95] }] }, opts, (q) => ({ q })) as any;
    expect(m.inputs[0].search.query.aggs).toEqual({ metric: { percentiles: { field: 'duration', percents: [95] } } });
    expect(m.triggers[0].query_level_trigger.condition.script.source).toBe('ctx.results[0].aggregations.metric.values["95.0"] > 60000');
  });
});
