// End to end over real HTTP: a Lookout server process, datapoints written with the AWS SDK, a
// high-resolution metric alarm (10 s periods, so the scheduler evaluates every 10 s) whose actions name a
// webhook channel, and a receiver on 127.0.0.1 that checks the page, its signature and its dedup key,
// then the resolve once the metric recovers.

import { createHmac } from 'node:crypto';
import { rmSync } from 'node:fs';
import * as CW from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startServer, type ServerProcess } from '../helpers/server-process.ts';
import { startReceiver, type Receiver } from '../alarms/notifications-receiver.ts';

const SECRET = 'e2e-s3cret';
const ARN = 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:api-latency';
let server: ServerProcess;
let rx: Receiver;
let cw: CW.CloudWatchClient;

beforeAll(async () => {
  server = await startServer();
  rx = await startReceiver();
  cw = new CW.CloudWatchClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, maxAttempts: 1 });
  const r = await call(server.url, 'POST', '/_plugins/_notifications/configs', {
    config_id: 'oncall',
    config: { name: 'on-call webhook', config_type: 'webhook', webhook: { url: `${rx.url}/hook`, secret: SECRET } },
  });
  expect(r.status).toBe(200);
});

afterAll(async () => {
  await server?.stop();
  await rx?.close();
  if (server) rmSync(server.dataDir, { recursive: true, force: true });
});

/** Writes `count` copies of `value` into each 10-second period starting at the given period starts. */
async function put(periodStarts: number[], value: number, count: number, service = 'api'): Promise<void> {
  const MetricData = periodStarts.flatMap((t) =>
    Array.from({ length: count }, (_, i) => ({
      MetricName: 'Latency',
      Dimensions: [{ Name: 'Service', Value: service }],
      Timestamp: new Date(t + 1000 + i),
      Value: value,
      Unit: 'Milliseconds' as const,
      StorageResolution: 1,
    })),
  );
  await cw.send(new CW.PutMetricDataCommand({ Namespace: 'MyApp', MetricData }));
}

function verify(req: { headers: Record<string, string>; body: string }): any {
  expect(req.headers['x-lookout-signature']).toBe('sha256=' + createHmac('sha256', SECRET).update(req.body).digest('hex'));
  const event = JSON.parse(req.body);
  expect(req.headers['x-lookout-idempotency-key']).toBe(event.idempotency_key);
  return event;
}

