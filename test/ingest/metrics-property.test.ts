// Property test through the wire: random datapoints (single values and Values/Counts) go in with
// PutMetricData; GetMetricData and GetMetricStatistics must equal a brute-force computation over the
// expanded samples (nearest-rank percentiles, none for a period holding a negative value, see
// ingest/metrics/metric-buckets.ts).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CloudWatchClient, GetMetricDataCommand, GetMetricStatisticsCommand, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { startAppServer, type AppServer } from '../helpers/app-server.ts';

let server: AppServer;
let client: CloudWatchClient;

beforeAll(async () => {
  server = await startAppServer({ prefix: 'lookout-metrics-prop-' });
  client = new CloudWatchClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, maxAttempts: 1 });
});

afterAll(() => server.close());

function nearestRank(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length - 1e-9)) - 1];
}

const HOUR = 3_600_000;
const base = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
let run = 0;

describe('stats and percentiles equal brute force', () => {
  it('over random datapoints', async () => {
    const datum = fc.record({
      offsetS: fc.integer({ min: 0, max: 1799 }),
      value: fc.oneof(
        fc.record({ single: fc.integer({ min: -1000, max: 1000 }).map((x) => x / 4) }),
        fc.record({ values: fc.array(fc.tuple(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 4 })), { minLength: 1, maxLength: 8 }) }),
      ),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(datum, { minLength: 1, maxLength: 60 }), fc.constantFrom(60, 300, 600), fc.integer({ min: 0, max: 100 }), async (data, period, p) => {
        const ns = `Prop/run${run++}`;
        const samples: Array<{ ts: number; v: number }> = [];
        const metricData: MetricDatum[] = data.map((d) => {
          const ts = base + d.offsetS * 1000;
          if ('single' in d.value) {
            samples.push({ ts, v: d.value.single });
            return { MetricName: 'M', Timestamp: new Date(ts), Value: d.value.single };
          }
          for (const [v, c] of d.value.values) for (let k = 0; k < c; k++) samples.push({ ts, v });
          return { MetricName: 'M', Timestamp: new Date(ts), Values: d.value.values.map((x) => x[0]), Counts: d.value.values.map((x) => x[1]) };
        });
        await client.send(new PutMetricDataCommand({ Namespace: ns, MetricData: metricData }));

        const buckets = new Map<number, number[]>();
        for (const s of samples) {
          const b = Math.floor(s.ts / (period * 1000)) * period * 1000;
          buckets.set(b, [...(buckets.get(b) ?? []), s.v]);
        }
        const expectedTs = [...buckets.keys()].sort((a, b) => a - b);
        const metric = { Namespace: ns, MetricName: 'M' };
        const out = await client.send(
          new GetMetricDataCommand({
            StartTime: new Date(base), EndTime: new Date(base + 1800_000), ScanBy: 'TimestampAscending',
            MetricDataQueries: [
              { Id: 'sum', MetricStat: { Metric: metric, Period: period, Stat: 'Sum' } },
              { Id: 'avg', MetricStat: { Metric: metric, Period: period, Stat: 'Average' } },
              { Id: 'cnt', MetricStat: { Metric: metric, Period: period, Stat: 'SampleCount' } },
              { Id: 'pct', MetricStat: { Metric: metric, Period: period, Stat: `p${p}` } },
            ],
          }),
        );
        const r = Object.fromEntries(out.MetricDataResults!.map((x) => [x.Id!, x]));
        for (const id of ['sum', 'avg', 'cnt']) expect(r[id].Timestamps!.map((d) => d.getTime())).toEqual(expectedTs);
        const withPercentiles = expectedTs.filter((t) => buckets.get(t)!.every((v) => v >= 0));
        expect(r.pct.Timestamps!.map((d) => d.getTime())).toEqual(withPercentiles);
        expect(r.pct.Values).toEqual(withPercentiles.map((t) => nearestRank(buckets.get(t)!, p)));
        expectedTs.forEach((t, i) => {
          const vals = buckets.get(t)!;
          const sum = vals.reduce((a, v) => a + v, 0);
          expect(r.cnt.Values![i]).toBe(vals.length);
          expect(r.sum.Values![i]).toBeCloseTo(sum, 6);
          expect(r.avg.Values![i]).toBeCloseTo(sum / vals.length, 6);
        });

        const stats = await client.send(
          new GetMetricStatisticsCommand({
            Namespace: ns, MetricName: 'M', StartTime: new Date(base), EndTime: new Date(base + 1800_000), Period: period,
            Statistics: ['Minimum', 'Maximum', 'SampleCount'], ExtendedStatistics: [`p${p}`],
          }),
        );
        const dps = [...stats.Datapoints!].sort((a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime());
        expect(dps.map((d) => d.Timestamp!.getTime())).toEqual(expectedTs);
        dps.forEach((d, i) => {
          const vals = buckets.get(expectedTs[i])!;
          expect(d.Minimum).toBe(Math.min(...vals));
          expect(d.Maximum).toBe(Math.max(...vals));
          expect(d.SampleCount).toBe(vals.length);
          expect(d.ExtendedStatistics?.[`p${p}`]).toBe(vals.some((v) => v < 0) ? undefined : nearestRank(vals, p));
        });
      }),
      { numRuns: 15 },
    );
  });
});
