// Acknowledged datapoints survive kill -9 (PutMetricData replies only after the translog fsync), and
// reads, ListMetrics included, work from the recovered indices.

import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { CloudWatchClient, GetMetricStatisticsCommand, ListMetricsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { startServer, tempDataDir, type ServerProcess } from '../helpers/server-process.ts';

const dataDir = tempDataDir('lookout-metrics-restart-');
let server: ServerProcess | undefined;

afterAll(async () => {
  await server?.stop('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const client = (url: string) => new CloudWatchClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, maxAttempts: 1 });

describe('metrics durability', () => {
  it('kill -9 right after the acknowledgement loses nothing', async () => {
    const HOUR = 3_600_000;
    const base = Math.floor(Date.now() / HOUR) * HOUR - HOUR;
    server = await startServer({ dataDir });
    const c = client(server.url);
    for (let batch = 0; batch < 3; batch++) {
      await c.send(
        new PutMetricDataCommand({
          Namespace: 'Durable',
          MetricData: Array.from({ length: 500 }, (_, i) => ({ MetricName: 'Hits', Dimensions: [{ Name: 'Host', Value: `h${i % 5}` }], Timestamp: new Date(base + (i % 60) * 1000), Value: batch + 1 })),
        }),
      );
    }
    await server.stop('SIGKILL');
    server = await startServer({ dataDir });
    const c2 = client(server.url);
    const stats = await c2.send(
      new GetMetricStatisticsCommand({ Namespace: 'Durable', MetricName: 'Hits', Dimensions: [{ Name: 'Host', Value: 'h3' }], StartTime: new Date(base), EndTime: new Date(base + 60_000), Period: 60, Statistics: ['SampleCount', 'Sum'] }),
    );
    expect(stats.Datapoints).toHaveLength(1);
    expect(stats.Datapoints![0]).toMatchObject({ SampleCount: 300, Sum: 100 * (1 + 2 + 3) });
    const list = await c2.send(new ListMetricsCommand({ Namespace: 'Durable' }));
    expect(list.Metrics!.map((m) => m.Dimensions![0].Value).sort()).toEqual(['h0', 'h1', 'h2', 'h3', 'h4']);
  });
});
