// The CloudWatch alarm operations through the official clients — the current one (awsJson 1.0, query
// compatible) and the legacy one (awsQuery/XML, 3.948.0) — against a real server listening on 127.0.0.1.

import { rmSync } from 'node:fs';
import * as CW from '@aws-sdk/client-cloudwatch';
import * as Legacy from 'client-cloudwatch-legacy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LookoutNode } from '../../server/node.ts';
import { startAppServer, type AppServer } from '../helpers/app-server.ts';
import { tempDataDir } from '../helpers/server-process.ts';

const creds = { accessKeyId: 'AKID', secretAccessKey: 'secret' };
let server: AppServer;
let node: LookoutNode;
let dataDir: string;
let cw: CW.CloudWatchClient;
let legacy: Legacy.CloudWatchClient;

async function start(dir: string): Promise<string> {
  server = await startAppServer({ dataDir: dir, config: { alarms: { evaluationLagMs: 2000, maxMetricAlarms: 40 } } });
  node = server.node;
  const address = server.url;
  // These tests are about the API: no evaluation runs behind them (test/e2e/alarm-webhook.test.ts evaluates).
  await node.alertingReady;
  await node.metricAlarms.stop();
  cw = new CW.CloudWatchClient({ endpoint: address, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
  legacy = new Legacy.CloudWatchClient({ endpoint: address, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
  return address;
}

async function stop(): Promise<void> {
  await server.close({ keepData: true });
}

beforeAll(async () => {
  dataDir = tempDataDir('lookout-alarms-');
  await start(dataDir);
});
afterAll(async () => {
  await stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The error a call rejects with (fails the test when it resolves). */
async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number; code?: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number }; Code?: string };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode, code: err.Code };
  }
  throw new Error('expected the call to fail');
}

const topic = (id: string) => `arn:aws:sns:us-east-1:000000000000:${id}`;
const base = {
  MetricName: 'Latency',
  Namespace: 'MyApp',
  Statistic: 'Average' as const,
  Dimensions: [{ Name: 'Service', Value: 'api' }],
  Period: 60,
  EvaluationPeriods: 3,
  Threshold: 12,
  ComparisonOperator: 'GreaterThanThreshold' as const,
};

describe('PutMetricAlarm / DescribeAlarms (current client, awsJson)', () => {
  it('creates an alarm as captured and describes it in AWS shape', async () => {
    await cw.send(
      new CW.PutMetricAlarmCommand({
        AlarmName: 'high-latency',
        OKActions: [topic('oncall')],
        AlarmActions: [topic('oncall')],
        MetricName: 'Latency',
        Namespace: 'MyApp',
        ExtendedStatistic: 'p99',
        Dimensions: [{ Name: 'Service', Value: 'api' }],
        Period: 60,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        Threshold: 12,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'breaching',
        EvaluateLowSampleCountPercentile: 'ignore',
        Tags: [{ Key: 'team', Value: 'core' }],
      }),
    );
    const out = await cw.send(new CW.DescribeAlarmsCommand({ AlarmNamePrefix: 'high-' }));
    expect(out.CompositeAlarms).toEqual([]);
    expect(out.MetricAlarms).toHaveLength(1);
    const a = out.MetricAlarms![0];
    expect(a).toMatchObject({
      AlarmName: 'high-latency',
      AlarmArn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:high-latency',
      ActionsEnabled: true,
      OKActions: [topic('oncall')],
      AlarmActions: [topic('oncall')],
      InsufficientDataActions: [],
      StateValue: 'INSUFFICIENT_DATA',
      StateReason: 'Unchecked: Initial alarm creation',
      ExtendedStatistic: 'p99',
      Dimensions: [{ Name: 'Service', Value: 'api' }],
      Period: 60,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      Threshold: 12,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'breaching',
      EvaluateLowSampleCountPercentile: 'ignore',
    });
    expect(a.StateUpdatedTimestamp).toBeInstanceOf(Date);
    expect(Math.abs(a.AlarmConfigurationUpdatedTimestamp!.getTime() - Date.now())).toBeLessThan(10_000);
  });

  it('an update keeps the state and is a ConfigurationUpdate in history', async () => {
    await cw.send(new CW.SetAlarmStateCommand({ AlarmName: 'high-latency', StateValue: 'ALARM', StateReason: 'manual test', StateReasonData: '{"test":true}' }));
    await cw.send(new CW.PutMetricAlarmCommand({ ...base, AlarmName: 'high-latency', Threshold: 20 }));
    const [a] = (await cw.send(new CW.DescribeAlarmsCommand({ AlarmNames: ['high-latency'] }))).MetricAlarms!;
    expect(a).toMatchObject({ StateValue: 'ALARM', StateReason: 'manual test', StateReasonData: '{"test":true}', Threshold: 20, Statistic: 'Average' });
    expect(a.ExtendedStatistic).toBeUndefined();
    const h = await cw.send(new CW.DescribeAlarmHistoryCommand({ AlarmName: 'high-latency', HistoryItemType: 'ConfigurationUpdate' }));
    expect(h.AlarmHistoryItems!.map((i) => i.HistorySummary)).toEqual(['Alarm "high-latency" updated', 'Alarm "high-latency" created']);
    expect(JSON.parse(h.AlarmHistoryItems![0].HistoryData!)).toMatchObject({ type: 'Update', updatedAlarm: { Threshold: 20 } });
  });

  it('SetAlarmState writes a StateUpdate with old and new state', async () => {
    await cw.send(new CW.SetAlarmStateCommand({ AlarmName: 'high-latency', StateValue: 'OK', StateReason: 'back to normal' }));
    const h = await cw.send(new CW.DescribeAlarmHistoryCommand({ AlarmName: 'high-latency', HistoryItemType: 'StateUpdate' }));
    expect(h.AlarmHistoryItems!.map((i) => i.HistorySummary)).toEqual(['Alarm updated from ALARM to OK', 'Alarm updated from INSUFFICIENT_DATA to ALARM']);
    const item = h.AlarmHistoryItems![0];
    expect(item).toMatchObject({ AlarmName: 'high-latency', AlarmType: 'MetricAlarm', HistoryItemType: 'StateUpdate' });
    expect(item.Timestamp).toBeInstanceOf(Date);
    expect(JSON.parse(item.HistoryData!)).toEqual({ version: '1.0', oldState: { stateValue: 'ALARM', stateReason: 'manual test' }, newState: { stateValue: 'OK', stateReason: 'back to normal' } });
  });

  it('filters by StateValue and ActionPrefix, and pages with MaxRecords/NextToken', async () => {
    for (let i = 0; i < 7; i++) await cw.send(new CW.PutMetricAlarmCommand({ ...base, AlarmName: `page-${i}`, AlarmActions: i % 2 ? [topic('team-a')] : [] }));
    await cw.send(new CW.SetAlarmStateCommand({ AlarmName: 'page-3', StateValue: 'ALARM', StateReason: 'x' }));
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await cw.send(new CW.DescribeAlarmsCommand({ AlarmNamePrefix: 'page-', MaxRecords: 3, NextToken: token }));
      names.push(...out.MetricAlarms!.map((a) => a.AlarmName!));
      token = out.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(names).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4', 'page-5', 'page-6']);
    const alarmState = await cw.send(new CW.DescribeAlarmsCommand({ AlarmNamePrefix: 'page-', StateValue: 'ALARM' }));
    expect(alarmState.MetricAlarms!.map((a) => a.AlarmName)).toEqual(['page-3']);
    const byAction = await cw.send(new CW.DescribeAlarmsCommand({ ActionPrefix: 'arn:aws:sns:us-east-1:000000000000:team-' }));
    expect(byAction.MetricAlarms!.map((a) => a.AlarmName)).toEqual(['page-1', 'page-3', 'page-5']);
    const composite = await cw.send(new CW.DescribeAlarmsCommand({ AlarmTypes: ['CompositeAlarm'] }));
    expect(composite.MetricAlarms).toEqual([]);
    expect(await failure(cw.send(new CW.DescribeAlarmsCommand({ NextToken: 'garbage!' })))).toMatchObject({ name: 'InvalidNextToken', status: 400 });
    expect(await failure(cw.send(new CW.DescribeAlarmsCommand({ MaxRecords: 101 })))).toMatchObject({ name: 'ValidationException', code: 'ValidationError' });
    expect(await failure(cw.send(new CW.DescribeAlarmsCommand({ AlarmNames: ['a'], AlarmNamePrefix: 'a' })))).toMatchObject({ name: 'InvalidParameterCombinationException' });
  });

  it('DescribeAlarmsForMetric matches metric, dimensions and statistic', async () => {
    await cw.send(new CW.PutMetricAlarmCommand({ ...base, AlarmName: 'other-dims', Dimensions: [{ Name: 'Service', Value: 'web' }] }));
    const out = await cw.send(new CW.DescribeAlarmsForMetricCommand({ MetricName: 'Latency', Namespace: 'MyApp', Dimensions: [{ Name: 'Service', Value: 'web' }] }));
    expect(out.MetricAlarms!.map((a) => a.AlarmName)).toEqual(['other-dims']);
    const all = await cw.send(new CW.DescribeAlarmsForMetricCommand({ MetricName: 'Latency', Namespace: 'MyApp', Statistic: 'Average' }));
    expect(all.MetricAlarms!.length).toBe(9);
    expect(await failure(cw.send(new CW.DescribeAlarmsForMetricCommand({ MetricName: 'Latency' } as never)))).toMatchObject({ name: 'MissingRequiredParameterException', code: 'MissingParameter' });
  });

  it('Disable/EnableAlarmActions toggle ActionsEnabled', async () => {
    await cw.send(new CW.DisableAlarmActionsCommand({ AlarmNames: ['page-1', 'page-2'] }));
    let out = await cw.send(new CW.DescribeAlarmsCommand({ AlarmNames: ['page-1', 'page-2', 'page-3'] }));
    expect(out.MetricAlarms!.map((a) => a.ActionsEnabled)).toEqual([false, false, true]);
    await cw.send(new CW.EnableAlarmActionsCommand({ AlarmNames: ['page-1'] }));
    out = await cw.send(new CW.DescribeAlarmsCommand({ AlarmNames: ['page-1', 'page-2'] }));
    expect(out.MetricAlarms!.map((a) => a.ActionsEnabled)).toEqual([true, false]);
  });

  it('tags alarms (TagResource, UntagResource, ListTagsForResource)', async () => {
    const arn = 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:high-latency';
    await cw.send(new CW.TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'lookout:pending-seconds', Value: '120' }] }));
    expect((await cw.send(new CW.ListTagsForResourceCommand({ ResourceARN: arn }))).Tags).toEqual([
      { Key: 'team', Value: 'core' },
      { Key: 'lookout:pending-seconds', Value: '120' },
    ]);
    await cw.send(new CW.UntagResourceCommand({ ResourceARN: arn, TagKeys: ['team'] }));
    expect((await cw.send(new CW.ListTagsForResourceCommand({ ResourceARN: arn }))).Tags).toEqual([{ Key: 'lookout:pending-seconds', Value: '120' }]);
    expect(await failure(cw.send(new CW.TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'lookout:cooldown-seconds', Value: 'soon' }] })))).toMatchObject({ name: 'InvalidParameterValueException' });
    expect(await failure(cw.send(new CW.ListTagsForResourceCommand({ ResourceARN: arn + 'x' })))).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
  });

  it('creates metric-math alarms and echoes Metrics', async () => {
    await cw.send(
      new CW.PutMetricAlarmCommand({
        AlarmName: 'error-rate',
        EvaluationPeriods: 2,
        Threshold: 5,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Metrics: [
          { Id: 'errors', MetricStat: { Metric: { Namespace: 'MyApp', MetricName: 'Errors' }, Period: 60, Stat: 'Sum' }, ReturnData: false },
          { Id: 'requests', MetricStat: { Metric: { Namespace: 'MyApp', MetricName: 'Requests' }, Period: 60, Stat: 'Sum' }, ReturnData: false },
          { Id: 'rate', Expression: '100 * errors / requests', Label: 'Error rate', ReturnData: true },
        ],
      }),
    );
    const [a] = (await cw.send(new CW.DescribeAlarmsCommand({ AlarmNames: ['error-rate'] }))).MetricAlarms!;
    expect(a.Metrics!.map((m) => m.Id)).toEqual(['errors', 'requests', 'rate']);
    expect(a.Metrics![0].MetricStat).toMatchObject({ Metric: { Namespace: 'MyApp', MetricName: 'Errors' }, Period: 60, Stat: 'Sum' });
    expect(a.Period).toBeUndefined();
    const bad = { AlarmName: 'bad-math', EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' as const };
    expect(await failure(cw.send(new CW.PutMetricAlarmCommand({ ...bad, Metrics: [{ Id: 'e', Expression: 'x * 2' }] })))).toMatchObject({ name: 'InvalidParameterValueException' });
    expect(
      await failure(cw.send(new CW.PutMetricAlarmCommand({ ...bad, Metrics: [{ Id: 'a', MetricStat: { Metric: { Namespace: 'N', MetricName: 'M' }, Period: 60, Stat: 'Sum' } }, { Id: 'b', Expression: 'a * 2' }] }))),
    ).toMatchObject({ name: 'InvalidParameterValueException', message: 'Exactly one element of the metrics list should return data (ReturnData=true).' });
    expect(await failure(cw.send(new CW.PutMetricAlarmCommand({ ...bad, MetricName: 'M', Metrics: [{ Id: 'e', Expression: '1' }] })))).toMatchObject({ name: 'InvalidParameterCombinationException' });
    // Math the metrics reader cannot evaluate is refused up front.
    const stat = { Metric: { Namespace: 'N', MetricName: 'M' }, Period: 60, Stat: 'Sum' };
    expect(await failure(cw.send(new CW.PutMetricAlarmCommand({ ...bad, Metrics: [{ Id: 'a', MetricStat: stat, ReturnData: false }, { Id: 'b', Expression: 'a +* 2' }] })))).toMatchObject({
      name: 'InvalidParameterValueException',
      message: "The metric math of alarm bad-math cannot be evaluated: Error in expression b: unexpected '*'",
    });
    expect(await failure(cw.send(new CW.PutMetricAlarmCommand({ ...base, AlarmName: 'tm', Statistic: undefined, ExtendedStatistic: 'tm101' })))).toMatchObject({
      name: 'InvalidParameterValueException',
      message: 'The value tm101 for parameter ExtendedStatistic is not supported.',
    });
    // Range statistics (trimmed mean and the others) are extended statistics alarms evaluate.
    await cw.send(new CW.PutMetricAlarmCommand({ ...base, AlarmName: 'tm', Statistic: undefined, ExtendedStatistic: 'tm90' }));
    await cw.send(new CW.DeleteAlarmsCommand({ AlarmNames: ['tm'] }));
  });
});

