// The metric alarms of one node: keeps them (AlarmStore), evaluates the due ones in batches through a
// MetricDataReader, applies the state machine, and hands transitions to the Notifier. A transition is
// persisted (with the notifications it decided) before the notifier is called, so a restart neither
// loses a page nor sends a second one: undelivered decisions are re-sent with the same idempotency key.

import { join } from 'node:path';
import { cloudWatchErrors } from '../../ingest/aws/aws-error.ts';
import type { AwsRouter } from '../../server/aws/aws-router.ts';
import type { MetricDataReader, MetricDataResult } from '../../ingest/metrics/metric-data-reader.ts';
import type { Notifier } from '../notifications/notifier.ts';
import { actionsForTransition, notificationFor } from './alarm-actions.ts';
import { registerAlarmOperations } from './alarm-operations.ts';
import { QueryBatch, evaluationCriteria } from './alarm-queries.ts';
import { nextDueTime } from './alarm-schedule.ts';
import { applyEvaluation, applyManualState, initialStatus, type Step, type Transition } from './alarm-state-machine.ts';
import { AlarmStore, type JournalRecord, type StoredAlarm } from './alarm-store.ts';
import { alarmBehaviour, type AlarmConfig, type AlarmStatus, type HistoryItem, type PendingAction, type StateValue } from './alarm-types.ts';
import { evaluateDatapoints, type PeriodDatapoint } from './datapoint-evaluation.ts';

/** What a MetricAlarmService is built from (store, metric reader, notifier, clock, evaluation lag). */
export interface MetricAlarmServiceOptions {
  store: AlarmStore;
  reader: MetricDataReader;
  notifier: Notifier;
  /** Injectable clock (tests). */
  now?: () => number;
  /** Delay after a period boundary before evaluating it, for late data (ms). */
  lagMs?: number;
  /** How soon a new or updated alarm is first evaluated (ms; lets many puts share a tick). */
  firstEvaluationDelayMs?: number;
  log?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

/** What one tick did (for tests and the benchmark). */
export interface TickStats {
  evaluated: number;
  transitions: number;
  queries: number;
  /** ms spent in the reader. */
  readMs: number;
}

/** The metric alarms of one node: their CloudWatch API operations, their evaluation ticks and their notifications. */
export class MetricAlarmService {
  readonly store: AlarmStore;
  private readonly reader: MetricDataReader;
  private readonly notifier: Notifier;
  private readonly now: () => number;
  readonly lagMs: number;
  private readonly firstDelayMs: number;
  private readonly log: NonNullable<MetricAlarmServiceOptions['log']>;
  /** Next evaluation time of each alarm (epoch ms). */
  private readonly due = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  /** When the armed timer fires (epoch ms). */
  private timerAt = Infinity;
  private running: Promise<unknown> = Promise.resolve();
  private started = false;

  constructor(opts: MetricAlarmServiceOptions) {
    this.store = opts.store;
    this.reader = opts.reader;
    this.notifier = opts.notifier;
    this.now = opts.now ?? Date.now;
    this.lagMs = opts.lagMs ?? 2_000;
    this.firstDelayMs = opts.firstEvaluationDelayMs ?? 200;
    this.log = opts.log ?? { warn: () => undefined, error: () => undefined };
  }

  /** Starts the scheduler and re-sends notifications a crash left undelivered. */
  start(): void {
    this.store.open();
    this.started = true;
    const now = this.now();
    for (const [name, a] of this.store.alarms) this.due.set(name, nextDueTime(a.config, a.status, now, this.lagMs));
    void this.serially(() => this.resendPending());
    this.schedule();
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    await this.running.catch(() => undefined);
  }

  get(name: string): StoredAlarm | undefined {
    return this.store.alarms.get(name);
  }

