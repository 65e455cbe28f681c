// The Debian AWS CLI (awsQuery: form requests, XML replies) against a real listening server:
// put-metric-alarm, describe-alarms, set-alarm-state (and its ResourceNotFound), describe-alarm-history,
// disable-alarm-actions and delete-alarms.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LookoutNode } from '../../server/node.ts';
import { startAppServer, type AppServer } from '../helpers/app-server.ts';
import { awsCli } from '../helpers/aws-cli.ts';

let server: AppServer;
let node: LookoutNode;

beforeAll(async () => {
  server = await startAppServer({ prefix: 'lookout-alarm-cli-' });
  node = server.node;
  await node.alertingReady;
  await node.metricAlarms.stop();
});

afterAll(() => server.close());

/** Runs the CLI against the server (its data dir as HOME). */
const aws = (args: string[]) => awsCli(server.url, server.dataDir, args);

describe('AWS CLI cloudwatch alarms', () => {
  it('put-metric-alarm, describe-alarms, set-alarm-state, describe-alarm-history, disable-alarm-actions, delete-alarms', async () => {
    const put = await aws([
      'cloudwatch', 'put-metric-alarm', '--alarm-name', 'cli-cpu', '--metric-name', 'CPUUtilization', '--namespace', 'AWS/EC2',
      '--statistic', 'Average', '--period', '60', '--evaluation-periods', '3', '--datapoints-to-alarm', '2', '--threshold', '80',
      '--comparison-operator', 'GreaterThanThreshold', '--dimensions', 'Name=InstanceId,Value=i-123', '--treat-missing-data', 'notBreaching',
      '--alarm-actions', 'arn:aws:sns:us-east-1:000000000000:oncall', '--tags', 'Key=lookout:cooldown-seconds,Value=300',
    ]);
    expect(put.stderr).toBe('');
    expect(put.code).toBe(0);

    const described = await aws(['cloudwatch', 'describe-alarms', '--alarm-names', 'cli-cpu']);
    expect(described.code).toBe(0);
    const alarm = JSON.parse(described.stdout).MetricAlarms[0];
    expect(alarm).toMatchObject({
      AlarmName: 'cli-cpu',
      AlarmArn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:cli-cpu',
      StateValue: 'INSUFFICIENT_DATA',
      StateReason: 'Unchecked: Initial alarm creation',
      Dimensions: [{ Name: 'InstanceId', Value: 'i-123' }],
      Threshold: 80,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
      AlarmActions: ['arn:aws:sns:us-east-1:000000000000:oncall'],
    });
    expect(Date.parse(alarm.StateUpdatedTimestamp)).toBeGreaterThan(Date.now() - 60_000);

    const missing = await aws(['cloudwatch', 'set-alarm-state', '--alarm-name', 'nope', '--state-value', 'ALARM', '--state-reason', 'x']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/\(ResourceNotFound\) when calling the SetAlarmState operation.*: Alarm nope not found/);

    expect((await aws(['cloudwatch', 'set-alarm-state', '--alarm-name', 'cli-cpu', '--state-value', 'ALARM', '--state-reason', 'drill'])).code).toBe(0);
    const history = await aws(['cloudwatch', 'describe-alarm-history', '--alarm-name', 'cli-cpu', '--history-item-type', 'StateUpdate']);
    expect(JSON.parse(history.stdout).AlarmHistoryItems.map((h: { HistorySummary: string }) => h.HistorySummary)).toEqual(['Alarm updated from INSUFFICIENT_DATA to ALARM']);

    expect((await aws(['cloudwatch', 'disable-alarm-actions', '--alarm-names', 'cli-cpu'])).code).toBe(0);
    const disabled = JSON.parse((await aws(['cloudwatch', 'describe-alarms', '--alarm-names', 'cli-cpu', '--state-value', 'ALARM'])).stdout).MetricAlarms;
    expect(disabled.map((a: { ActionsEnabled: boolean }) => a.ActionsEnabled)).toEqual([false]);

    expect((await aws(['cloudwatch', 'delete-alarms', '--alarm-names', 'cli-cpu'])).code).toBe(0);
    expect(node.metricAlarms.get('cli-cpu')).toBeUndefined();
  });
});