describe('validation errors (AWS codes through the current client)', () => {
  const cases: Array<[string, Record<string, unknown>, string, string]> = [
    ['missing AlarmName', { AlarmName: undefined }, 'MissingRequiredParameterException', 'MissingParameter'],
    ['missing EvaluationPeriods', { EvaluationPeriods: undefined }, 'MissingRequiredParameterException', 'MissingParameter'],
    ['missing Threshold', { Threshold: undefined }, 'MissingRequiredParameterException', 'MissingParameter'],
    ['EvaluationPeriods 0', { EvaluationPeriods: 0 }, 'ValidationException', 'ValidationError'],
    ['Period 45', { Period: 45 }, 'InvalidParameterValueException', 'InvalidParameterValue'],
    ['Period × EvaluationPeriods over a day', { Period: 3600, EvaluationPeriods: 25 }, 'InvalidParameterValueException', 'InvalidParameterValue'],
    ['Statistic and ExtendedStatistic', { ExtendedStatistic: 'p99' }, 'InvalidParameterCombinationException', 'InvalidParameterCombination'],
    ['no statistic', { Statistic: undefined }, 'MissingRequiredParameterException', 'MissingParameter'],
    ['unknown Statistic', { Statistic: 'Median' }, 'ValidationException', 'ValidationError'],
    ['bad ExtendedStatistic', { Statistic: undefined, ExtendedStatistic: 'p101' }, 'InvalidParameterValueException', 'InvalidParameterValue'],
    ['DatapointsToAlarm > EvaluationPeriods', { DatapointsToAlarm: 4 }, 'InvalidParameterValueException', 'InvalidParameterValue'],
    ['anomaly band operator', { ComparisonOperator: 'LessThanLowerOrGreaterThanUpperThreshold' }, 'InvalidParameterValueException', 'InvalidParameterValue'],
    ['unknown operator', { ComparisonOperator: 'Bigger' }, 'ValidationException', 'ValidationError'],
    ['bad TreatMissingData', { TreatMissingData: 'zero' }, 'InvalidParameterValueException', 'InvalidParameterValue'],
    ['six alarm actions', { AlarmActions: [1, 2, 3, 4, 5, 6].map((i) => topic(`t${i}`)) }, 'ValidationException', 'ValidationError'],
    ['bad action ARN', { AlarmActions: ['not-an-arn'] }, 'ValidationException', 'ValidationError'],
    ['bad unit', { Unit: 'Parsecs' }, 'ValidationException', 'ValidationError'],
    ['bad pending tag', { Tags: [{ Key: 'lookout:pending-seconds', Value: '-1' }] }, 'InvalidParameterValueException', 'InvalidParameterValue'],
  ];
  for (const [what, change, name, code] of cases) {
    it(`${what} → ${code}`, async () => {
      const input = { ...base, AlarmName: 'invalid', ...change };
      const err = await failure(cw.send(new CW.PutMetricAlarmCommand(input as never)));
      expect(err).toMatchObject({ name, code, status: 400 });
    });
  }

  it('SetAlarmState: unknown alarm → ResourceNotFound (404), bad JSON → InvalidFormat, bad state → ValidationError', async () => {
    expect(await failure(cw.send(new CW.SetAlarmStateCommand({ AlarmName: 'nope', StateValue: 'ALARM', StateReason: 'x' })))).toMatchObject({
      name: 'ResourceNotFound',
      code: 'ResourceNotFound',
      status: 404,
      message: 'Alarm nope not found',
    });
    expect(await failure(cw.send(new CW.SetAlarmStateCommand({ AlarmName: 'high-latency', StateValue: 'ALARM', StateReason: 'x', StateReasonData: '{nope' })))).toMatchObject({
      name: 'InvalidFormatFault',
      code: 'InvalidFormat',
    });
    expect(await failure(cw.send(new CW.SetAlarmStateCommand({ AlarmName: 'high-latency', StateValue: 'BROKEN' as never, StateReason: 'x' })))).toMatchObject({ code: 'ValidationError' });
    expect(await failure(cw.send(new CW.DescribeAlarmHistoryCommand({ HistoryItemType: 'Nope' as never })))).toMatchObject({ code: 'ValidationError' });
  });
});

