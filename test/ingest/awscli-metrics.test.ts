// The Debian AWS CLI (awsQuery: form requests, XML replies) against a real listening server:
// `cloudwatch put-metric-data` and `cloudwatch get-metric-statistics`, and an error's code.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer, type AppServer } from '../helpers/app-server.ts';
import { awsCli } from '../helpers/aws-cli.ts';

let server: AppServer;

beforeAll(async () => {
  server = await startAppServer({ prefix: 'lookout-awscli-' });
});

afterAll(() => server.close());

/** Runs the CLI against the server (its data dir as HOME). */
const aws = (args: string[]) => awsCli(server.url, server.dataDir, args);

const MIN = 60_000;
const base = Math.floor(Date.now() / (60 * MIN)) * 60 * MIN - 60 * MIN;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

describe('AWS CLI cloudwatch', () => {
  it('put-metric-data then get-metric-statistics', async () => {
    const one = await aws(['cloudwatch', 'put-metric-data', '--namespace', 'Cli/App', '--metric-name', 'Latency', '--dimensions', 'Service=api', '--unit', 'Milliseconds', '--value', '12.5', '--timestamp', iso(base)]);
    expect(one.stderr).toBe('');
    expect(one.code).toBe(0);
    const metricData = JSON.stringify([
      { MetricName: 'Latency', Dimensions: [{ Name: 'Service', Value: 'api' }], Timestamp: iso(base + 10_000), Values: [1, 2, 3], Counts: [1, 1, 2], Unit: 'Milliseconds' },
      { MetricName: 'Latency', Dimensions: [{ Name: 'Service', Value: 'api' }], Timestamp: iso(base + MIN), StatisticValues: { SampleCount: 2, Sum: 30, Minimum: 10, Maximum: 20 }, Unit: 'Milliseconds' },
    ]);
    const many = await aws(['cloudwatch', 'put-metric-data', '--namespace', 'Cli/App', '--metric-data', metricData]);
    expect(many.stderr).toBe('');
    expect(many.code).toBe(0);

    const got = await aws([
      'cloudwatch', 'get-metric-statistics', '--namespace', 'Cli/App', '--metric-name', 'Latency', '--dimensions', 'Name=Service,Value=api',
      '--start-time', iso(base), '--end-time', iso(base + 2 * MIN), '--period', '60', '--statistics', 'SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum',
    ]);
    expect(got.stderr).toBe('');
    const out = JSON.parse(got.stdout) as { Label: string; Datapoints: Array<Record<string, unknown>> };
    expect(out.Label).toBe('Latency');
    const dps = out.Datapoints.sort((a, b) => Date.parse(String(a.Timestamp)) - Date.parse(String(b.Timestamp)));
    expect(dps).toHaveLength(2);
    expect(Date.parse(String(dps[0].Timestamp))).toBe(base);
    expect(dps[0]).toMatchObject({ SampleCount: 5, Sum: 21.5, Average: 4.3, Minimum: 1, Maximum: 12.5, Unit: 'Milliseconds' });
    expect(dps[1]).toMatchObject({ SampleCount: 2, Sum: 30, Average: 15, Minimum: 10, Maximum: 20 });

    const pct = await aws([
      'cloudwatch', 'get-metric-statistics', '--namespace', 'Cli/App', '--metric-name', 'Latency', '--dimensions', 'Name=Service,Value=api',
      '--start-time', iso(base), '--end-time', iso(base + MIN), '--period', '60', '--extended-statistics', 'p50', 'p100',
    ]);
    expect(pct.stderr).toBe('');
    const p = JSON.parse(pct.stdout) as { Datapoints: Array<{ ExtendedStatistics: Record<string, number> }> };
    expect(p.Datapoints[0].ExtendedStatistics).toEqual({ p50: 3, p100: 12.5 });
  });

  it('reports CloudWatch error codes', async () => {
    const bad = await aws(['cloudwatch', 'put-metric-data', '--namespace', 'AWS/EC2', '--metric-name', 'X', '--value', '1']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/InvalidParameterValue/);
    const none = await aws([
      'cloudwatch', 'get-metric-statistics', '--namespace', 'Cli/App', '--metric-name', 'Latency',
      '--start-time', iso(base), '--end-time', iso(base + MIN), '--period', '60',
    ]);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/InvalidParameterCombination/);
  });
});