  /** PutMetricAlarm: creates (INSUFFICIENT_DATA) or replaces the configuration, keeping the state. */
  async put(config: Omit<AlarmConfig, 'AlarmConfigurationUpdatedTimestamp'>): Promise<void> {
    const now = this.now();
    const existing = this.store.alarms.get(config.AlarmName);
    // AWS honours Tags only when the alarm is created (TagResource changes them later).
    const full: AlarmConfig = { ...config, Tags: existing ? existing.config.Tags : config.Tags, AlarmConfigurationUpdatedTimestamp: now };
    const status = existing ? existing.status : initialStatus(now);
    const verb = existing ? 'updated' : 'created';
    const data = existing ? { version: '1.0', type: 'Update', updatedAlarm: publicConfig(full), originalAlarm: publicConfig(existing.config) } : { version: '1.0', type: 'Create', createdAlarm: publicConfig(full) };
    await this.store.write([{ op: 'put', config: full, status }, this.history(full.AlarmName, now, 'ConfigurationUpdate', `Alarm "${full.AlarmName}" ${verb}`, data)]);
    this.due.set(full.AlarmName, now + this.firstDelayMs);
    // Many puts in a row share one timer (re-arming scans every alarm's due time).
    if (!this.timer || this.timerAt > now + this.firstDelayMs) this.schedule();
  }

  /** DeleteAlarms: unknown names are skipped; history stays. */
  async delete(names: string[]): Promise<void> {
    const now = this.now();
    const records: JournalRecord[] = [];
    for (const name of new Set(names)) {
      const a = this.store.alarms.get(name);
      if (!a) continue;
      records.push({ op: 'delete', name }, this.history(name, now, 'ConfigurationUpdate', `Alarm "${name}" deleted`, { version: '1.0', type: 'Delete', deletedAlarm: publicConfig(a.config) }));
      this.due.delete(name);
    }
    await this.store.write(records);
  }

  /** Enable/DisableAlarmActions and TagResource/UntagResource: a configuration change that keeps the state. */
  async updateConfig(names: string[], change: (c: AlarmConfig) => AlarmConfig): Promise<void> {
    const now = this.now();
    const records: JournalRecord[] = [];
    for (const name of new Set(names)) {
      const a = this.store.alarms.get(name);
      if (!a) continue;
      const config = { ...change(a.config), AlarmConfigurationUpdatedTimestamp: now };
      records.push({ op: 'put', config, status: a.status });
    }
    await this.store.write(records);
  }

  /** SetAlarmState: a temporary state; a different value is a transition and fires its actions. */
  async setState(name: string, value: StateValue, reason: string, reasonData: string | undefined): Promise<boolean> {
    const a = this.store.alarms.get(name);
    if (!a) return false;
    await this.serially(async () => {
      const current = this.store.alarms.get(name) ?? a;
      await this.commit([{ alarm: current, config: current.config, step: applyManualState(current.status, value, reason, reasonData, this.now()) }]);
    });
    return true;
  }

  /** Runs work after every tick, SetAlarmState and re-send queued before it (one transition commit at a time). */
  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.running.then(work);
    this.running = run.catch(() => undefined);
    return run;
  }

  /** Evaluates every alarm due at or before `now` (the scheduler's tick; tests call it with a fake clock). */
  tick(now = this.now()): Promise<TickStats> {
    return this.serially(() => this.evaluateDue(now));
  }

  /** Evaluates the named alarms (or all) now, whatever their schedule. */
  evaluateNow(names?: string[], now = this.now()): Promise<TickStats> {
    for (const name of names ?? this.store.alarms.keys()) if (this.due.has(name) || this.store.alarms.has(name)) this.due.set(name, now);
    return this.tick(now);
  }