describe('DescribeAlarmHistory and DeleteAlarms', () => {
  it('scans both ways, filters by date and pages', async () => {
    const all = (await cw.send(new CW.DescribeAlarmHistoryCommand({ AlarmName: 'high-latency' }))).AlarmHistoryItems!;
    expect(all.length).toBeGreaterThanOrEqual(5);
    const asc = (await cw.send(new CW.DescribeAlarmHistoryCommand({ AlarmName: 'high-latency', ScanBy: 'TimestampAscending' }))).AlarmHistoryItems!;
    expect(asc.map((i) => i.HistorySummary)).toEqual([...all].reverse().map((i) => i.HistorySummary));
    const paged: string[] = [];
    let token: string | undefined;
    do {
      const out = await cw.send(new CW.DescribeAlarmHistoryCommand({ AlarmName: 'high-latency', MaxRecords: 2, NextToken: token }));
      paged.push(...out.AlarmHistoryItems!.map((i) => i.HistorySummary!));
      token = out.NextToken;
    } while (token);
    expect(paged).toEqual(all.map((i) => i.HistorySummary));
    const future = await cw.send(new CW.DescribeAlarmHistoryCommand({ AlarmName: 'high-latency', StartDate: new Date(Date.now() + 3600_000) }));
    expect(future.AlarmHistoryItems).toEqual([]);
    const past = await cw.send(new CW.DescribeAlarmHistoryCommand({ AlarmName: 'high-latency', EndDate: new Date(Date.now() - 3600_000) }));
    expect(past.AlarmHistoryItems).toEqual([]);
  });

  it('deletes the known names, ignores unknown ones, and keeps history', async () => {
    await cw.send(new CW.DeleteAlarmsCommand({ AlarmNames: ['page-0', 'does-not-exist'] }));
    expect((await cw.send(new CW.DescribeAlarmsCommand({ AlarmNames: ['page-0'] }))).MetricAlarms).toEqual([]);
    const h = await cw.send(new CW.DescribeAlarmHistoryCommand({ AlarmName: 'page-0' }));
    expect(h.AlarmHistoryItems!.map((i) => i.HistorySummary)).toEqual(['Alarm "page-0" deleted', 'Alarm "page-0" created']);
    expect(await failure(cw.send(new CW.DeleteAlarmsCommand({} as never)))).toMatchObject({ code: 'MissingParameter' });
  });
});

