import { mkdtempSync, rmSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MetricDataQuery, MetricDataReader, MetricDataResult } from '../../ingest/metrics/metric-data-reader.ts';
import type { AlertNotification, Notifier } from '../notifications/notifier.ts';
import { parsePutMetricAlarm } from './alarm-input.ts';
import { AlarmStore } from './alarm-store.ts';
import { MetricAlarmService } from './metric-alarm-service.ts';

/** A fake reader over in-memory series: metric name → period start (ms) → value; records every call. */
class FakeReader implements MetricDataReader {
  series = new Map<string, Map<number, number>>();
  calls: Array<{ queries: MetricDataQuery[]; startMs: number; endMs: number }> = [];
  set(metric: string, t: number, v: number): void {
    if (!this.series.has(metric)) this.series.set(metric, new Map());
    this.series.get(metric)!.set(t, v);
  }
  async getMetricData(queries: MetricDataQuery[], startMs: number, endMs: number): Promise<MetricDataResult[]> {
    this.calls.push({ queries, startMs, endMs });
    if (queries.some((q) => q.expression?.includes('FAIL'))) throw new Error('cannot evaluate FAIL');
    const out: MetricDataResult[] = [];
    const byId = new Map<string, MetricDataResult>();
    for (const q of queries) {
      let r: MetricDataResult;
      if (q.metricStat) {
        const points = [...(this.series.get(q.metricStat.metric.metricName) ?? new Map()).entries()].filter(([t]) => t >= startMs && t < endMs).sort((a, b) => a[0] - b[0]);
        r = { id: q.id, label: q.metricStat.metric.metricName, timestamps: points.map((p) => p[0]), values: points.map((p) => p[1]), statusCode: 'Complete' };
      } else {
        // The only math these tests use: `<id> * <number>`.
        const [ref, factor] = q.expression!.split(' * ');
        const src = byId.get(ref)!;
        r = { id: q.id, label: q.id, timestamps: src.timestamps, values: src.values.map((v) => v * Number(factor)), statusCode: 'Complete' };
      }
      byId.set(q.id, r);
      if (q.returnData !== false) out.push(r);
    }
    return out;
  }
}

class FakeNotifier implements Notifier {
  sent: AlertNotification[] = [];
  muted = false;
  async notify(n: AlertNotification) {
    this.sent.push(n);
    return this.muted ? { muted: true } : { muted: false, notificationId: `n${this.sent.length}` };
  }
}

const T0 = Date.UTC(2024, 0, 1);
const MIN = 60_000;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(dir = mkdtempSync(join(tmpdir(), 'alarms-'))) {
  dirs.push(dir);
  const clock = { now: T0 };
  const store = new AlarmStore(dir, { now: () => clock.now });
  store.open();
  const reader = new FakeReader();
  const notifier = new FakeNotifier();
  const service = new MetricAlarmService({ store, reader, notifier, now: () => clock.now, lagMs: 0 });
  return { dir, clock, store, reader, notifier, service };
}

const topic = (id: string) => `arn:aws:sns:us-east-1:000000000000:${id}`;
function alarm(over: Record<string, unknown> = {}) {
  return parsePutMetricAlarm({
    AlarmName: 'cpu',
    MetricName: 'CPU',
    Namespace: 'App',
    Statistic: 'Average',
    Period: 60,
    EvaluationPeriods: 2,
    Threshold: 80,
    ComparisonOperator: 'GreaterThanThreshold',
    AlarmActions: [topic('pager')],
    OKActions: [topic('pager')],
    ...over,
  });
}