describe('metric alarm → webhook', () => {
  it('pages once when the alarm fires, then resolves with the same dedup key', async () => {
    const P = 10_000;
    const current = Math.floor(Date.now() / P) * P;
    // Breaching datapoints in the three complete periods before now.
    await put([current - 3 * P, current - 2 * P, current - P], 100, 1);
    await cw.send(
      new CW.PutMetricAlarmCommand({
        AlarmName: 'api-latency',
        AlarmDescription: 'API latency above 50 ms',
        MetricName: 'Latency',
        Namespace: 'MyApp',
        Statistic: 'Average',
        Dimensions: [{ Name: 'Service', Value: 'api' }],
        Period: 10,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        Threshold: 50,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: ['arn:aws:sns:us-east-1:000000000000:oncall'],
        OKActions: ['arn:aws:sns:us-east-1:000000000000:oncall'],
      }),
    );
    // A new alarm is evaluated right away.
    const [page] = await rx.waitFor(1, 10_000);
    const arrived = Date.now();
    const trigger = verify(page);
    expect(trigger).toMatchObject({ kind: 'trigger', source: 'metric_alarm', alarm: 'api-latency', state: 'ALARM', previous_state: 'INSUFFICIENT_DATA', dedup_key: ARN });
    expect(trigger.reason).toMatch(/^Threshold Crossed: \d out of the last 3 datapoints \[100\.0 \(.*\)\] were greater than the threshold \(50\.0\) \(minimum 2 datapoints for INSUFFICIENT_DATA -> ALARM transition\)\.$/);
    expect(trigger.details).toMatchObject({ AlarmArn: ARN, AlarmDescription: 'API latency above 50 ms', Trigger: { MetricName: 'Latency', Period: 10, Threshold: 50 } });

    const [alarm] = (await cw.send(new CW.DescribeAlarmsCommand({ AlarmNames: ['api-latency'] }))).MetricAlarms!;
    expect(alarm.StateValue).toBe('ALARM');
    expect(JSON.parse(alarm.StateReasonData!)).toMatchObject({ version: '1.0', statistic: 'Average', period: 10, threshold: 50 });
    // The webhook left within 2 s of the evaluation that decided the transition.
    expect(arrived - alarm.StateTransitionedTimestamp!.getTime()).toBeLessThan(2_000);

    // The metric recovers: enough low values in every recent and upcoming period pull each average below 50.
    const now = Math.floor(Date.now() / P) * P;
    await put([now - 3 * P, now - 2 * P, now - P, now, now + P, now + 2 * P], 0, 20);
    const requests = await rx.waitFor(2, 15_000);
    const resolve = verify(requests[1]);
    expect(resolve).toMatchObject({ kind: 'resolve', state: 'OK', previous_state: 'ALARM', dedup_key: ARN });
    expect(resolve.idempotency_key).not.toBe(trigger.idempotency_key);
    expect(resolve.reason).toMatch(/^Threshold Crossed: \d datapoints? (was|were) not greater than the threshold \(50\.0\)\./);

    const history = await cw.send(new CW.DescribeAlarmHistoryCommand({ AlarmName: 'api-latency', ScanBy: 'TimestampAscending' }));
    expect(history.AlarmHistoryItems!.map((h) => h.HistorySummary)).toEqual([
      'Alarm "api-latency" created',
      'Alarm updated from INSUFFICIENT_DATA to ALARM',
      'Successfully executed action arn:aws:sns:us-east-1:000000000000:oncall',
      'Alarm updated from ALARM to OK',
      'Successfully executed action arn:aws:sns:us-east-1:000000000000:oncall',
    ]);
    // Nothing else was sent: one page, one resolve.
    expect(rx.requests).toHaveLength(2);
  });

  it('a mute window keeps the transition but sends nothing, and history says so', async () => {
    const now = Date.now();
    const mute = await call(server.url, 'POST', '/_plugins/_lookout/mutes', { name: 'maintenance', start_time: now - 60_000, end_time: now + 600_000, names: ['muted-*'] });
    expect(mute.status).toBe(201);
    const before = rx.requests.length;
    const P = 10_000;
    const current = Math.floor(now / P) * P;
    await put([current - 2 * P, current - P], 1000, 1, 'batch');
    await cw.send(
      new CW.PutMetricAlarmCommand({
        AlarmName: 'muted-latency',
        MetricName: 'Latency',
        Namespace: 'MyApp',
        Statistic: 'Maximum',
        Dimensions: [{ Name: 'Service', Value: 'batch' }],
        Period: 10,
        EvaluationPeriods: 1,
        Threshold: 500,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: ['arn:aws:sns:us-east-1:000000000000:oncall'],
      }),
    );
    let items: CW.AlarmHistoryItem[] = [];
    for (let i = 0; i < 100 && items.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      items = (await cw.send(new CW.DescribeAlarmHistoryCommand({ AlarmName: 'muted-latency', HistoryItemType: 'Action' }))).AlarmHistoryItems!;
    }
    expect(items.map((h) => h.HistorySummary)).toEqual(['Action arn:aws:sns:us-east-1:000000000000:oncall was not executed: a mute window covers the ALARM transition']);
    expect(JSON.parse(items[0].HistoryData!)).toMatchObject({ actionState: 'Muted' });
    const [alarm] = (await cw.send(new CW.DescribeAlarmsCommand({ AlarmNames: ['muted-latency'] }))).MetricAlarms!;
    expect(alarm.StateValue).toBe('ALARM');
    await new Promise((r) => setTimeout(r, 300));
    expect(rx.requests.slice(before).filter((r) => r.json().alarm === 'muted-latency')).toEqual([]);
  });
});
