// Lookout's own metrics: `GET /_metrics` in the Prometheus text format after real ingest and search
// traffic, and the same counts stored as `Lookout` datapoints in `cwm-*` by the metrics recorder.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LookoutNode } from '../../server/node.ts';
import { startAppServer, type AppServer } from '../helpers/app-server.ts';
import { call } from '../helpers/server-process.ts';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, GetLogEventsCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient, GetMetricDataCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { delivery, expectFirehoseResponse, sendDelivery } from '../ingest/firehose-simulator.ts';

let server: AppServer;
let node: LookoutNode;
let url: string;

beforeAll(async () => {
  server = await startAppServer({ prefix: 'lookout-metrics-', file: { observability: { record_interval_seconds: 0 } } });
  ({ node, url } = server);
});
afterAll(() => server.close());

async function bulk(lines: unknown[]): Promise<void> {
  const r = await call(url, 'POST', '/_bulk', lines.map((l) => JSON.stringify(l)).join('\n') + '\n', 'application/x-ndjson');
  expect(r.status).toBe(200);
}

/** Parses the exposition text strictly: every sample belongs to a family announced by HELP and TYPE. */
function parseExposition(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  const typed = new Map<string, string>();
  const helped = new Set<string>();
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.trimEnd().split('\n')) {
    let m = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) \S.*$/.exec(line);
    if (m) {
      helped.add(m[1]);
      continue;
    }
    m = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary)$/.exec(line);
    if (m) {
      expect(helped.has(m[1]), `HELP before TYPE for ${m[1]}`).toBe(true);
      typed.set(m[1], m[2]);
      continue;
    }
    m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)((?:\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*\})?) (\S+)$/.exec(line);
    expect(m, `bad sample line: ${line}`).not.toBeNull();
    const family = m![1].replace(/_(bucket|sum|count)$/, (s) => (typed.get(m![1].slice(0, -s.length)) === 'histogram' ? '' : s));
    expect(typed.has(family), `sample ${m![1]} without TYPE`).toBe(true);
    if (typed.get(family) === 'counter') expect(family.endsWith('_total')).toBe(true);
    samples.set(m![1] + m![2], Number(m![3]));
  }
  return samples;
}

async function scrape(): Promise<Map<string, number>> {
  const r = await fetch(url + '/_metrics');
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parseExposition(await r.text());
}

