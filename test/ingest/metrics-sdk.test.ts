// CloudWatch metrics through the official SDK over real HTTP: the current client (awsJson 1.0 with
// query-compatible errors) and the legacy 3.948.0 client (awsQuery form requests, XML replies), the
// same scenarios for both.

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Current from '@aws-sdk/client-cloudwatch';
import * as Legacy from 'client-cloudwatch-legacy';
import type { LookoutNode } from '../../server/node.ts';
import { startAppServer, type AppServer } from '../helpers/app-server.ts';

let server: AppServer;
let node: LookoutNode;
let endpoint: string;

beforeAll(async () => {
  server = await startAppServer({ prefix: 'lookout-metrics-' });
  ({ node, url: endpoint } = server);
});

afterAll(() => server.close());

const MIN = 60_000;
const base = Math.floor(Date.now() / (60 * MIN)) * 60 * MIN - 60 * MIN; // 1–2 hours ago, hour-aligned
const at = (minutes: number, seconds = 0) => new Date(base + minutes * MIN + seconds * 1000);

type Sdk = typeof Current;
const flavours: Array<[string, Sdk]> = [
  ['current (awsJson)', Current],
  ['legacy 3.948.0 (awsQuery/XML)', Legacy as unknown as Sdk],
];

describe.each(flavours)('CloudWatch metrics, %s client', (flavour, sdk) => {
  const ns = `Test/${flavour.split(' ')[0]}`;
  const client = () =>
    new sdk.CloudWatchClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, maxAttempts: 1 });
  const dims = [{ Name: 'Service', Value: 'api' }];

  async function expectError(p: Promise<unknown>, name: string, code: string) {
    const err = (await p.then(() => undefined, (e) => e)) as { name: string; Code?: string; $metadata: { httpStatusCode: number } };
    expect(err, 'expected the call to fail').toBeDefined();
    expect(err.name).toBe(name);
    // Query-compatible (JSON) and awsQuery errors both carry the query code.
    expect(err.Code ?? (err as { Error?: { Code: string } }).Error?.Code ?? code).toBe(code);
    expect(err.$metadata.httpStatusCode).toBe(400);
  }

  it('PutMetricData: Value, Values/Counts, StatisticValues, dimensions, unit, resolution', async () => {
    const c = client();
    await c.send(
      new sdk.PutMetricDataCommand({
        Namespace: ns,
        MetricData: [
          { MetricName: 'Latency', Dimensions: dims, Timestamp: at(0, 5), Value: 10, Unit: 'Milliseconds' },
          { MetricName: 'Latency', Dimensions: dims, Timestamp: at(0, 30), Values: [1, 2, 3], Counts: [1, 1, 2], Unit: 'Milliseconds', StorageResolution: 1 },
          { MetricName: 'Latency', Dimensions: dims, Timestamp: at(1, 0), Value: 20, Unit: 'Milliseconds' },
          { MetricName: 'Latency', Dimensions: dims, Timestamp: at(2, 0), StatisticValues: { SampleCount: 3, Sum: 30, Minimum: 5, Maximum: 15 }, Unit: 'Milliseconds' },
          { MetricName: 'Requests', Dimensions: [...dims, { Name: 'Host', Value: 'h1' }], Timestamp: at(0), Value: 1, Unit: 'Count' },
          { MetricName: 'Requests', Dimensions: [{ Name: 'Host', Value: 'h2' }, ...dims], Timestamp: at(1), Value: 2, Unit: 'Count' },
          { MetricName: 'Requests', Dimensions: [{ Name: 'Host', Value: 'h2' }, ...dims], Timestamp: at(2), Value: 4, Unit: 'Count' },
        ],
      }),
    );
  });

  it('GetMetricStatistics: every statistic, percentiles, Unit, period alignment', async () => {
    const out = await client().send(
      new sdk.GetMetricStatisticsCommand({
        Namespace: ns, MetricName: 'Latency', Dimensions: dims, StartTime: at(0, 20), EndTime: at(3), Period: 60,
        Statistics: ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum'], ExtendedStatistics: ['p50', 'p99'],
      }),
    );
    expect(out.Label).toBe('Latency');
    const dps = [...out.Datapoints!].sort((a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime());
    expect(dps.map((d) => d.Timestamp!.getTime())).toEqual([at(0), at(1), at(2)].map((d) => d.getTime()));
    // Minute 0 (aligned down from StartTime): 10 and 1, 2, 3, 3.
    expect(dps[0]).toMatchObject({ SampleCount: 5, Sum: 19, Average: 3.8, Minimum: 1, Maximum: 10, Unit: 'Milliseconds' });
    expect(dps[0].ExtendedStatistics).toEqual({ p50: 3, p99: 10 });
    expect(dps[1]).toMatchObject({ SampleCount: 1, Sum: 20, Minimum: 20, Maximum: 20 });
    // A statistic set with distinct values has no percentiles.
    expect(dps[2]).toMatchObject({ SampleCount: 3, Sum: 30, Average: 10, Minimum: 5, Maximum: 15 });
    expect(dps[2].ExtendedStatistics ?? {}).toEqual({});
    // Unit filter: no Count datapoints for this metric.
    const none = await client().send(
      new sdk.GetMetricStatisticsCommand({ Namespace: ns, MetricName: 'Latency', Dimensions: dims, StartTime: at(0), EndTime: at(3), Period: 60, Statistics: ['Sum'], Unit: 'Count' }),
    );
    expect(none.Datapoints ?? []).toEqual([]);
    // Dimensions must match exactly: Latency has no datapoints without dimensions.
    const noDims = await client().send(new sdk.GetMetricStatisticsCommand({ Namespace: ns, MetricName: 'Latency', StartTime: at(0), EndTime: at(3), Period: 180, Statistics: ['Sum'] }));
    expect(noDims.Datapoints ?? []).toEqual([]);
    const wide = await client().send(
      new sdk.GetMetricStatisticsCommand({ Namespace: ns, MetricName: 'Latency', Dimensions: dims, StartTime: at(0), EndTime: at(3), Period: 180, Statistics: ['SampleCount', 'Sum'] }),
    );
    expect(wide.Datapoints).toHaveLength(1);
    expect(wide.Datapoints![0]).toMatchObject({ SampleCount: 9, Sum: 69 });
  });

  it('GetMetricData: several queries, stats, percentiles, labels, ReturnData, math, ScanBy', async () => {
    const m = (name: string, d = dims) => ({ Namespace: ns, MetricName: name, Dimensions: d });
    const h2 = [{ Name: 'Service', Value: 'api' }, { Name: 'Host', Value: 'h2' }];
    const out = await client().send(
      new sdk.GetMetricDataCommand({
        StartTime: at(0), EndTime: at(3), ScanBy: 'TimestampAscending',
        MetricDataQueries: [
          { Id: 'avg', MetricStat: { Metric: m('Latency'), Period: 60, Stat: 'Average' } },
          { Id: 'p50', MetricStat: { Metric: m('Latency'), Period: 60, Stat: 'p50' }, Label: 'median' },
          { Id: 'cnt', MetricStat: { Metric: m('Latency'), Period: 60, Stat: 'SampleCount' }, ReturnData: false },
          { Id: 'req', MetricStat: { Metric: m('Requests', h2), Period: 60, Stat: 'Sum' }, ReturnData: false },
          { Id: 'e1', Expression: 'cnt * 2 + 1' },
          { Id: 'e2', Expression: 'req / cnt', Label: 'ratio' },
          { Id: 'e3', Expression: 'SUM([cnt, req])' },
          { Id: 'e4', Expression: 'AVG(req)' },
        ],
      }),
    );
    const byId = Object.fromEntries(out.MetricDataResults!.map((r) => [r.Id, r]));
    expect(Object.keys(byId)).toEqual(['avg', 'p50', 'e1', 'e2', 'e3', 'e4']);
    const ts = (r: { Timestamps?: Date[] }) => r.Timestamps!.map((d) => d.getTime());
    expect(ts(byId.avg)).toEqual([at(0), at(1), at(2)].map((d) => d.getTime()));
    expect(byId.avg.Values).toEqual([3.8, 20, 10]);
    expect(byId.avg.Label).toBe('Latency');
    expect(byId.avg.StatusCode).toBe('Complete');
    expect(byId.p50.Label).toBe('median');
    expect(byId.p50.Values).toEqual([3, 20]); // minute 2 holds a non-degenerate statistic set
    expect(byId.e1.Values).toEqual([11, 3, 7]);
    expect(byId.e2.Label).toBe('ratio');
    expect(ts(byId.e2)).toEqual([at(1), at(2)].map((d) => d.getTime()));
    expect(byId.e2.Values).toEqual([2, 4 / 3]);
    expect(byId.e3.Values).toEqual([5, 3, 7]);
    expect(byId.e4.Values).toEqual([3, 3, 3]);
    const desc = await client().send(
      new sdk.GetMetricDataCommand({ StartTime: at(0), EndTime: at(3), MetricDataQueries: [{ Id: 'a', MetricStat: { Metric: m('Latency'), Period: 60, Stat: 'Maximum' } }] }),
    );
    expect(ts(desc.MetricDataResults![0])).toEqual([at(2), at(1), at(0)].map((d) => d.getTime()));
    expect(desc.MetricDataResults![0].Values).toEqual([15, 20, 10]);
  });

  it('GetMetricData: pagination with MaxDatapoints and NextToken', async () => {
    const m = { Namespace: ns, MetricName: 'Latency', Dimensions: dims };
    const req = {
      StartTime: at(0), EndTime: at(3), MaxDatapoints: 2, ScanBy: 'TimestampAscending' as const,
      MetricDataQueries: [
        { Id: 'a', MetricStat: { Metric: m, Period: 60, Stat: 'Sum' } },
        { Id: 'b', MetricStat: { Metric: m, Period: 60, Stat: 'Minimum' } },
      ],
    };
    const pages: Array<Record<string, number[]>> = [];
    let token: string | undefined;
    do {
      const out = await client().send(new sdk.GetMetricDataCommand({ ...req, NextToken: token }));
      pages.push(Object.fromEntries(out.MetricDataResults!.map((r) => [r.Id!, r.Values ?? []])));
      if (out.NextToken) expect(out.MetricDataResults!.some((r) => r.StatusCode === 'PartialData')).toBe(true);
      token = out.NextToken;
    } while (token && pages.length < 10);
    expect(pages).toHaveLength(3);
    expect(pages.flatMap((p) => p.a)).toEqual([19, 20, 30]);
    expect(pages.flatMap((p) => p.b)).toEqual([1, 20, 5]);
    await expectError(client().send(new sdk.GetMetricDataCommand({ ...req, NextToken: 'bogus' })), 'InvalidNextToken', 'InvalidNextToken');
  });

  it('ListMetrics: namespace, name and dimension filters, RecentlyActive', async () => {
    const all = await client().send(new sdk.ListMetricsCommand({ Namespace: ns }));
    const names = all.Metrics!.map((mm) => `${mm.MetricName}:${mm.Dimensions!.map((d) => `${d.Name}=${d.Value}`).join(',')}`).sort();
    expect(names).toEqual(['Latency:Service=api', 'Requests:Host=h1,Service=api', 'Requests:Host=h2,Service=api']);
    const byName = await client().send(new sdk.ListMetricsCommand({ Namespace: ns, MetricName: 'Requests', Dimensions: [{ Name: 'Host' }] }));
    expect(byName.Metrics).toHaveLength(2);
    const byValue = await client().send(new sdk.ListMetricsCommand({ Namespace: ns, Dimensions: [{ Name: 'Host', Value: 'h2' }], RecentlyActive: 'PT3H' }));
    expect(byValue.Metrics!.map((mm) => mm.MetricName)).toEqual(['Requests']);
    expect(byValue.Metrics![0].Namespace).toBe(ns);
    const none = await client().send(new sdk.ListMetricsCommand({ Namespace: ns, Dimensions: [{ Name: 'Nope' }] }));
    expect(none.Metrics ?? []).toEqual([]);
  });

  it('ListMetrics: pagination over 500 metrics', async () => {
    const pns = `${ns}/many`;
    for (let chunk = 0; chunk < 2; chunk++) {
      await client().send(
        new sdk.PutMetricDataCommand({
          Namespace: pns,
          MetricData: Array.from({ length: 300 }, (_, i) => ({ MetricName: `m${chunk * 300 + i}`, Value: i, Timestamp: at(5) })),
        }),
      );
    }
    const first = await client().send(new sdk.ListMetricsCommand({ Namespace: pns }));
    expect(first.Metrics).toHaveLength(500);
    expect(first.NextToken).toBeTruthy();
    const second = await client().send(new sdk.ListMetricsCommand({ Namespace: pns, NextToken: first.NextToken }));
    expect(second.Metrics).toHaveLength(100);
    expect(second.NextToken).toBeUndefined();
    const all = new Set([...first.Metrics!, ...second.Metrics!].map((x) => x.MetricName));
    expect(all.size).toBe(600);
  });

  it('PutMetricData ≥ 10 KiB is gzipped by the SDK and stored', async () => {
    const gns = `${ns}/gzip`;
    const data = Array.from({ length: 1000 }, (_, i) => ({ MetricName: 'Big', Dimensions: [{ Name: 'Host', Value: 'host-0' }], Value: i, Timestamp: at(10, i % 60), Unit: 'Count' as const }));
    const seen: string[] = [];
    const c = client();
    c.middlewareStack.add((next) => async (args) => {
      const r = args.request as { headers: Record<string, string> };
      seen.push(r.headers['content-encoding'] ?? 'identity');
      return next(args);
    }, { step: 'finalizeRequest', name: 'recordEncoding' });
    await c.send(new sdk.PutMetricDataCommand({ Namespace: gns, MetricData: data }));
    expect(seen).toEqual(['gzip']);
    const out = await client().send(
      new sdk.GetMetricStatisticsCommand({ Namespace: gns, MetricName: 'Big', Dimensions: [{ Name: 'Host', Value: 'host-0' }], StartTime: at(10), EndTime: at(11), Period: 60, Statistics: ['SampleCount', 'Sum'] }),
    );
    expect(out.Datapoints![0]).toMatchObject({ SampleCount: 1000, Sum: (999 * 1000) / 2 });
  });

  it('periods start at StartTime (rounded down to the minute) and nothing before it counts', async () => {
    const ens = `${ns}/start`;
    const c = client();
    // `Dimensions: []`: the awsQuery client sends an empty list as `...Dimensions=` (no members).
    await c.send(new sdk.PutMetricDataCommand({ Namespace: ens, MetricData: [1, 3, 6].map((m, i) => ({ MetricName: 'Edge', Dimensions: [], Timestamp: at(m), Value: 10 * (i + 1) })) }));
    const window = { StartTime: at(2, 30), EndTime: at(15) };
    const gms = await c.send(new sdk.GetMetricStatisticsCommand({ Namespace: ens, MetricName: 'Edge', Dimensions: [], ...window, Period: 300, Statistics: ['SampleCount', 'Sum'] }));
    // Periods [2:00, 7:00) and [7:00, 12:00): the value at minute 1 is before StartTime.
    expect(gms.Datapoints!.map((d) => [d.Timestamp!.getTime(), d.SampleCount, d.Sum])).toEqual([[at(2).getTime(), 2, 50]]);
    const gmd = await c.send(
      new sdk.GetMetricDataCommand({ ...window, ScanBy: 'TimestampAscending', MetricDataQueries: [
        { Id: 's', MetricStat: { Metric: { Namespace: ens, MetricName: 'Edge', Dimensions: [] }, Period: 300, Stat: 'Sum' } },
        { Id: 'e', Expression: 's * 2' },
      ] }),
    );
    for (const r of gmd.MetricDataResults!) expect(r.Timestamps!.map((d) => d.getTime())).toEqual([at(2).getTime()]);
    expect(gmd.MetricDataResults!.map((r) => r.Values)).toEqual([[50], [100]]);
    const listed = await c.send(new sdk.ListMetricsCommand({ Namespace: ens, Dimensions: [] }));
    expect(listed.Metrics!.map((m) => m.MetricName)).toEqual(['Edge']);
  });

  it('a dimension name holding "=" is its own metric; units are not mixed; no percentiles over negative values', async () => {
    const ens = `${ns}/edges`;
    const c = client();
    await c.send(new sdk.PutMetricDataCommand({ Namespace: ens, MetricData: [
      { MetricName: 'Eq', Dimensions: [{ Name: 'a=b', Value: 'c' }], Timestamp: at(0), Value: 1 },
      { MetricName: 'Eq', Dimensions: [{ Name: 'a', Value: 'b=c' }], Timestamp: at(0), Value: 100 },
      { MetricName: 'Neg', Timestamp: at(0), Values: [-1, 5, 7] },
      { MetricName: 'Neg', Timestamp: at(1), Values: [0, 5, 7] },
    ] }));
    const sum = async (Dimensions: Current.Dimension[]) =>
      (await c.send(new sdk.GetMetricStatisticsCommand({ Namespace: ens, MetricName: 'Eq', Dimensions, StartTime: at(0), EndTime: at(1), Period: 60, Statistics: ['Sum'] }))).Datapoints!.map((d) => d.Sum);
    expect(await sum([{ Name: 'a=b', Value: 'c' }])).toEqual([1]);
    expect(await sum([{ Name: 'a', Value: 'b=c' }])).toEqual([100]);
    const listed = await c.send(new sdk.ListMetricsCommand({ Namespace: ens, MetricName: 'Eq' }));
    expect(listed.Metrics!.map((m) => `${m.Dimensions![0].Name}|${m.Dimensions![0].Value}`).sort()).toEqual(['a=b|c', 'a|b=c']);
    // Without a Unit, each unit's data is its own datapoint (no conversion, no adding up).
    await c.send(new sdk.PutMetricDataCommand({ Namespace: ens, MetricData: [
      { MetricName: 'U', Timestamp: at(0), Value: 1, Unit: 'Seconds' },
      { MetricName: 'U', Timestamp: at(0, 10), Value: 1000, Unit: 'Milliseconds' },
      { MetricName: 'U', Timestamp: at(0, 20), Value: 3, Unit: 'Seconds' },
    ] }));
    const units = await c.send(new sdk.GetMetricStatisticsCommand({ Namespace: ens, MetricName: 'U', StartTime: at(0), EndTime: at(1), Period: 60, Statistics: ['SampleCount', 'Sum'] }));
    expect(units.Datapoints!.map((d) => [d.Unit, d.SampleCount, d.Sum]).sort()).toEqual([['Milliseconds', 1, 1000], ['Seconds', 2, 4]]);
    const seconds = await c.send(new sdk.GetMetricStatisticsCommand({ Namespace: ens, MetricName: 'U', StartTime: at(0), EndTime: at(1), Period: 60, Statistics: ['Sum'], Unit: 'Seconds' }));
    expect(seconds.Datapoints!.map((d) => [d.Unit, d.Sum])).toEqual([['Seconds', 4]]);
    const neg = await c.send(new sdk.GetMetricStatisticsCommand({ Namespace: ens, MetricName: 'Neg', StartTime: at(0), EndTime: at(2), Period: 60, ExtendedStatistics: ['p50'] }));
    const byMinute = new Map(neg.Datapoints!.map((d) => [d.Timestamp!.getTime(), d.ExtendedStatistics]));
    expect(byMinute.get(at(0).getTime()) ?? {}).toEqual({});
    expect(byMinute.get(at(1).getTime())).toEqual({ p50: 5 });
  });

  it('sub-minute periods: high-resolution data by the second, standard resolution by the minute, none for data over 3 hours old', async () => {
    const sns = `${ns}/fine`;
    const c = client();
    const recent = Math.floor(Date.now() / MIN) * MIN - 30 * MIN;
    const old = recent - 4 * 60 * MIN;
    const t = (base: number, s: number) => new Date(base + s * 1000);
    await c.send(new sdk.PutMetricDataCommand({ Namespace: sns, MetricData: [
      { MetricName: 'Hi', Timestamp: t(recent, 5), Value: 1, StorageResolution: 1 },
      { MetricName: 'Hi', Timestamp: t(recent, 25), Value: 2, StorageResolution: 1 },
      { MetricName: 'Std', Timestamp: t(recent, 5), Value: 1 },
      { MetricName: 'Std', Timestamp: t(recent, 25), Value: 2 },
      { MetricName: 'Hi', Timestamp: t(old, 5), Value: 1, StorageResolution: 1 },
    ] }));
    const query = async (name: string, start: number, Period: number) => {
      const out = await c.send(new sdk.GetMetricDataCommand({ StartTime: new Date(start), EndTime: new Date(start + MIN), ScanBy: 'TimestampAscending', MetricDataQueries: [{ Id: 'a', MetricStat: { Metric: { Namespace: sns, MetricName: name }, Period, Stat: 'Sum' } }] }));
      const r = out.MetricDataResults![0];
      return r.Timestamps!.map((d, i) => [(d.getTime() - start) / 1000, r.Values![i]]);
    };
    expect(await query('Hi', recent, 10)).toEqual([[0, 1], [20, 2]]);
    expect(await query('Std', recent, 10)).toEqual([[0, 3]]);
    expect(await query('Hi', old, 10)).toEqual([]);
    expect(await query('Hi', old, 60)).toEqual([[0, 1]]);
    const gms = await c.send(new sdk.GetMetricStatisticsCommand({ Namespace: sns, MetricName: 'Hi', StartTime: new Date(old), EndTime: new Date(old + MIN), Period: 10, Statistics: ['Sum'] }));
    expect(gms.Datapoints ?? []).toEqual([]);
  });

  it('GetMetricData: range statistics (trimmed and winsorized means, trimmed count and sum, percentile rank, IQM)', async () => {
    const rns = `${ns}/range`;
    const c = client();
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    await c.send(new sdk.PutMetricDataCommand({ Namespace: rns, MetricData: [{ MetricName: 'R', Timestamp: at(0), Values: values.slice(0, 50) }, { MetricName: 'R', Timestamp: at(0, 30), Values: values.slice(50) }] }));
    const stats = ['tm90', 'TM(2%:98%)', 'IQM', 'TM(10:20)', 'wm98', 'tc50', 'ts50', 'PR(:30)', 'p50'];
    const out = await c.send(
      new sdk.GetMetricDataCommand({
        StartTime: at(0), EndTime: at(1),
        MetricDataQueries: stats.map((Stat, i) => ({ Id: `q${i}`, MetricStat: { Metric: { Namespace: rns, MetricName: 'R' }, Period: 60, Stat } })),
      }),
    );
    const got = Object.fromEntries(out.MetricDataResults!.map((r) => [stats[Number(r.Id!.slice(1))], r.Values![0]]));
    expect(got).toEqual({ tm90: 45.5, 'TM(2%:98%)': 50.5, IQM: 50.5, 'TM(10:20)': 15.5, wm98: 50.47, tc50: 50, ts50: 1275, 'PR(:30)': 30, p50: 50 });
  });

  it('PutMetricData over 1 MB: 413 RequestEntityTooLarge, nothing stored', async () => {
    const ens = `${ns}/large`;
    // Random dimension values, so the SDK's gzip cannot bring the body under the limit.
    const data = Array.from({ length: 1000 }, () => ({ MetricName: 'Huge', Dimensions: [{ Name: 'A', Value: randomBytes(768).toString('base64') }, { Name: 'B', Value: randomBytes(768).toString('base64') }], Value: 1 }));
    const err = (await client().send(new sdk.PutMetricDataCommand({ Namespace: ens, MetricData: data })).then(() => undefined, (e) => e)) as { name: string; $metadata: { httpStatusCode: number }; message: string };
    expect(err, 'expected the call to fail').toBeDefined();
    expect(err.$metadata.httpStatusCode).toBe(413);
    expect(err.name).toBe('RequestEntityTooLarge');
    expect(err.message).toMatch(/^Request size \d+ exceeded 1048576 bytes$/);
    const listed = await client().send(new sdk.ListMetricsCommand({ Namespace: ens }));
    expect(listed.Metrics ?? []).toEqual([]);
  });

  it('errors carry the SDK names and query codes', async () => {
    const c = client();
    const put = (MetricData: Current.MetricDatum[], Namespace = ns) => c.send(new sdk.PutMetricDataCommand({ Namespace, MetricData }));
    await expectError(put([{ MetricName: 'x', Value: 1 }], 'AWS/EC2'), 'InvalidParameterValueException', 'InvalidParameterValue');
    await expectError(put([{ MetricName: 'x', Value: NaN }]), 'InvalidParameterValueException', 'InvalidParameterValue');
    await expectError(put([{ MetricName: 'x', Value: Infinity }]), 'InvalidParameterValueException', 'InvalidParameterValue');
    await expectError(put([{ MetricName: 'x', Value: 1, Timestamp: new Date(Date.now() - 15 * 86400_000) }]), 'InvalidParameterValueException', 'InvalidParameterValue');
    await expectError(put([{ MetricName: 'x', Value: 1, Timestamp: new Date(Date.now() + 3 * 3600_000) }]), 'InvalidParameterValueException', 'InvalidParameterValue');
    await expectError(put([{ MetricName: 'x', Value: 1, StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 } }]), 'InvalidParameterCombinationException', 'InvalidParameterCombination');
    await expectError(put([{ MetricName: 'x', Values: [1, 2], Counts: [1] }]), 'InvalidParameterCombinationException', 'InvalidParameterCombination');
    await expectError(put([{ MetricName: 'x', Values: Array.from({ length: 151 }, (_, i) => i) }]), 'InvalidParameterValueException', 'InvalidParameterValue');
    await expectError(put([{ MetricName: 'x', Value: 1, Dimensions: Array.from({ length: 31 }, (_, i) => ({ Name: `d${i}`, Value: 'v' })) }]), 'InvalidParameterValueException', 'InvalidParameterValue');
    await expectError(put([{ MetricName: 'x'.repeat(256), Value: 1 }]), 'InvalidParameterValueException', 'InvalidParameterValue');
    await expectError(put([{ MetricName: 'x', Value: 1, StorageResolution: 30 }]), 'InvalidParameterValueException', 'InvalidParameterValue');
    await expectError(put(Array.from({ length: 1001 }, () => ({ MetricName: 'x', Value: 1 }))), 'InvalidParameterValueException', 'InvalidParameterValue');
    await expectError(put([{ MetricName: 'x', Value: 1, Unit: 'Parsecs' as never }]), 'InvalidParameterValueException', 'InvalidParameterValue');
    await expectError(put([{ MetricName: 'x', Value: 2 ** 400 }]), 'InvalidParameterValueException', 'InvalidParameterValue');
    await expectError(put([{ MetricName: 'x', Value: 1, Dimensions: [{ Name: 'a', Value: '1' }, { Name: 'a', Value: '2' }] }]), 'InvalidParameterValueException', 'InvalidParameterValue');
    const gms = (extra: Partial<Current.GetMetricStatisticsCommandInput>) =>
      c.send(new sdk.GetMetricStatisticsCommand({ Namespace: ns, MetricName: 'Latency', StartTime: at(0), EndTime: at(3), Period: 60, Statistics: ['Sum'], ...extra }));
    await expectError(gms({ Statistics: undefined }), 'InvalidParameterCombinationException', 'InvalidParameterCombination');
    await expectError(gms({ Period: 45 }), 'InvalidParameterValueException', 'InvalidParameterValue');
    await expectError(gms({ StartTime: at(0), EndTime: at(0) }), 'InvalidParameterValueException', 'InvalidParameterValue');
    await expectError(gms({ Period: 1, StartTime: at(0), EndTime: at(30) }), 'InvalidParameterCombinationException', 'InvalidParameterCombination');
    await expectError(gms({ ExtendedStatistics: ['p101'] }), 'InvalidParameterValueException', 'InvalidParameterValue');
    const gmd = (q: Current.MetricDataQuery[]) => c.send(new sdk.GetMetricDataCommand({ StartTime: at(0), EndTime: at(3), MetricDataQueries: q }));
    const metric = { Namespace: ns, MetricName: 'Latency', Dimensions: dims };
    await expectError(gmd([{ Id: 'Bad', MetricStat: { Metric: metric, Period: 60, Stat: 'Sum' } }]), 'InvalidParameterValueException', 'InvalidParameterValue');
    await expectError(gmd([{ Id: 'a', MetricStat: { Metric: metric, Period: 60, Stat: 'Median' } }]), 'InvalidParameterValueException', 'InvalidParameterValue');
    await expectError(gmd([{ Id: 'a', Expression: 'b * 2' }]), 'InvalidParameterValueException', 'InvalidParameterValue');
    await expectError(gmd([{ Id: 'a', Expression: 'm1 +' }]), 'InvalidParameterValueException', 'InvalidParameterValue');
    await expectError(gmd([{ Id: 'a', MetricStat: { Metric: metric, Period: 60, Stat: 'Sum' }, Expression: 'a' }]), 'InvalidParameterCombinationException', 'InvalidParameterCombination');
    await expectError(c.send(new sdk.ListMetricsCommand({ RecentlyActive: 'P1D' as never })), 'InvalidParameterValueException', 'InvalidParameterValue');
    await expectError(
      // More periods than a query may hold (a recent StartTime, so 1 s periods are allowed).
      c.send(new sdk.GetMetricDataCommand({ StartTime: at(0), EndTime: new Date(Date.now() + 30 * 86400_000), MetricDataQueries: [{ Id: 'a', MetricStat: { Metric: metric, Period: 1, Stat: 'Sum' } }] })),
      'InvalidParameterCombinationException',
      'InvalidParameterCombination',
    );
  });
});