describe('legacy client (awsQuery / XML, 3.948.0)', () => {
  it('PutMetricAlarm, DescribeAlarms and SetAlarmState as captured', async () => {
    await legacy.send(
      new Legacy.PutMetricAlarmCommand({
        AlarmName: 'high-cpu',
        AlarmActions: [topic('oncall')],
        OKActions: [],
        MetricName: 'CPUUtilization',
        Namespace: 'AWS/EC2',
        Statistic: 'Average',
        Period: 60,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        Threshold: 80,
        ComparisonOperator: 'GreaterThanThreshold',
        Tags: [{ Key: 'team', Value: 'core' }],
      }),
    );
    const out = await legacy.send(new Legacy.DescribeAlarmsCommand({ AlarmNames: ['high-cpu'] }));
    expect(out.MetricAlarms).toHaveLength(1);
    expect(out.MetricAlarms![0]).toMatchObject({
      AlarmName: 'high-cpu',
      AlarmActions: [topic('oncall')],
      StateValue: 'INSUFFICIENT_DATA',
      Threshold: 80,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      ActionsEnabled: true,
      Namespace: 'AWS/EC2',
    });
    expect(out.MetricAlarms![0].StateUpdatedTimestamp).toBeInstanceOf(Date);
    expect(await failure(legacy.send(new Legacy.SetAlarmStateCommand({ AlarmName: 'nope', StateValue: 'ALARM', StateReason: 'test' })))).toMatchObject({
      name: 'ResourceNotFound',
      status: 404,
    });
    await legacy.send(new Legacy.SetAlarmStateCommand({ AlarmName: 'high-cpu', StateValue: 'ALARM', StateReason: 'test' }));
    const h = await legacy.send(new Legacy.DescribeAlarmHistoryCommand({ AlarmName: 'high-cpu', HistoryItemType: 'StateUpdate' }));
    expect(h.AlarmHistoryItems!.map((i) => i.HistorySummary)).toEqual(['Alarm updated from INSUFFICIENT_DATA to ALARM']);
    expect(h.AlarmHistoryItems![0].Timestamp).toBeInstanceOf(Date);
  });

  it('metric-math alarms, validation errors and deletion over awsQuery', async () => {
    await legacy.send(
      new Legacy.PutMetricAlarmCommand({
        AlarmName: 'legacy-math',
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanThreshold',
        Metrics: [
          { Id: 'm1', MetricStat: { Metric: { Namespace: 'MyApp', MetricName: 'Errors', Dimensions: [{ Name: 'Service', Value: 'api' }] }, Period: 60, Stat: 'Sum' }, ReturnData: false },
          { Id: 'e1', Expression: 'm1 * 2', ReturnData: true },
        ],
      }),
    );
    const [a] = (await legacy.send(new Legacy.DescribeAlarmsCommand({ AlarmNames: ['legacy-math'] }))).MetricAlarms!;
    expect(a.Metrics!.map((m) => [m.Id, m.ReturnData])).toEqual([
      ['m1', false],
      ['e1', true],
    ]);
    expect(a.Metrics![0].MetricStat!.Metric!.Dimensions).toEqual([{ Name: 'Service', Value: 'api' }]);
    expect(await failure(legacy.send(new Legacy.PutMetricAlarmCommand({ ...base, AlarmName: 'x', Period: 45 })))).toMatchObject({ name: 'InvalidParameterValueException', status: 400 });
    await legacy.send(new Legacy.DeleteAlarmsCommand({ AlarmNames: ['legacy-math'] }));
    expect((await legacy.send(new Legacy.DescribeAlarmsCommand({ AlarmNames: ['legacy-math'] }))).MetricAlarms).toEqual([]);
  });
});