describe('GET /_metrics', () => {
  it('counts ingest per API and queries with a latency histogram', async () => {
    await bulk([{ index: { _index: 'm1' } }, { a: 1 }, { delete: { _index: 'm1', _id: 'zz' } }, { create: { _index: 'm1' } }, { a: 2 }]);
    const d = delivery(['{"x":1}', '{"x":2}\n{"x":3}', 'text', Buffer.from([0xff, 0xfe])]);
    expectFirehoseResponse(await sendDelivery(url, d, { stream: 'm2' }), 200, d.requestId);
    await call(url, 'POST', '/m1/_refresh');
    for (let i = 0; i < 3; i++) expect((await call(url, 'POST', '/m1/_search', { query: { match_all: {} } })).status).toBe(200);
    expect((await call(url, 'GET', '/m1/_count')).status).toBe(200);
    expect((await call(url, 'POST', '/missing/_search', {})).status).toBe(404);

    const s = await scrape();
    expect(s.get('lookout_ingest_documents_total{api="bulk"}')).toBe(2);
    expect(s.get('lookout_ingest_documents_total{api="firehose"}')).toBe(4);
    expect(s.get('lookout_ingest_requests_total{api="firehose",outcome="success"}')).toBe(1);
    expect(s.get('lookout_ingest_failed_documents_total{api="firehose"}')).toBe(1);
    expect(s.get('lookout_ingest_bytes_total{api="firehose"}')).toBeGreaterThan(100);
    expect(s.get('lookout_query_requests_total{api="search",outcome="success"}')).toBe(3);
    expect(s.get('lookout_query_requests_total{api="search",outcome="error"}')).toBe(1);
    expect(s.get('lookout_query_requests_total{api="count",outcome="success"}')).toBe(1);
    expect(s.get('lookout_query_duration_seconds_count{api="search"}')).toBe(4);
    expect(s.get('lookout_query_duration_seconds_bucket{api="search",le="+Inf"}')).toBe(4);
    expect(s.get('lookout_query_duration_seconds_sum{api="search"}')).toBeGreaterThan(0);
    const buckets = [...s].filter(([k]) => k.startsWith('lookout_query_duration_seconds_bucket{api="search"')).map(([, v]) => v);
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b)); // cumulative
    expect(s.get('process_resident_memory_bytes')).toBeGreaterThan(1e6);
  });

  it('counts PutLogEvents events and GetLogEvents queries sent by the AWS SDK', async () => {
    const logs = new CloudWatchLogsClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/metrics/test' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/metrics/test', logStreamName: 's' }));
    const now = Date.now();
    await logs.send(new PutLogEventsCommand({ logGroupName: '/metrics/test', logStreamName: 's', logEvents: [0, 1, 2, 3, 4].map((i) => ({ timestamp: now + i, message: `line ${i}` })) }));
    await logs.send(new GetLogEventsCommand({ logGroupName: '/metrics/test', logStreamName: 's' }));
    logs.destroy();
    const s = await scrape();
    expect(s.get('lookout_ingest_documents_total{api="PutLogEvents"}')).toBe(5);
    expect(s.get('lookout_ingest_requests_total{api="PutLogEvents",outcome="success"}')).toBe(1);
    expect(s.get('lookout_query_requests_total{api="GetLogEvents",outcome="success"}')).toBe(1);
  });

  it('counts PutMetricData datapoints and GetMetricData queries sent by the AWS SDK', async () => {
    const cw = new CloudWatchClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const now = new Date();
    await cw.send(new PutMetricDataCommand({ Namespace: 'Test', MetricData: [{ MetricName: 'A', Value: 1, Timestamp: now }, { MetricName: 'B', Values: [1, 2, 3], Counts: [1, 1, 2], Timestamp: now }] }));
    await cw.send(new GetMetricDataCommand({
      StartTime: new Date(now.getTime() - 600_000), EndTime: new Date(now.getTime() + 60_000),
      MetricDataQueries: [{ Id: 'a', MetricStat: { Metric: { Namespace: 'Test', MetricName: 'A' }, Period: 60, Stat: 'Sum' } }],
    }));
    cw.destroy();
    const s = await scrape();
    expect(s.get('lookout_ingest_documents_total{api="PutMetricData"}')).toBe(4);
    expect(s.get('lookout_query_requests_total{api="GetMetricData",outcome="success"}')).toBe(1);
  });

  it('stores the counts every interval as Lookout datapoints in cwm-*, as deltas', async () => {
    await node.selfMetricsRecorder.record(); // the baseline interval holds everything so far
    await bulk([{ index: { _index: 'm1' } }, { a: 3 }, { index: { _index: 'm1' } }, { a: 4 }, { index: { _index: 'm1' } }, { a: 5 }]);
    expect((await call(url, 'POST', '/m1/_search', { size: 0 })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100)); // a new second: a new datapoint timestamp
    const docs = await node.selfMetricsRecorder.record();
    expect(docs.length).toBeGreaterThan(0);
    await call(url, 'POST', '/cwm-*/_refresh');
    const r = await call(url, 'POST', '/cwm-*/_search', {
      size: 100, query: { bool: { filter: [{ term: { namespace: 'Lookout' } }, { term: { 'dimensions.API': 'bulk' } }, { term: { metricName: 'IngestDocuments' } }] } },
    });
    const values = (r.body.hits.hits as any[]).map((h) => h._source).sort((a, b) => a['@timestamp'].localeCompare(b['@timestamp'])).map((s) => s.value);
    expect(values).toEqual([2, 3]);
    const lat = await call(url, 'POST', '/cwm-*/_search', { query: { bool: { filter: [{ term: { metricName: 'QueryLatency' } }, { term: { 'dimensions.API': 'search' } }] } }, sort: [{ '@timestamp': 'desc' }], size: 1 });
    const last = lat.body.hits.hits[0]._source;
    expect(last).toMatchObject({ namespace: 'Lookout', unit: 'Milliseconds', count: 1, storageResolution: 60, metricKey: 'Lookout\u001fQueryLatency\u001fAPI=search' });
    expect(last.min).toBeLessThanOrEqual(last.max);
  });
});
