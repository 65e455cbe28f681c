import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { classify, countDocuments } from './request-classifier.ts';

describe('classify', () => {
  it('names ingest and query APIs by route, and AWS operations by target or form Action', () => {
    expect(classify('POST', '/:index/_bulk', undefined, undefined)).toEqual({ kind: 'ingest', api: 'bulk' });
    expect(classify('POST', '/_firehose/:stream', undefined, undefined)).toEqual({ kind: 'ingest', api: 'firehose' });
    expect(classify('GET', '/:index/_search', undefined, undefined)).toEqual({ kind: 'query', api: 'search' });
    expect(classify('POST', '/', 'Logs_20140328.PutLogEvents', undefined)).toEqual({ kind: 'ingest', api: 'PutLogEvents' });
    expect(classify('POST', '/', 'GraniteServiceVersion20100801.GetMetricData', undefined)).toEqual({ kind: 'query', api: 'GetMetricData' });
    expect(classify('POST', '/', undefined, Buffer.from('Action=PutMetricData&Version=2010-08-01'))).toEqual({ kind: 'ingest', api: 'PutMetricData' });
    expect(classify('POST', '/', 'Logs_20140328.CreateLogGroup', undefined)).toEqual({ kind: 'other' });
    expect(classify('GET', '/:index/_doc/:id', undefined, undefined)).toEqual({ kind: 'other' });
    expect(classify('GET', undefined, undefined, undefined)).toEqual({ kind: 'other' });
  });
});

describe('countDocuments', () => {
  it('counts _bulk writes, not deletes or source lines (even a source that looks like an action)', () => {
    const body = ['{"index":{"_index":"a"}}', '{"index":{"x":1}}', '{"delete":{"_id":"1"}}', '{"create":{}}', '{"a":1}', '{ "update" : {"_id":"2"}}', '{"doc":{"a":2}}', ''].join('\n');
    expect(countDocuments('bulk', Buffer.from(body), undefined)).toBe(3);
  });

  it('counts PutLogEvents events and PutMetricData datapoints (JSON, gzip, and awsQuery forms)', () => {
    expect(countDocuments('PutLogEvents', Buffer.from(JSON.stringify({ logEvents: [{}, {}, {}] })), undefined)).toBe(3);
    const json = JSON.stringify({ Namespace: 'n', MetricData: [{ MetricName: 'a', Value: 1 }, { MetricName: 'b', Values: [1, 2, 3] }] });
    expect(countDocuments('PutMetricData', Buffer.from(json), undefined)).toBe(4);
    expect(countDocuments('PutMetricData', gzipSync(json), 'gzip')).toBe(4);
    const form = 'Action=PutMetricData&Namespace=n&MetricData.member.1.MetricName=a&MetricData.member.1.Value=1&MetricData.member.2.MetricName=b&MetricData.member.2.Values.member.1=1&MetricData.member.2.Values.member.2=2';
    expect(countDocuments('PutMetricData', Buffer.from(form), undefined)).toBe(3);
    expect(countDocuments('PutLogEvents', Buffer.from('not json'), undefined)).toBe(0);
  });
});
