import { describe, expect, it } from 'vitest';
import { AwsError } from '../aws/aws-error.ts';
import { datapointDocuments } from './put-metric-data.ts';
import { metricIndexName, metricKey } from './datapoint-document.ts';

const now = Date.UTC(2024, 0, 10, 12, 0, 0);
const docs = (input: Record<string, unknown>) => datapointDocuments(input, now).map((w) => w.source);
const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof AwsError) return e.queryCode;
    throw e;
  }
  return 'no error';
};

describe('PutMetricData documents', () => {
  it('one document per Value, per Values entry (with count), per statistic set', () => {
    const out = docs({
      Namespace: 'App',
      MetricData: [
        { MetricName: 'L', Dimensions: [{ Name: 'b', Value: '2' }, { Name: 'a', Value: '1' }], Value: 1.5, Unit: 'Seconds', Timestamp: now / 1000 - 60 },
        { MetricName: 'L', Values: [1, 2, 3], Counts: [1, 0, 4] },
        { MetricName: 'L', StatisticValues: { SampleCount: 3, Sum: 6, Minimum: 1, Maximum: 3 }, StorageResolution: 1 },
      ],
    });
    expect(out).toHaveLength(4); // the zero-count value is not stored
    expect(out[0]).toEqual({
      '@timestamp': new Date(now - 60_000).toISOString(), namespace: 'App', metricName: 'L', dimensions: { b: '2', a: '1' },
      metricKey: metricKey('App', 'L', { a: '1', b: '2' }), unit: 'Seconds', storageResolution: 60, value: 1.5,
    });
    expect(out[1]).toMatchObject({ value: 1, count: 1, unit: 'None', '@timestamp': new Date(now).toISOString() });
    expect(out[2]).toMatchObject({ value: 3, count: 4 });
    expect(out[3]).toMatchObject({ sum: 6, count: 3, min: 1, max: 3, storageResolution: 1 });
    expect(out[3].value).toBeUndefined();
  });

  it('reads awsQuery strings (ISO timestamps, numeric strings) and EntityMetricData', () => {
    const out = docs({
      Namespace: 'App',
      MetricData: [{ MetricName: 'L', Timestamp: '2024-01-10T11:00:00Z', Values: ['1', '2.5'], Counts: ['2', '1'], StorageResolution: '1' }],
      EntityMetricData: [{ Entity: { KeyAttributes: { Type: 'Service' } }, MetricData: [{ MetricName: 'E', Value: '7' }] }],
    });
    expect(out.map((d) => [d.metricName, d.value, d.count, d['@timestamp']])).toEqual([
      ['L', 1, 2, '2024-01-10T11:00:00.000Z'],
      ['L', 2.5, 1, '2024-01-10T11:00:00.000Z'],
      ['E', 7, undefined, new Date(now).toISOString()],
    ]);
  });

  it('refuses what CloudWatch refuses, with its codes', () => {
    const one = (d: Record<string, unknown>, ns = 'App') => () => docs({ Namespace: ns, MetricData: [{ MetricName: 'm', ...d }] });
    expect(code(() => docs({ MetricData: [{ MetricName: 'm', Value: 1 }] }))).toBe('MissingParameter');
    expect(code(() => docs({ Namespace: 'App' }))).toBe('MissingParameter');
    expect(code(one({ Value: 1 }, 'AWS/EC2'))).toBe('InvalidParameterValue');
    expect(code(one({ Value: 1 }, ':x'))).toBe('InvalidParameterValue');
    expect(code(one({ Value: 1 }, 'Ä'))).toBe('InvalidParameterValue');
    expect(code(one({ Value: 'NaN' }))).toBe('InvalidParameterValue');
    expect(code(one({ Value: '-Infinity' }))).toBe('InvalidParameterValue');
    expect(code(one({ Value: 1e-300 }))).toBe('InvalidParameterValue');
    expect(code(one({ Value: 0 }))).toBe('no error');
    expect(code(one({}))).toBe('InvalidParameterCombination');
    expect(code(one({ Value: 1, Values: [1] }))).toBe('InvalidParameterCombination');
    expect(code(one({ Counts: [1] , Value: 1 }))).toBe('InvalidParameterCombination');
    expect(code(one({ Values: [1], Counts: [-1] }))).toBe('InvalidParameterValue');
    expect(code(one({ StatisticValues: { SampleCount: 0, Sum: 0, Minimum: 0, Maximum: 0 } }))).toBe('InvalidParameterValue');
    expect(code(one({ StatisticValues: { SampleCount: 2, Sum: 3, Minimum: 2, Maximum: 1 } }))).toBe('InvalidParameterValue');
    expect(code(one({ StatisticValues: { SampleCount: 2, Sum: 3, Minimum: 1 } }))).toBe('MissingParameter');
    expect(code(one({ Value: 1, Dimensions: [{ Name: 'a' }] }))).toBe('MissingParameter');
    expect(code(one({ Value: 1, Dimensions: [{ Name: ':a', Value: 'x' }] }))).toBe('InvalidParameterValue');
    expect(code(one({ Value: 1, Dimensions: [{ Name: 'a', Value: 'x'.repeat(1025) }] }))).toBe('InvalidParameterValue');
    expect(code(one({ Value: 1, Timestamp: now / 1000 - 14 * 86400 - 1 }))).toBe('InvalidParameterValue');
    expect(code(one({ Value: 1, Timestamp: now / 1000 - 14 * 86400 + 1 }))).toBe('no error');
    expect(code(one({ Value: 1, Timestamp: now / 1000 + 2 * 3600 + 1 }))).toBe('InvalidParameterValue');
    expect(code(one({ Value: 1, Timestamp: 'yesterday' }))).toBe('InvalidParameterValue');
    expect(code(one({ Value: 1, Unit: 'Furlongs' }))).toBe('InvalidParameterValue');
    expect(code(one({ Value: 1, MetricName: '' }))).toBe('MissingParameter');
    expect(code(one({ Value: 1, MetricName: 'a\u0001b' }))).toBe('InvalidParameterValue');
    expect(code(() => docs({ Namespace: 'App', MetricData: Array.from({ length: 1001 }, () => ({ MetricName: 'm', Value: 1 })) }))).toBe('InvalidParameterValue');
    expect(code(() => docs({ Namespace: 'App', MetricData: Array.from({ length: 1000 }, () => ({ MetricName: 'm', Value: 1 })) }))).toBe('no error');
    expect(code(() => docs({ Namespace: 'App', MetricData: ['x'] }))).toBe('InvalidParameterValue');
  });

  it('writes each datapoint as JSON equal to JSON.stringify of its document, metrics repeated or not', () => {
    const dims = [[], [{ Name: 'Host', Value: 'h"1\\' }], [{ Name: 'é', Value: '😀 x' }, { Name: 'a', Value: '1' }]];
    const values = [0, -0, 1.5, -2.25e-7, 1e21, 123456789.123, 2 ** 359];
    const MetricData: Record<string, unknown>[] = [];
    for (let i = 0; i < 60; i++) {
      const base = { MetricName: i % 4 === 0 ? 'Lat"ency' : `m${i % 3}`, Dimensions: dims[i % dims.length], Timestamp: now / 1000 - (i * 7919) % 86_400 - 0.001 * i };
      if (i % 5 === 0) MetricData.push({ ...base, StatisticValues: { SampleCount: 2, Sum: values[i % values.length], Minimum: -1, Maximum: 3 } });
      else if (i % 5 === 1) MetricData.push({ ...base, Values: [values[i % values.length], 2], Counts: [3, 0.5], Unit: 'Count' });
      else MetricData.push({ ...base, Value: values[i % values.length], StorageResolution: i % 2 ? 1 : 60, Unit: i % 3 ? 'Seconds' : undefined });
    }
    const out = datapointDocuments({ Namespace: 'App/x"y', MetricData }, now);
    expect(out.length).toBeGreaterThan(60);
    for (const w of out) {
      expect(w.json).toBe(JSON.stringify(w.source));
      expect(w.index).toBe(metricIndexName(Date.parse(w.source['@timestamp'])));
    }
    // The same raw members name the same metric; different members never share a cached identity.
    const keys = new Set(out.map((w) => w.source.metricKey));
    expect(keys.size).toBe(new Set(MetricData.map((d) => JSON.stringify([d.MetricName, d.Dimensions]))).size);
  });

  it('does not confuse metrics whose members concatenate alike', () => {
    const out = docs({
      Namespace: 'App',
      MetricData: [
        { MetricName: 'ab', Dimensions: [{ Name: 'c', Value: 'd' }], Value: 1 },
        { MetricName: 'a', Dimensions: [{ Name: 'bc', Value: 'd' }], Value: 2 },
        { MetricName: 'ab', Dimensions: [{ Name: 'c', Value: 'd' }], Value: 3, Unit: 'Count' },
      ],
    });
    expect(out.map((d) => [d.metricName, d.dimensions, d.unit])).toEqual([
      ['ab', { c: 'd' }, 'None'],
      ['a', { bc: 'd' }, 'None'],
      ['ab', { c: 'd' }, 'Count'],
    ]);
  });

  it('validates a repeated metric only once but still checks every datum', () => {
    const ok = { MetricName: 'm', Dimensions: [{ Name: 'a', Value: 'x' }], Value: 1 };
    expect(code(() => docs({ Namespace: 'App', MetricData: [ok, { ...ok, Value: 'NaN' }] }))).toBe('InvalidParameterValue');
    expect(code(() => docs({ Namespace: 'App', MetricData: [ok, { ...ok, Dimensions: [{ Name: 'a', Value: 'x' }, { Name: 'a', Value: 'y' }] }] }))).toBe('InvalidParameterValue');
    expect(code(() => docs({ Namespace: 'App', MetricData: [ok, { ...ok, Dimensions: [{ Name: 'a', Value: 1 }] }] }))).toBe('InvalidParameterValue');
  });

  it('names the offending datum in error messages, in MetricData and EntityMetricData', () => {
    const message = (input: Record<string, unknown>): string => {
      try {
        docs(input);
      } catch (e) {
        if (e instanceof AwsError) return e.message;
        throw e;
      }
      return 'no error';
    };
    expect(message({ Namespace: 'App', MetricData: [{ MetricName: 'm', Value: 1 }, { MetricName: 'm', Value: 'NaN' }] })).toContain('MetricData.member.2.Value');
    expect(message({
      Namespace: 'App',
      MetricData: [{ MetricName: 'm', Value: 1 }],
      EntityMetricData: [{ MetricData: [] }, { MetricData: [{ MetricName: 'e', Value: 1 }, { MetricName: 'e', Unit: 'Furlongs', Value: 1 }] }],
    })).toContain('EntityMetricData.member.2.MetricData.member.2.Unit');
  });
});