describe('MetricAlarmService', () => {
  it('evaluates due alarms in one reader call, transitions and notifies once per transition', async () => {
    const { clock, reader, notifier, service, store } = setup();
    await service.put(alarm());
    await service.put(alarm({ AlarmName: 'cpu-2' }));
    for (let i = 0; i < 5; i++) reader.set('CPU', T0 - (5 - i) * MIN, 90);
    clock.now = T0 + 1000;
    const stats = await service.tick();
    expect(stats).toMatchObject({ evaluated: 2, transitions: 2, queries: 1 });
    expect(reader.calls).toHaveLength(1);
    expect(store.alarms.get('cpu')!.status.value).toBe('ALARM');
    expect(notifier.sent.map((n) => [n.name, n.kind, n.channelId, n.dedupKey])).toEqual([
      ['cpu', 'trigger', 'pager', 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:cpu'],
      ['cpu-2', 'trigger', 'pager', 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:cpu-2'],
    ]);
    expect(notifier.sent[0]).toMatchObject({ state: 'ALARM', previousState: 'INSUFFICIENT_DATA', source: 'metric_alarm' });
    // Still breaching a minute later: no new notification.
    reader.set('CPU', T0, 95);
    clock.now = T0 + MIN + 1000;
    expect((await service.tick()).transitions).toBe(0);
    expect(notifier.sent).toHaveLength(2);
    // Recovers: resolve with the same dedup key and a different idempotency key.
    reader.set('CPU', T0 + MIN, 10);
    reader.set('CPU', T0 + 2 * MIN, 10);
    clock.now = T0 + 3 * MIN + 1000;
    await service.tick();
    expect(notifier.sent.filter((n) => n.name === 'cpu').map((n) => n.kind)).toEqual(['trigger', 'resolve']);
    const [trigger, resolve] = notifier.sent.filter((n) => n.name === 'cpu');
    expect(resolve.dedupKey).toBe(trigger.dedupKey);
    expect(resolve.idempotencyKey).not.toBe(trigger.idempotencyKey);
    const summaries = store.history.filter((h) => h.AlarmName === 'cpu').map((h) => h.HistorySummary);
    expect(summaries).toEqual([
      'Alarm "cpu" created',
      'Alarm updated from INSUFFICIENT_DATA to ALARM',
      `Successfully executed action ${topic('pager')}`,
      'Alarm updated from ALARM to OK',
      `Successfully executed action ${topic('pager')}`,
    ]);
  });

  it('only evaluates alarms that are due (a new alarm at once, then at the next minute boundary)', async () => {
    const { clock, reader, service } = setup();
    await service.put(alarm());
    clock.now = T0 + 1000;
    expect((await service.tick()).evaluated).toBe(1);
    clock.now = T0 + 30_000;
    expect((await service.tick()).evaluated).toBe(0);
    clock.now = T0 + MIN;
    expect((await service.tick()).evaluated).toBe(1);
    expect(reader.calls.at(-1)!.endMs).toBe(T0 + MIN);
  });

  it('evaluates metric-math alarms in the same call with their ids prefixed', async () => {
    const { clock, reader, service, store } = setup();
    await service.put(alarm());
    await service.put(
      parsePutMetricAlarm({
        AlarmName: 'math',
        EvaluationPeriods: 1,
        Threshold: 100,
        ComparisonOperator: 'GreaterThanThreshold',
        Metrics: [
          { Id: 'm1', MetricStat: { Metric: { Namespace: 'App', MetricName: 'CPU' }, Period: 60, Stat: 'Average' }, ReturnData: false },
          { Id: 'e1', Expression: 'm1 * 2', ReturnData: true },
        ],
      }),
    );
    reader.set('CPU', T0 - MIN, 60);
    clock.now = T0 + 1000;
    await service.tick();
    expect(reader.calls).toHaveLength(1);
    expect(reader.calls[0].queries.map((q) => q.expression ?? q.id)).toEqual(['q0', 'a1_m1', 'a1_m1 * 2']);
    expect(store.alarms.get('math')!.status.value).toBe('ALARM');
    expect(store.alarms.get('cpu')!.status.value).toBe('OK');
  });

  it('isolates an alarm whose query fails the batch and evaluates the others', async () => {
    const { clock, reader, service, store } = setup();
    await service.put(alarm({ EvaluationPeriods: 1 }));
    await service.put(
      parsePutMetricAlarm({
        AlarmName: 'broken',
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanThreshold',
        Metrics: [
          { Id: 'm1', MetricStat: { Metric: { Namespace: 'App', MetricName: 'CPU' }, Period: 60, Stat: 'Average' }, ReturnData: false },
          { Id: 'e1', Expression: 'FAIL(m1)', ReturnData: true },
        ],
      }),
    );
    reader.set('CPU', T0 - MIN, 99);
    clock.now = T0 + 1000;
    const stats = await service.tick();
    expect(stats.evaluated).toBe(2);
    expect(reader.calls).toHaveLength(3);
    expect(store.alarms.get('cpu')!.status.value).toBe('ALARM');
    expect(store.alarms.get('broken')!.status.value).toBe('INSUFFICIENT_DATA');
  });

  it('sends a no_data notification when lookout:notify-no-data is set, and resolves the open incident when data returns', async () => {
    const { clock, reader, notifier, service, store } = setup();
    await service.put(alarm({ EvaluationPeriods: 1, Tags: [{ Key: 'lookout:notify-no-data', Value: 'true' }] }));
    reader.set('CPU', T0 - MIN, 99);
    clock.now = T0 + 1000;
    await service.tick();
    // No datapoint in the whole range (5 minutes later): INSUFFICIENT_DATA, no_data to the alarm's channel.
    clock.now = T0 + 5 * MIN;
    await service.tick();
    expect(store.alarms.get('cpu')!.status).toMatchObject({ value: 'INSUFFICIENT_DATA', reason: 'Insufficient Data: 1 datapoint was unknown.' });
    reader.set('CPU', T0 + 5 * MIN, 1);
    clock.now = T0 + 6 * MIN;
    await service.tick();
    expect(notifier.sent.map((n) => [n.kind, n.state, n.previousState])).toEqual([
      ['trigger', 'ALARM', 'INSUFFICIENT_DATA'],
      ['no_data', 'INSUFFICIENT_DATA', 'ALARM'],
      ['resolve', 'OK', 'INSUFFICIENT_DATA'],
    ]);
  });

  it('evaluates AWS/DynamoDB alarms as TreatMissingData=ignore (keeps the state without data)', async () => {
    const { clock, reader, service, store } = setup();
    await service.put(alarm({ EvaluationPeriods: 1, Namespace: 'AWS/DynamoDB', TreatMissingData: 'breaching' }));
    await service.put(alarm({ AlarmName: 'plain', EvaluationPeriods: 1, TreatMissingData: 'breaching', MetricName: 'Other' }));
    reader.set('CPU', T0 - MIN, 1);
    clock.now = T0 + 1000;
    await service.tick();
    expect(store.alarms.get('cpu')!.status.value).toBe('OK');
    clock.now = T0 + 10 * MIN;
    await service.tick();
    expect(store.alarms.get('cpu')!.status.value).toBe('OK');
    expect(store.alarms.get('plain')!.status.value).toBe('ALARM');
  });

  it('records muted transitions in history', async () => {
    const { clock, reader, notifier, service, store } = setup();
    notifier.muted = true;
    await service.put(alarm({ EvaluationPeriods: 1 }));
    reader.set('CPU', T0 - MIN, 99);
    clock.now = T0 + 1000;
    await service.tick();
    expect(store.alarms.get('cpu')!.status.value).toBe('ALARM');
    const action = store.history.find((h) => h.HistoryItemType === 'Action')!;
    expect(action.HistorySummary).toBe(`Action ${topic('pager')} was not executed: a mute window covers the ALARM transition`);
    expect(JSON.parse(action.HistoryData)).toMatchObject({ actionState: 'Muted' });
  });

  it('holds ALARM back for lookout:pending-seconds and evaluates when the pending time ends', async () => {
    const { clock, reader, notifier, service, store } = setup();
    await service.put(alarm({ EvaluationPeriods: 1, Tags: [{ Key: 'lookout:pending-seconds', Value: '90' }] }));
    for (let i = -3; i < 5; i++) reader.set('CPU', T0 + i * MIN, 99);
    clock.now = T0 + 1000;
    await service.tick();
    expect(store.alarms.get('cpu')!.status).toMatchObject({ value: 'INSUFFICIENT_DATA', breachSince: T0 + 1000 });
    clock.now = T0 + MIN;
    await service.tick();
    expect(store.alarms.get('cpu')!.status.value).toBe('INSUFFICIENT_DATA');
    // Due at the pending deadline (T0 + 91 s), before the next minute.
    clock.now = T0 + 91_000;
    expect((await service.tick()).evaluated).toBe(1);
    expect(store.alarms.get('cpu')!.status.value).toBe('ALARM');
    expect(notifier.sent).toHaveLength(1);
  });

  it('SetAlarmState transitions and fires actions; the next evaluation restores the computed state', async () => {
    const { clock, reader, notifier, service, store } = setup();
    await service.put(alarm({ EvaluationPeriods: 1 }));
    reader.set('CPU', T0 - MIN, 1);
    clock.now = T0 + 1000;
    await service.tick();
    expect(await service.setState('cpu', 'ALARM', 'testing', '{"x":1}')).toBe(true);
    expect(store.alarms.get('cpu')!.status).toMatchObject({ value: 'ALARM', reason: 'testing', reasonData: '{"x":1}' });
    expect(notifier.sent.map((n) => n.kind)).toEqual(['trigger']);
    expect(await service.setState('nope', 'ALARM', 'x', undefined)).toBe(false);
    clock.now = T0 + MIN;
    reader.set('CPU', T0, 1);
    await service.tick();
    expect(store.alarms.get('cpu')!.status.value).toBe('OK');
    expect(notifier.sent.map((n) => n.kind)).toEqual(['trigger', 'resolve']);
  });

  it('keeps alarms, state and history across a restart and does not page again', async () => {
    const a = setup();
    await a.service.put(alarm({ EvaluationPeriods: 1 }));
    a.reader.set('CPU', T0 - MIN, 99);
    a.clock.now = T0 + 1000;
    await a.service.tick();
    await a.store.close();
    const b = setup(a.dir);
    b.reader.set('CPU', T0 - MIN, 99);
    b.reader.set('CPU', T0, 99);
    expect(b.store.alarms.get('cpu')!.status.value).toBe('ALARM');
    expect(b.store.history.map((h) => h.HistoryItemType)).toEqual(['ConfigurationUpdate', 'StateUpdate', 'Action']);
    b.clock.now = T0 + MIN + 1000;
    await b.service.evaluateNow();
    expect(b.notifier.sent).toHaveLength(0);
  });

  it('re-sends notifications decided before a crash with the same idempotency key', async () => {
    const a = setup();
    // A notifier that never answers: the process "dies" after the transition was persisted.
    const hang: Notifier = { notify: () => new Promise(() => undefined) };
    const service = new MetricAlarmService({ store: a.store, reader: a.reader, notifier: hang, now: () => a.clock.now, lagMs: 0 });
    await service.put(alarm({ EvaluationPeriods: 1 }));
    a.reader.set('CPU', T0 - MIN, 99);
    a.clock.now = T0 + 1000;
    void service.tick();
    await new Promise((r) => setTimeout(r, 50));
    expect(a.store.alarms.get('cpu')!.status.pendingActions).toHaveLength(1);
    const key = a.store.alarms.get('cpu')!.status.pendingActions![0].idempotencyKey;
    const b = setup(a.dir);
    b.service.start();
    await new Promise((r) => setTimeout(r, 50));
    await b.service.stop();
    expect(b.notifier.sent.map((n) => [n.kind, n.idempotencyKey])).toEqual([['trigger', key]]);
    expect(b.store.alarms.get('cpu')!.status.pendingActions).toBeUndefined();
  });

  it('cuts a torn last journal line on open', async () => {
    const a = setup();
    await a.service.put(alarm());
    await a.store.close();
    appendFileSync(join(a.dir, 'metric-alarms.journal'), '{"op":"delete","na');
    const b = setup(a.dir);
    expect(b.store.alarms.has('cpu')).toBe(true);
  });
});
