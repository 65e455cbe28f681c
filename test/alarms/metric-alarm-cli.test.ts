// The Debian AWS CLI (awsQuery: form requests, XML replies) against a real listening server:
// put-metric-alarm, describe-alarms, set-alarm-state (and its ResourceNotFound), describe-alarm-history,
// disable-alarm-actions and delete-alarms.

import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import type { LookoutNode } from '../../server/node.ts';
import { tempDataDir } from '../helpers/server-process.ts';

const AWS = '/usr/bin/aws';
let app: FastifyInstance;
let node: LookoutNode;
let endpoint: string;
const dataDir = tempDataDir('lookout-alarm-cli-');

beforeAll(async () => {
  ({ app, node } = await buildApp({ config: { ...loadConfig([], {}), dataDir } }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  await node.alertingReady;
  await node.metricAlarms.stop();
  endpoint = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});

afterAll(async () => {
  await app.close();
  await node.stopAlerting();
  node.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs the CLI asynchronously (the server shares this event loop). */
function aws(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dataDir,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
    AWS_MAX_ATTEMPTS: '1',
  };
  return new Promise((resolve) => {
    execFile(AWS, ['--endpoint-url', endpoint, '--output', 'json', ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

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