  private async evaluateDue(now: number): Promise<TickStats> {
    const due: StoredAlarm[] = [];
    for (const [name, at] of this.due) {
      if (at > now) continue;
      const alarm = this.store.alarms.get(name);
      if (alarm) due.push(alarm);
      else this.due.delete(name);
    }
    const stats: TickStats = { evaluated: due.length, transitions: 0, queries: 0, readMs: 0 };
    if (due.length === 0) return stats;
    const t0 = performance.now();
    const batch = new QueryBatch();
    const members = due.map((alarm) => ({ alarm, config: alarm.config, points: null as PeriodDatapoint[] | null, position: batch.add(alarm.config, now, this.lagMs) }));
    stats.queries = batch.queries.length;
    try {
      const results = await this.read(batch);
      for (const m of members) m.points = batch.datapoints(m.position, results);
    } catch (err) {
      // One alarm's query can fail the whole call (e.g. math the reader rejects): isolate it, evaluate the rest.
      this.log.warn({ err, alarms: members.length }, 'metric alarm evaluation: batch read failed, reading alarms one by one');
      for (const m of members) {
        const single = new QueryBatch();
        const position = single.add(m.config, now, this.lagMs);
        try {
          m.points = single.datapoints(position, await this.read(single));
        } catch (e) {
          this.log.error({ err: e, alarm: m.config.AlarmName }, 'metric alarm evaluation: reading metric data failed');
        }
      }
    }
    stats.readMs = performance.now() - t0;
    const steps: Array<{ alarm: StoredAlarm; config: AlarmConfig; step: Step }> = [];
    for (const m of members) {
      if (m.points !== null) {
        const evaluation = evaluateDatapoints(m.points, evaluationCriteria(m.config), m.alarm.status.value, now);
        const step = applyEvaluation(m.alarm.status, evaluation, now, alarmBehaviour(m.config.Tags));
        if (step.changed) steps.push({ alarm: m.alarm, config: m.config, step });
      }
      this.due.set(m.config.AlarmName, nextDueTime(m.config, m.alarm.status, now, this.lagMs));
    }
    stats.transitions = await this.commit(steps);
    for (const s of steps) this.due.set(s.config.AlarmName, nextDueTime(s.config, s.step.status, now, this.lagMs));
    return stats;
  }

  private async read(batch: QueryBatch): Promise<Map<string, MetricDataResult>> {
    const answer = await this.reader.getMetricData(batch.queries, batch.startMs, batch.endMs);
    return new Map(answer.map((r) => [r.id, r]));
  }

  /**
   * Asks the reader whether it can answer an alarm's queries (statistic, metric math) over an empty
   * range, so PutMetricAlarm rejects what evaluation could never compute.
   */
  async validate(config: Omit<AlarmConfig, 'AlarmConfigurationUpdatedTimestamp'>): Promise<void> {
    if (!config.Metrics && !config.ExtendedStatistic) return;
    const batch = new QueryBatch();
    batch.add({ ...config, AlarmConfigurationUpdatedTimestamp: 0 }, this.now(), this.lagMs);
    const at = Math.floor(this.now() / 60_000) * 60_000;
    const results = await this.reader.getMetricData(batch.queries, at, at);
    const failed = results.find((r) => r.statusCode === 'InternalError' || r.statusCode === 'Forbidden');
    // Query ids carry the batch prefix (`a0_`); the caller knows them without it.
    if (failed) throw cloudWatchErrors.invalidParameterValue((failed.messages?.map((m) => m.value).join(' ') || `The query ${failed.id} cannot be evaluated.`).replace(/\ba0_/g, ''));
  }

  /**
   * Persists the steps (state, StateUpdate history, decided notifications) in one write, then notifies.
   * Steps of alarms replaced or deleted meanwhile are dropped. Returns the number of transitions.
   */
  private async commit(steps: Array<{ alarm: StoredAlarm; config: AlarmConfig; step: Step }>): Promise<number> {
    const records: JournalRecord[] = [];
    const fired: string[] = [];
    for (const { config, step } of steps) {
      const current = this.store.alarms.get(config.AlarmName);
      if (!current || current.config !== config) continue;
      let status = step.status;
      if (step.transition) {
        const t = step.transition;
        const { actions, incidentOpen } = actionsForTransition(config, current.status, t);
        status = { ...status, incidentOpen, pendingActions: [...(current.status.pendingActions ?? []), ...actions] };
        if (actions.length > 0) fired.push(config.AlarmName);
        records.push(this.stateHistory(config.AlarmName, current.status, status, t));
      }
      records.push({ op: 'status', name: config.AlarmName, status });
    }
    await this.store.write(records);
    await Promise.all(fired.map((name) => this.deliver(name)));
    return records.filter((r) => r.op === 'history').length;
  }

  /** Hands an alarm's pending notifications to the notifier and records each as an Action history item. */
  private async deliver(name: string): Promise<void> {
    const a = this.store.alarms.get(name);
    const pending = a?.status.pendingActions ?? [];
    if (!a || pending.length === 0) return;
    const now = this.now();
    const records: JournalRecord[] = [];
    for (const action of pending) records.push(await this.notifyOne(a.config, a.status, action, now));
    const current = this.store.alarms.get(name);
    if (current) {
      const left = (current.status.pendingActions ?? []).filter((p) => !pending.includes(p));
      records.push({ op: 'status', name, status: { ...current.status, pendingActions: left.length > 0 ? left : undefined } });
    }
    await this.store.write(records);
  }

