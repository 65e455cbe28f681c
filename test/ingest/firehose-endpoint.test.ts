// The Firehose HTTP endpoint over real HTTP on 127.0.0.1: spec-exact deliveries from the simulator
// (every record format, gzip or not, CloudWatch Logs envelopes, Metric Streams, retries), checked byte
// for byte against specs/aws.md §1.2, and the stored documents checked through the OpenSearch API.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../server/config.ts';
import { parseFirehoseConfig } from '../../ingest/firehose/firehose-config.ts';
import { logIndexName } from '../../ingest/logs/log-event-document.ts';
import { metricKey } from '../../ingest/metrics/datapoint-document.ts';
import { startAppServer, type AppServer } from '../helpers/app-server.ts';
import { ROOT, call } from '../helpers/server-process.ts';
import { CloudWatchClient, GetMetricDataCommand, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DescribeLogGroupsCommand, DescribeLogStreamsCommand, FilterLogEventsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { cwlControlRecord, cwlRecord, delivery, expectFirehoseResponse, metricStreamsRecord, sendDelivery, type Delivery } from './firehose-simulator.ts';

// The spec's captures live in ../shared beside the project (CI and every session); elsewhere that test skips.
const CAPTURE = join(ROOT, '../shared/specs/aws-captures/firehose-synthetic-request.txt');

type Server = AppServer;

async function start(firehose: Record<string, unknown>, maxContentLength = DEFAULTS.maxContentLength): Promise<Server> {
  return startAppServer({ prefix: 'lookout-firehose-', config: { maxContentLength, firehose: parseFirehoseConfig(firehose) } });
}

function stop(s: Server): Promise<void> {
  return s.close();
}

/** `_search` through the OpenSearch API after a refresh; returns the hits' `_id`, `_index`, `_source`. */
async function search(s: Server, index: string, query: Record<string, unknown> = { match_all: {} }, size = 100): Promise<{ total: number; hits: any[] }> {
  await call(s.url, 'POST', `/${index}/_refresh?ignore_unavailable=true&allow_no_indices=true`);
  const r = await call(s.url, 'POST', `/${index}/_search?ignore_unavailable=true&allow_no_indices=true`, { query, size });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  const hits = (r.body.hits.hits as any[]).sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
  return { total: r.body.hits.total.value, hits };
}

async function ok(s: Server, d: Delivery, opts: Parameters<typeof sendDelivery>[2] = {}): Promise<number> {
  const res = await sendDelivery(s.url, d, { stream: 'app', ...opts });
  return expectFirehoseResponse(res, 200, d.requestId);
}

describe('Firehose endpoint: deliveries', () => {
  let s: Server;
  beforeAll(async () => {
    s = await start({
      streams: {
        daily: { index: 'daily-logs', rotation: 'OneDay' },
        weekly: { index: 'weekly', rotation: 'OneWeek' },
        'cwl-elsewhere': { index: 'subscriptions' },
        metrics: { format: 'metric-streams' },
        typed: { index: 'typed', template: { mappings: { properties: { code: { type: 'keyword' } } } } },
      },
    });
  });
  afterAll(() => stop(s));

  it.skipIf(!existsSync(CAPTURE))('accepts the synthetic capture byte for byte: CWL events as PutLogEvents stores them, the control message dropped', async () => {
    const text = readFileSync(CAPTURE, 'utf8');
    const datas = [...text.matchAll(/"data": "([^"]+)"/g)].map((m) => m[1]);
    expect(datas).toHaveLength(3);
    const requestId = 'ed4acda5-034f-9f42-bba1-f29aea6d7d8f';
    const body = JSON.stringify({ requestId, timestamp: 1704067260000, records: datas.map((data) => ({ data })) });
    const res = await sendDelivery(s.url, { requestId, timestamp: 0, records: [] }, {
      stream: 'cwl-to-obs', rawBody: body, gzip: true, sourceArn: 'arn:aws:firehose:us-east-1:123456789012:deliverystream/cwl-to-obs',
      headers: { 'X-Amz-Firehose-Common-Attributes': '{"commonAttributes":{"env":"prod","tenant":"t-42"}}' },
    });
    const ts = expectFirehoseResponse(res, 200, requestId);
    expect(Math.abs(ts - Date.now())).toBeLessThan(60_000);

    const logs = await search(s, 'cwl-app_web-*');
    expect(logs.hits.map((h) => h._id)).toEqual(['37000000000000000000000000000000000000000000000000000001', '37000000000000000000000000000000000000000000000000000002']);
    expect(logs.hits[0]._index).toBe(logIndexName('/app/web', 1704067200000));
    expect(logs.hits[0]._source).toEqual({
      '@timestamp': '2024-01-01T00:00:00.000Z', message: '{"level":"error","msg":"boom"}', logGroup: '/app/web', logStream: 'i-0abc',
      eventId: '37000000000000000000000000000000000000000000000000000001', ingestionTime: '2024-01-01T00:01:00.000Z',
    });
    const control = await search(s, 'cwl-*', { match: { message: 'CONTROL' } });
    expect(control.total).toBe(0);
    const direct = await search(s, 'cwl-to-obs');
    expect(direct.hits.map((h) => h._source)).toEqual([{ direct: 'put', env: 'prod', tenant: 't-42', '@timestamp': '2024-01-01T00:01:00.000Z' }]);
    expect(direct.hits[0]._id).toBe(`${requestId}-2`);
  });

  it('stores JSON, NDJSON and plain-text records, with @timestamp from the record or the delivery', async () => {
    const d = delivery([
      JSON.stringify({ level: 'info', msg: 'one', ts: 1 }),
      '{"n":1,"@timestamp":"2023-05-05T00:00:00Z"}\n{"n":2,"time":"x","timestamp":"2023-06-06T12:00:00Z"}\n\n{"n":3}\n',
      'GET /index.html 200\n',
      'line one\nline two',
      '{"pretty": true,\n "multi": "line"}',
    ]);
    await ok(s, d, { stream: 'plain', commonAttributes: { env: 'dev', level: 'ignored' } });
    const r = await search(s, 'plain');
    const byId = Object.fromEntries(r.hits.map((h) => [h._id.slice(d.requestId.length), h._source]));
    expect(byId).toEqual({
      '-0': { level: 'info', msg: 'one', ts: 1, env: 'dev', '@timestamp': '2024-01-01T00:01:00.000Z' },
      '-1-0': { n: 1, '@timestamp': '2023-05-05T00:00:00Z', env: 'dev', level: 'ignored' },
      '-1-1': { n: 2, time: 'x', timestamp: '2023-06-06T12:00:00Z', env: 'dev', level: 'ignored', '@timestamp': '2023-06-06T12:00:00.000Z' },
      '-1-3': { n: 3, env: 'dev', level: 'ignored', '@timestamp': '2024-01-01T00:01:00.000Z' },
      '-2': { '@timestamp': '2024-01-01T00:01:00.000Z', message: 'GET /index.html 200', env: 'dev', level: 'ignored' },
      '-3': { '@timestamp': '2024-01-01T00:01:00.000Z', message: 'line one\nline two', env: 'dev', level: 'ignored' },
      '-4': { pretty: true, multi: 'line', env: 'dev', level: 'ignored', '@timestamp': '2024-01-01T00:01:00.000Z' },
    });
    await ok(s, delivery(['{"n":4,"timestamp":1704067000}']), { stream: 'plain-seconds' });
    expect((await search(s, 'plain-seconds')).hits[0]._source['@timestamp']).toBe('2023-12-31T23:56:40.000Z');
  });

  it('answers a retry of the same request id with the same body and indexes nothing twice (gzip and not)', async () => {
    for (const gzip of [false, true]) {
      const d = delivery(Array.from({ length: 20 }, (_, i) => JSON.stringify({ i, gzip })));
      const first = await sendDelivery(s.url, d, { stream: 'retries', gzip });
      expectFirehoseResponse(first, 200, d.requestId);
      await new Promise((r) => setTimeout(r, 5));
      const again = await sendDelivery(s.url, d, { stream: 'retries', gzip });
      expect(again.body).toBe(first.body);
      expect(again.headers['content-type']).toBe('application/json');
    }
    expect((await search(s, 'retries')).total).toBe(40);
  });

  it('gives concurrent attempts of one request id one answer', async () => {
    const d = delivery(Array.from({ length: 200 }, (_, i) => JSON.stringify({ i })));
    const res = await Promise.all([1, 2, 3].map(() => sendDelivery(s.url, d, { stream: 'race' })));
    for (const r of res) expect(r.body).toBe(res[0].body);
    expectFirehoseResponse(res[0], 200, d.requestId);
    expect((await search(s, 'race')).total).toBe(200);
  });

  it('keeps undecodable records in .firehose-errors with their raw bytes and reason, and indexes the rest', async () => {
    const body = JSON.stringify({
      requestId: 'bad-records-1', timestamp: Date.parse('2024-01-01T00:01:00Z'),
      records: [
        { data: Buffer.from('{"fine":1}').toString('base64') },
        { data: 'not*base64!' },
        { data: Buffer.from([0xff, 0xfe, 0x00, 0x81]).toString('base64') },
        { data: Buffer.from([0x1f, 0x8b, 1, 2, 3, 4]).toString('base64') },
        { nodata: true },
        { data: Buffer.from('{"a":1}\nnot json\n{"b":2}').toString('base64') },
        { data: '' },
      ],
    });
    const res = await sendDelivery(s.url, { requestId: 'bad-records-1', timestamp: 0, records: [] }, { stream: 'mixed', rawBody: body });
    expectFirehoseResponse(res, 200, 'bad-records-1');
    expect((await search(s, 'mixed')).hits.map((h) => h._id)).toEqual(['bad-records-1-0', 'bad-records-1-5-0', 'bad-records-1-5-2']);
    const errors = await search(s, '.firehose-errors', { term: { requestId: 'bad-records-1' } });
    const byId = Object.fromEntries(errors.hits.map((h) => [h._id, h._source]));
    expect(Object.keys(byId).sort()).toEqual(['bad-records-1-1', 'bad-records-1-2', 'bad-records-1-3', 'bad-records-1-4', 'bad-records-1-5-1']);
    expect(byId['bad-records-1-1']).toMatchObject({ reason: 'record data is not valid base64', rawData: Buffer.from('not*base64!').toString('base64'), deliveryStream: 'mixed', index: 'mixed', recordIndex: 1 });
    expect(Buffer.from(byId['bad-records-1-2'].rawData, 'base64')).toEqual(Buffer.from([0xff, 0xfe, 0x00, 0x81]));
    expect(byId['bad-records-1-3'].reason).toMatch(/^gzip record could not be decompressed/);
    expect(Buffer.from(byId['bad-records-1-5-1'].rawData, 'base64').toString()).toBe('not json');
    expect(byId['bad-records-1-5-1']).toMatchObject({ part: 1, reason: 'line 2 of an NDJSON record is not a JSON object' });
    const everything = await call(s.url, 'POST', '/*/_search', { query: { term: { requestId: 'bad-records-1' } } });
    expect(everything.body.hits.total.value).toBe(0); // the error index is hidden from wildcards
  });

  it('keeps documents the engine refuses (mapping conflicts) in .firehose-errors', async () => {
    await ok(s, delivery([JSON.stringify({ field: 5 })]), { stream: 'conflict' });
    const d = delivery([JSON.stringify({ field: { nested: true } }), JSON.stringify({ field: 6 })]);
    await ok(s, d, { stream: 'conflict' });
    expect((await search(s, 'conflict')).total).toBe(2);
    const errors = await search(s, '.firehose-errors', { term: { requestId: d.requestId } });
    expect(errors.total).toBe(1);
    expect(errors.hits[0]._source.reason).toMatch(/mapper_parsing_exception|illegal_argument/);
    expect(JSON.parse(Buffer.from(errors.hits[0]._source.rawData, 'base64').toString())).toMatchObject({ field: { nested: true } });
  });

  it('stores CWL events where the CloudWatch Logs API reads them (FilterLogEvents through the AWS SDK)', async () => {
    const logs = new CloudWatchLogsClient({ endpoint: s.url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/lambda/via-firehose' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/aws/lambda/via-firehose', logStreamName: '2024/01/01/[$LATEST]abc' }));
    const t = Date.now() - 60_000;
    const events = [0, 1, 2].map((i) => ({ id: `3800000000000000000000000000000000000000000000000000000${i}`, timestamp: t + i, message: i === 1 ? 'ERROR boom' : `INFO ok ${i}` }));
    await ok(s, delivery([cwlRecord('/aws/lambda/via-firehose', '2024/01/01/[$LATEST]abc', events)], t + 10_000), { stream: 'lambda-logs', gzip: true });
    await call(s.url, 'POST', '/cwl-*/_refresh');
    const out = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/via-firehose', filterPattern: 'ERROR' }));
    logs.destroy();
    // CloudWatch's own ids carry no timestamp: the reader takes it from the document (regression test).
    expect(out.events?.map((e) => [e.eventId, e.timestamp, e.message, e.logStreamName])).toEqual([[events[1].id, t + 1, 'ERROR boom', '2024/01/01/[$LATEST]abc']]);
  });

  it("makes a subscription's log groups and streams known to the CloudWatch Logs API, durably, readable at once", async () => {
    const logs = new CloudWatchLogsClient({ endpoint: s.url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const group = '/aws/lambda/never-created';
    const t = Date.now() - 120_000;
    const events = [0, 1].map((i) => ({ id: `3900000000000000000000000000000000000000000000000000000${i}`, timestamp: t + 1000 * i, message: `line ${i}` }));
    await ok(s, delivery([cwlRecord(group, 'stream-a', events)], t + 10_000), { stream: 'lambda-logs', gzip: true });
    // Saved before the delivery was answered: a crash now would not lose the group of stored events.
    expect(Object.keys(JSON.parse(readFileSync(join(s.dataDir, 'logs-meta.json'), 'utf8')).groups)).toContain(group);
    const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }));
    expect(groups.logGroups?.map((g) => g.logGroupName)).toEqual([group]);
    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group }));
    expect(streams.logStreams?.map((x) => [x.logStreamName, x.firstEventTimestamp, x.lastEventTimestamp, x.lastIngestionTime])).toEqual([['stream-a', t, t + 1000, t + 10_000]]);
    // No explicit refresh: the Logs API refreshes a group Firehose wrote, as it does after PutLogEvents.
    const got = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 'stream-a', startFromHead: true }));
    expect(got.events?.map((e) => [e.timestamp, e.message])).toEqual([[t, 'line 0'], [t + 1000, 'line 1']]);
    const filtered = await logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: 'line' }));
    expect(filtered.events).toHaveLength(2);
    logs.destroy();
  });

  it('puts CWL events in the mapped index when the stream names one', async () => {
    const d = delivery([cwlRecord('/aws/lambda/fn', 'stream-1', [{ id: '9001', timestamp: 1704067200000, message: 'START' }]), cwlControlRecord()]);
    await ok(s, d, { stream: 'cwl-elsewhere' });
    const r = await search(s, 'subscriptions');
    expect(r.hits.map((h) => [h._id, h._source.logGroup, h._source.eventId])).toEqual([['9001', '/aws/lambda/fn', '9001']]);
    // Not in the group's cwl-* indices, so not the Logs API's: the group is not made known.
    const logs = new CloudWatchLogsClient({ endpoint: s.url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    expect((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/fn' }))).logGroups).toEqual([]);
    logs.destroy();
  });

  it('rotates the index by the delivery time (OneDay, OneWeek in ISO weeks)', async () => {
    const when = Date.parse('2016-02-25T13:00:00Z');
    await ok(s, delivery(['{"x":1}'], when), { stream: 'daily' });
    await ok(s, delivery(['{"x":1}'], when), { stream: 'weekly' });
    expect((await search(s, 'daily-logs-2016-02-25')).total).toBe(1);
    expect((await search(s, 'weekly-2016-w08')).total).toBe(1);
  });

  it('installs a stream template for its index', async () => {
    await ok(s, delivery(['{"code":404}']), { stream: 'typed' });
    const m = await call(s.url, 'GET', '/typed/_mapping');
    expect(m.body.typed.mappings.properties.code).toEqual({ type: 'keyword' });
  });

  it('stores Metric Streams records as datapoints, detected by shape or by the stream format', async () => {
    const line = (name: string, ts: number, dims: Record<string, string>, v: number) => ({
      metric_stream_name: 'ms', account_id: '123456789012', region: 'us-east-1', namespace: 'AWS/Kinesis', metric_name: name,
      dimensions: dims, timestamp: ts, value: { max: v, min: v / 2, sum: v * 3, count: 3 }, unit: 'Count',
    });
    const t = Date.parse('2024-03-01T10:00:00Z');
    const d1 = delivery([metricStreamsRecord([line('IncomingRecords', t, { StreamName: 's1' }, 10), line('IncomingRecords', t + 60_000, { StreamName: 's1' }, 20)])]);
    await ok(s, d1, { stream: 'anything' });
    const d2 = delivery([metricStreamsRecord([line('GetRecords.IteratorAgeMilliseconds', t, { StreamName: 's1' }, 5)]), '{"not":"a metric"}']);
    await ok(s, d2, { stream: 'metrics' });
    await ok(s, d1, { stream: 'anything' }); // a replay: same ids
    const r = await search(s, 'cwm-2024.03.01', { term: { namespace: 'AWS/Kinesis' } });
    expect(r.total).toBe(3);
    const first = r.hits.find((h) => h._source.metricName === 'IncomingRecords' && h._source['@timestamp'] === '2024-03-01T10:00:00.000Z');
    expect(first._source).toEqual({
      '@timestamp': '2024-03-01T10:00:00.000Z', namespace: 'AWS/Kinesis', metricName: 'IncomingRecords', dimensions: { StreamName: 's1' },
      metricKey: metricKey('AWS/Kinesis', 'IncomingRecords', { StreamName: 's1' }), sum: 30, count: 3, min: 5, max: 10, unit: 'Count', storageResolution: 60,
    });
    expect((await search(s, 'anything')).total).toBe(0);
    const errors = await search(s, '.firehose-errors', { term: { requestId: d2.requestId } });
    expect(errors.hits.map((h) => h._source.reason)).toEqual(['Metric Streams record needs namespace and metric_name strings']);
  });

  it("answers percentiles and trimmed means from Metric Streams' additional statistics for a period of one datapoint", async () => {
    const t = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000; // an hour-aligned hour ago
    const line = (ts: number, p99: number) => ({
      metric_stream_name: 'ms', account_id: '123456789012', region: 'us-east-1', namespace: 'AWS/Kinesis', metric_name: 'GetRecords.Latency',
      dimensions: { StreamName: 'orders' }, timestamp: ts, unit: 'Milliseconds',
      value: { max: 100, min: 1, sum: 500, count: 10, p99, 'p99.9': p99 + 1, 'TM(10%:90%)': 33.5, note: 'not a statistic' },
    });
    await ok(s, delivery([metricStreamsRecord([line(t, 95), line(t + 60_000, 97)])]), { stream: 'metrics' });
    const cw = new CloudWatchClient({ endpoint: s.url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const metric = { Namespace: 'AWS/Kinesis', MetricName: 'GetRecords.Latency', Dimensions: [{ Name: 'StreamName', Value: 'orders' }] };
    const gmd = (Period: number, Stat: string) =>
      cw.send(new GetMetricDataCommand({ StartTime: new Date(t), EndTime: new Date(t + 300_000), ScanBy: 'TimestampAscending', MetricDataQueries: [{ Id: 'q', MetricStat: { Metric: metric, Period, Stat } }] }))
        .then((out) => out.MetricDataResults![0].Values);
    expect(await gmd(60, 'p99')).toEqual([95, 97]);
    expect(await gmd(60, 'p99.9')).toEqual([96, 98]);
    expect(await gmd(60, 'TM(10%:90%)')).toEqual([33.5, 33.5]);
    expect(await gmd(60, 'Average')).toEqual([50, 50]);
    // Two minutes' percentiles do not make the percentile of both: a 5-minute period has none.
    expect(await gmd(300, 'p99')).toEqual([]);
    expect(await gmd(60, 'p50')).toEqual([]); // not streamed
    const gms = await cw.send(new GetMetricStatisticsCommand({ ...metric, StartTime: new Date(t), EndTime: new Date(t + 60_000), Period: 60, ExtendedStatistics: ['p99'] }));
    expect(gms.Datapoints?.map((d) => d.ExtendedStatistics)).toEqual([{ p99: 95 }]);
    cw.destroy();
  });

  it('names the stream by its source ARN on POST /_firehose', async () => {
    const d = delivery(['{"via":"arn"}']);
    const res = await sendDelivery(s.url, d, { sourceArn: 'arn:aws:firehose:eu-west-1:123456789012:deliverystream/From-Arn' });
    expectFirehoseResponse(res, 200, d.requestId);
    expect((await search(s, 'from-arn')).total).toBe(1);
  });
});

describe('Firehose endpoint: refused requests', () => {
  let s: Server;
  beforeAll(async () => {
    s = await start({ access_keys: ['k-global'], streams: { private: { index: 'private', access_keys: ['k-private'] } } }, 64 * 1024);
  });
  afterAll(() => stop(s));

  it('checks the access key: 401 missing or unknown, 403 a key of another stream, 200 the right one', async () => {
    const d = delivery(['{"a":1}']);
    expectFirehoseResponse(await sendDelivery(s.url, d, { stream: 'open' }), 401, d.requestId, /Missing X-Amz-Firehose-Access-Key/);
    expectFirehoseResponse(await sendDelivery(s.url, d, { stream: 'open', accessKey: 'nope' }), 401, d.requestId, /Invalid/);
    expectFirehoseResponse(await sendDelivery(s.url, d, { stream: 'private', accessKey: 'k-global' }), 403, d.requestId, /may not deliver/);
    expectFirehoseResponse(await sendDelivery(s.url, d, { stream: 'private', accessKey: 'k-private' }), 200, d.requestId);
    const d2 = delivery(['{"a":1}']);
    expectFirehoseResponse(await sendDelivery(s.url, d2, { stream: 'open', accessKey: 'k-global' }), 200, d2.requestId);
  });

  it('refuses malformed requests with 400 and the spec error body', async () => {
    const d = delivery(['{"a":1}']);
    const k = { stream: 'open', accessKey: 'k-global' };
    expectFirehoseResponse(await sendDelivery(s.url, d, { ...k, rawBody: '{"requestId": "x", "records": [' }), 400, d.requestId, /not a JSON document/);
    expectFirehoseResponse(await sendDelivery(s.url, d, { ...k, rawBody: JSON.stringify({ timestamp: 1, records: [] }) }), 400, d.requestId, /Missing requestId/);
    expectFirehoseResponse(await sendDelivery(s.url, d, { ...k, rawBody: JSON.stringify({ requestId: 'other', timestamp: 1, records: [] }) }), 400, d.requestId, /differ/);
    expectFirehoseResponse(await sendDelivery(s.url, d, { ...k, rawBody: JSON.stringify({ requestId: d.requestId, timestamp: 1, records: {} }) }), 400, d.requestId, /Missing records/);
    expectFirehoseResponse(await sendDelivery(s.url, d, { ...k, rawBody: JSON.stringify({ requestId: d.requestId, timestamp: '1', records: [] }) }), 400, d.requestId, /timestamp must be a number/);
    expectFirehoseResponse(await sendDelivery(s.url, d, { ...k, headers: { 'Content-Encoding': 'gzip' } }), 400, d.requestId, /could not be decompressed/);
    expectFirehoseResponse(await sendDelivery(s.url, d, { ...k, headers: { 'X-Amz-Firehose-Common-Attributes': 'env=prod' } }), 400, d.requestId, /Common-Attributes/);
    const noHeader = await sendDelivery(s.url, d, { ...k, noRequestIdHeader: true, rawBody: '[]' });
    expectFirehoseResponse(noHeader, 400, '', /must be a JSON object/);
    const bodyIdOnly = await sendDelivery(s.url, d, { ...k, noRequestIdHeader: true, rawBody: JSON.stringify({ requestId: 'from-body', timestamp: 1 }) });
    expectFirehoseResponse(bodyIdOnly, 400, 'from-body', /Missing records/);
  });

  it('answers 413 for a body over the limit, compressed or decompressed', async () => {
    const big = delivery([Buffer.alloc(80 * 1024, 'a').toString()]);
    expectFirehoseResponse(await sendDelivery(s.url, big, { stream: 'open', accessKey: 'k-global' }), 413, big.requestId, /http.max_content_length/);
    expectFirehoseResponse(await sendDelivery(s.url, big, { stream: 'open', accessKey: 'k-global', gzip: true }), 413, big.requestId, /decompressed body exceeds/);
  });

  it('leaves other routes with OpenSearch errors', async () => {
    const r = await call(s.url, 'GET', '/_firehose/x');
    expect(r.status).toBe(400);
    expect(r.body.error.type).toBe('illegal_argument_exception');
  });
});

describe('Firehose endpoint: overload', () => {
  let s: Server;
  beforeAll(async () => {
    s = await start({ max_in_flight_records: 300 });
  });
  afterAll(() => stop(s));

  it('tells deliveries beyond the in-flight limit to slow down (429) and takes them on retry', async () => {
    const ds = [1, 2, 3, 4].map(() => delivery(Array.from({ length: 200 }, (_, i) => JSON.stringify({ i, pad: 'x'.repeat(200) }))));
    const res = await Promise.all(ds.map((d) => sendDelivery(s.url, d, { stream: 'busy' })));
    const statuses = res.map((r) => r.status);
    expect(statuses).toContain(200);
    expect(statuses).toContain(429);
    res.forEach((r, i) => expectFirehoseResponse(r, r.status, ds[i].requestId, r.status === 429 ? /busy/ : undefined));
    for (const [i, r] of res.entries()) {
      if (r.status === 429) expectFirehoseResponse(await sendDelivery(s.url, ds[i], { stream: 'busy' }), 200, ds[i].requestId);
    }
    expect((await search(s, 'busy', { match_all: {} }, 0)).total).toBe(800);
  });
});