describe('node.metrics (the MetricDataReader alarms use)', () => {
  it('answers a batch; a bad query reports InternalError without failing the others', async () => {
    const metric = { namespace: 'Test/current', metricName: 'Latency', dimensions: { Service: 'api' } };
    const out = await node.metrics.getMetricData(
      [
        { id: 'ok', metricStat: { metric, period: 60, stat: 'Sum' } },
        { id: 'bad', metricStat: { metric, period: 60, stat: 'tm101' } },
        { id: 'hidden', metricStat: { metric, period: 60, stat: 'Maximum' }, returnData: false },
        { id: 'e', expression: 'hidden - 1' },
      ],
      at(0).getTime(),
      at(3).getTime(),
    );
    expect(out.map((r) => [r.id, r.statusCode])).toEqual([['ok', 'Complete'], ['bad', 'InternalError'], ['e', 'Complete']]);
    expect(out[0].timestamps).toEqual([at(0), at(1), at(2)].map((d) => d.getTime()));
    expect(out[0].values).toEqual([19, 20, 30]);
    expect(out[1].messages?.[0].value).toMatch(/tm101/);
    expect(out[2].values).toEqual([9, 19, 14]);
  });
});

describe('datapoints are plain documents under cwm-*', () => {
  it('have the documented fields, dimensions mapped as keywords by the dynamic template', async () => {
    const mapping = (await (await fetch(`${endpoint}/cwm-*/_mapping`)).json()) as Record<string, { mappings: { properties: Record<string, any> } }>;
    const props = Object.values(mapping)[0].mappings.properties;
    expect(props.dimensions.properties.Service.type).toBe('keyword');
    expect(props.value.type).toBe('double');
    await fetch(`${endpoint}/cwm-*/_refresh`, { method: 'POST' });
    const res = (await (
      await fetch(`${endpoint}/cwm-*/_search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ size: 0, query: { bool: { filter: [{ term: { 'dimensions.Service': 'api' } }, { term: { metricName: 'Requests' } }] } }, aggs: { s: { sum: { field: 'value' } } } }),
      })
    ).json()) as { aggregations: { s: { value: number } } };
    expect(res.aggregations.s.value).toBe(14); // 1 + 2 + 4 from each client
  });
});