  private async notifyOne(config: AlarmConfig, status: AlarmStatus, action: PendingAction, now: number): Promise<JournalRecord> {
    const data = { actionState: 'Succeeded', stateUpdateTimestamp: action.time, notificationResource: action.arn, kind: action.kind, idempotencyKey: action.idempotencyKey } as Record<string, unknown>;
    if (action.channelId === null) {
      data.actionState = 'Failed';
      data.error = 'only SNS topic ARNs naming a notification channel are supported';
      return this.history(config.AlarmName, now, 'Action', `Failed to execute action ${action.arn}. Received error: "${data.error}"`, data);
    }
    try {
      const r = await this.notifier.notify(notificationFor(config, status, action));
      if (r.notificationId) data.notificationId = r.notificationId;
      if (r.muted) {
        data.actionState = 'Muted';
        return this.history(config.AlarmName, now, 'Action', `Action ${action.arn} was not executed: a mute window covers the ${status.value} transition`, data);
      }
      return this.history(config.AlarmName, now, 'Action', `Successfully executed action ${action.arn}`, data);
    } catch (err) {
      data.actionState = 'Failed';
      data.error = (err as Error).message;
      this.log.warn({ err, alarm: config.AlarmName, action: action.arn }, 'metric alarm notification failed');
      return this.history(config.AlarmName, now, 'Action', `Failed to execute action ${action.arn}. Received error: "${data.error}"`, data);
    }
  }

  /** After a restart: notifications decided but not accepted by the notifier before the crash. */
  private async resendPending(): Promise<void> {
    for (const [name, a] of this.store.alarms) {
      if (!a.status.pendingActions?.length) continue;
      await this.deliver(name).catch((err) => this.log.error({ err, alarm: name }, 'metric alarm: re-sending notifications failed'));
    }
  }

  private stateHistory(name: string, prev: AlarmStatus, next: AlarmStatus, t: Transition): JournalRecord {
    const newState: Record<string, unknown> = { stateValue: next.value, stateReason: next.reason };
    if (next.reasonData) newState.stateReasonData = safeParse(next.reasonData);
    return this.history(name, t.time, 'StateUpdate', `Alarm updated from ${t.from} to ${t.to}`, { version: '1.0', oldState: { stateValue: prev.value, stateReason: prev.reason }, newState });
  }

  private history(name: string, time: number, type: HistoryItem['HistoryItemType'], summary: string, data: unknown): JournalRecord {
    return { op: 'history', item: { AlarmName: name, AlarmType: 'MetricAlarm', Timestamp: time, HistoryItemType: type, HistorySummary: summary, HistoryData: JSON.stringify(data) } };
  }

  /** Arms the timer for the earliest due alarm. */
  private schedule(): void {
    if (!this.started) return;
    if (this.timer) clearTimeout(this.timer);
    let next = Infinity;
    for (const at of this.due.values()) if (at < next) next = at;
    this.timer = undefined;
    this.timerAt = next;
    if (next === Infinity) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      void this.tick()
        .catch((err) => this.log.error({ err }, 'metric alarm tick failed'))
        .finally(() => this.schedule());
    }, Math.max(0, Math.min(next - this.now(), 2 ** 31 - 1)));
    this.timer.unref();
  }
}

/** The configuration as DescribeAlarms shows it (history data). */
function publicConfig(c: AlarmConfig): Record<string, unknown> {
  const { Tags: _tags, ...rest } = c;
  return rest;
}

function safeParse(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}


/** Builds a node's metric alarms: the store under `<dataDir>/alarms`, the service, and its CloudWatch operations. */
export function createMetricAlarms(opts: {
  dataDir: string;
  router: AwsRouter;
  reader: MetricDataReader;
  notifier: Notifier;
  evaluationLagMs?: number;
  maxMetricAlarms?: number;
  log?: MetricAlarmServiceOptions['log'];
}): MetricAlarmService {
  const service = new MetricAlarmService({ store: new AlarmStore(join(opts.dataDir, 'alarms')), reader: opts.reader, notifier: opts.notifier, lagMs: opts.evaluationLagMs, log: opts.log });
  registerAlarmOperations(opts.router, service, { maxAlarms: opts.maxMetricAlarms });
  return service;
}
