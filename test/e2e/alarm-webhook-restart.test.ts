// A metric alarm in ALARM survives kill -9 of the server: after the restart its state and history are
// back and evaluation resumes without deciding a second page (a re-delivery of the same notification,
// which at-least-once delivery allows, carries the same idempotency key).

import { rmSync } from 'node:fs';
import * as CW from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startServer, type ServerProcess } from '../helpers/server-process.ts';
import { startReceiver, type Receiver } from '../alarms/notifications-receiver.ts';

let server: ServerProcess;
let rx: Receiver;
const client = (url: string) => new CW.CloudWatchClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, maxAttempts: 1 });

beforeAll(async () => {
  server = await startServer();
  rx = await startReceiver();
  const r = await call(server.url, 'POST', '/_plugins/_notifications/configs', { config_id: 'pager', config: { name: 'pager', config_type: 'webhook', webhook: { url: `${rx.url}/hook` } } });
  expect(r.status).toBe(200);
});

afterAll(async () => {
  await server?.stop();
  await rx?.close();
  if (server) rmSync(server.dataDir, { recursive: true, force: true });
});

describe('metric alarm across kill -9', () => {
  it('keeps state and history and does not page again', async () => {
    const cw = client(server.url);
    const P = 10_000;
    const now = Math.floor(Date.now() / P) * P;
    // Breaching for the past minute and the next two: the alarm stays in ALARM throughout the test.
    const MetricData = Array.from({ length: 18 }, (_, i) => ({ MetricName: 'Errors', Timestamp: new Date(now + (i - 6) * P + 500), Value: 5, StorageResolution: 1 }));
    await cw.send(new CW.PutMetricDataCommand({ Namespace: 'Restart', MetricData }));
    await cw.send(
      new CW.PutMetricAlarmCommand({
        AlarmName: 'errors',
        MetricName: 'Errors',
        Namespace: 'Restart',
        Statistic: 'Sum',
        Period: 10,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: ['arn:aws:sns:us-east-1:000000000000:pager'],
      }),
    );
    const [page] = await rx.waitFor(1, 10_000);
    const key = page.json().idempotency_key;
    const before = (await cw.send(new CW.DescribeAlarmsCommand({ AlarmNames: ['errors'] }))).MetricAlarms![0];
    expect(before.StateValue).toBe('ALARM');

    await server.stop('SIGKILL');
    server = await startServer({ dataDir: server.dataDir, port: server.port });
    const cw2 = client(server.url);
    const after = (await cw2.send(new CW.DescribeAlarmsCommand({ AlarmNames: ['errors'] }))).MetricAlarms![0];
    expect(after).toEqual(before);
    // Two evaluation periods (10 s each, plus the lag) pass after the restart.
    await new Promise((r) => setTimeout(r, 13_000));
    const again = (await cw2.send(new CW.DescribeAlarmsCommand({ AlarmNames: ['errors'] }))).MetricAlarms![0];
    expect(again.StateValue).toBe('ALARM');
    expect(again.StateTransitionedTimestamp).toEqual(before.StateTransitionedTimestamp);
    expect(new Set(rx.requests.map((r) => r.json().idempotency_key))).toEqual(new Set([key]));
    const history = await cw2.send(new CW.DescribeAlarmHistoryCommand({ AlarmName: 'errors', HistoryItemType: 'StateUpdate' }));
    expect(history.AlarmHistoryItems!.map((h) => h.HistorySummary)).toEqual(['Alarm updated from INSUFFICIENT_DATA to ALARM']);
  });
});