describe('limits', () => {
  it('refuses new alarms beyond alarms.max_metric_alarms with LimitExceeded, still updating existing ones', async () => {
    const existing = node.metricAlarms.store.alarms.size;
    for (let i = existing; i < 40; i++) await cw.send(new CW.PutMetricAlarmCommand({ ...base, AlarmName: `fill-${i}` }));
    expect(await failure(cw.send(new CW.PutMetricAlarmCommand({ ...base, AlarmName: 'one-too-many' })))).toMatchObject({ name: 'LimitExceededFault', code: 'LimitExceeded', status: 400 });
    await cw.send(new CW.PutMetricAlarmCommand({ ...base, AlarmName: 'high-latency', Threshold: 21 }));
    await cw.send(new CW.DeleteAlarmsCommand({ AlarmNames: Array.from({ length: 40 - existing }, (_, k) => `fill-${existing + k}`) }));
  });
});

describe('durability', () => {
  it('alarms, their state and history survive a restart', async () => {
    const before = (await cw.send(new CW.DescribeAlarmsCommand({ AlarmNames: ['high-latency', 'high-cpu'] }))).MetricAlarms!;
    const history = (await cw.send(new CW.DescribeAlarmHistoryCommand({}))).AlarmHistoryItems!;
    await stop();
    await start(dataDir);
    const after = (await cw.send(new CW.DescribeAlarmsCommand({ AlarmNames: ['high-latency', 'high-cpu'] }))).MetricAlarms!;
    expect(after).toEqual(before);
    expect((await cw.send(new CW.DescribeAlarmHistoryCommand({}))).AlarmHistoryItems).toEqual(history);
  });
});
