// Query and bucket monitors as OpenSearch Alerting runs them: monitors stored in
// `.opendistro-alerting-config`, alerts in `.opendistro-alerting-alerts`, runs on schedule (or by
// `_execute`), each run turned into alert transitions (alert-state.ts) and actions
// (monitor-actions.ts). Runs of one monitor are serialised; different monitors run independently.

import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { OpenSearchError, illegalArgument } from '../../index/errors.ts';
import { stringifyWithRaw } from '../../index/docs/raw-json.ts';
import type { DocumentSink } from '../../ingest/document-sink.ts';
import { InternalStore, type Stored } from '../notifications/internal-store.ts';
import type { Notifier } from '../notifications/notifier.ts';
import { LIVE_STATES, acknowledge, closeAlert, errorAlert, stepAlert, type Alert, type AlertSeed } from './alert-state.ts';
import { runActions, type AlertChange } from './monitor-actions.ts';
import { parseMonitor, renderMonitor, type Monitor, type Trigger } from './monitor-model.ts';
import { runMonitor, type MonitorRun } from './monitor-runner.ts';
import { MonitorScheduler, realClock, type Clock } from './monitor-scheduler.ts';
import { periodOf } from './schedule.ts';

export const CONFIG_INDEX = '.opendistro-alerting-config';
export const ALERT_INDEX = '.opendistro-alerting-alerts';

interface MonitorDoc {
  type: 'monitor';
  monitor: Monitor;
}

export interface MonitorServiceOptions {
  sink: DocumentSink;
  notifier: Notifier;
  clock?: Clock;
  logger?: Logger;
  /** Base URL for links in notifications (e.g. `http://127.0.0.1:9200`). */
  linkBase?: string;
  /** Alerts kept (live ones always; the oldest finished ones are pruned beyond this). Default 10,000. */
  maxAlerts?: number;
}

export const monitorNotFound = (id: string): OpenSearchError => new OpenSearchError('status_exception', `Monitor not found.`, 404, { monitor_id: id });

const newId = () => randomUUID().replace(/-/g, '').slice(0, 20);

/** The Alerting monitors of one node: CRUD and search, runs (scheduled and `_execute`), alerts and acknowledgement. */
export class MonitorService {
  private readonly monitors: InternalStore<MonitorDoc>;
  private readonly alerts: InternalStore<Alert>;
  /** Live (not COMPLETED/DELETED) alerts by dedup key. */
  private readonly live = new Map<string, Alert>();
  private readonly scheduler: MonitorScheduler;
  private readonly clock: Clock;
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(private readonly opts: MonitorServiceOptions) {
    this.clock = opts.clock ?? realClock;
    this.scheduler = new MonitorScheduler(this.clock);
    const disabled = { enabled: false };
    this.monitors = new InternalStore<MonitorDoc>(opts.sink, CONFIG_INDEX, {
      properties: {
        type: { type: 'keyword' },
        monitor: {
          properties: {
            name: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
            monitor_type: { type: 'keyword' },
            enabled: { type: 'boolean' },
            enabled_time: { type: 'date', format: 'strict_date_time||epoch_millis' },
            last_update_time: { type: 'date', format: 'strict_date_time||epoch_millis' },
            schedule: disabled, inputs: disabled, triggers: disabled, ui_metadata: disabled,
          },
        },
      },
    });
    this.alerts = new InternalStore<Alert>(opts.sink, ALERT_INDEX, {
      properties: {
        monitor_id: { type: 'keyword' }, monitor_name: { type: 'text', fields: { keyword: { type: 'keyword' } } },
        trigger_id: { type: 'keyword' }, trigger_name: { type: 'text', fields: { keyword: { type: 'keyword' } } },
        state: { type: 'keyword' }, severity: { type: 'keyword' }, error_message: { type: 'text' },
        start_time: { type: 'date', format: 'epoch_millis' }, end_time: { type: 'date', format: 'epoch_millis' },
        last_notification_time: { type: 'date', format: 'epoch_millis' }, acknowledged_time: { type: 'date', format: 'epoch_millis' },
        alert_history: disabled, action_execution_results: disabled, agg_alert_content: disabled, lookout: disabled,
      },
    }, 'false');
  }

  /** Loads monitors and alerts and schedules every enabled monitor. */
  async start(): Promise<void> {
    await this.monitors.load();
    await this.alerts.load();
    this.live.clear();
    for (const { doc } of this.alerts.all()) if (LIVE_STATES.has(doc.state)) this.live.set(doc.lookout.dedup_key, doc);
    for (const s of this.monitors.all()) this.reschedule(s.id, s.doc.monitor);
  }

  async stop(): Promise<void> {
    this.scheduler.stop();
    await this.scheduler.drain();
    await Promise.allSettled([...this.chains.values()]);
  }

  // --- monitors CRUD ---

  get(id: string): Stored<MonitorDoc> {
    const s = this.monitors.get(id);
    if (!s) throw monitorNotFound(id);
    return s;
  }

  list(): Array<Stored<MonitorDoc>> {
    return this.monitors.all();
  }

  /** The response body of create/update/get (`{_id, _version, _seq_no, _primary_term, monitor}`). */
  render(s: Stored<MonitorDoc>): Record<string, unknown> {
    return { _id: s.id, _version: s.version, _seq_no: s.seqNo, _primary_term: 1, monitor: renderMonitor(s.doc.monitor) };
  }

  async create(body: Record<string, unknown>, id = newId()): Promise<Stored<MonitorDoc>> {
    if (this.monitors.get(id)) throw new OpenSearchError('version_conflict_engine_exception', `[${id}]: version conflict, document already exists`, 409);
    const monitor = parseMonitor(body, this.clock.now());
    const stored = await this.monitors.put(id, { type: 'monitor', monitor });
    this.reschedule(id, monitor);
    return stored;
  }

  async update(id: string, body: Record<string, unknown>, ifSeqNo?: number): Promise<Stored<MonitorDoc>> {
    return this.serial(id, async () => {
      const prev = this.get(id);
      if (ifSeqNo !== undefined && ifSeqNo !== prev.seqNo) {
        throw new OpenSearchError('version_conflict_engine_exception', `[${id}]: version conflict, required seqNo [${ifSeqNo}], current document has seqNo [${prev.seqNo}]`, 409);
      }
      const monitor = parseMonitor(body, this.clock.now(), prev.doc.monitor);
      const stored = await this.monitors.put(id, { type: 'monitor', monitor });
      // Alerts of triggers that no longer exist are closed as DELETED, as Alerting does.
      await this.closeAlerts(id, prev.doc.monitor, (a) => !monitor.triggers.some((t) => t.id === a.trigger_id), 'Trigger deleted');
      this.reschedule(id, monitor);
      return stored;
    });
  }

  async delete(id: string): Promise<Stored<MonitorDoc>> {
    return this.serial(id, async () => {
      const s = this.get(id);
      this.scheduler.unschedule(id);
      await this.monitors.delete(id);
      await this.closeAlerts(id, s.doc.monitor, () => true, 'Monitor deleted');
      return s;
    });
  }

  search(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.monitors.search(body);
  }

  /** The next scheduled run of a monitor, epoch ms. */
  nextRun(id: string): number | undefined {
    return this.scheduler.nextRun(id);
  }

  // --- runs ---

  /** `_execute` of a saved monitor. With dryrun=false the run is applied (alerts, notifications). */
  async executeSaved(id: string, dryrun: boolean): Promise<Record<string, unknown>> {
    const { doc } = this.get(id);
    return this.serial(id, () => this.execute(id, doc.monitor, this.clock.now(), dryrun, true));
  }

  /** `_execute` of an unsaved monitor body: alerts are computed from scratch and never stored. */
  async executeBody(body: Record<string, unknown>, dryrun: boolean): Promise<Record<string, unknown>> {
    const monitor = parseMonitor(body, this.clock.now());
    return this.execute('', monitor, this.clock.now(), dryrun, false);
  }

  private reschedule(id: string, monitor: Monitor): void {
    if (!monitor.enabled) return this.scheduler.unschedule(id);
    this.scheduler.schedule(id, monitor.schedule, monitor.enabled_time ?? 0, async (runTime) => {
      await this.serial(id, async () => {
        const s = this.monitors.get(id);
        if (!s || !s.doc.monitor.enabled) return;
        try {
          await this.execute(id, s.doc.monitor, runTime, false, true);
        } catch (err) {
          this.opts.logger?.error({ err, monitor: id }, 'monitor run failed');
        }
      });
    });
  }

  private serial<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(id) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(fn);
    this.chains.set(id, next);
    void next.catch(() => undefined).finally(() => {
      if (this.chains.get(id) === next) this.chains.delete(id);
    });
    return next;
  }

  private async execute(id: string, monitor: Monitor, runTime: number, dryrun: boolean, persist: boolean): Promise<Record<string, unknown>> {
    const { start, end } = periodOf(monitor.schedule, runTime);
    const run = await runMonitor(monitor, id || undefined, async (index, body) => materialize(await this.opts.sink.search(index, body)), start, end);
    const now = this.clock.now();
    const live = persist ? this.live : new Map<string, Alert>();
    const toStore: Alert[] = [];
    const toDrop: Alert[] = [];
    const triggerResults: Record<string, unknown> = {};
    const monitorVersion = (persist && this.monitors.get(id)?.version) || 1;

    for (const tr of run.triggers) {
      const changes = this.transitions(id, monitor, monitorVersion, tr.trigger, run, tr, live, now, toDrop);
      const actionResults = await runActions({ monitorId: id, monitor, trigger: tr.trigger, run, now, notifier: this.opts.notifier, dryrun, link: this.link(id) }, changes);
      const result: Record<string, unknown> = { name: tr.trigger.name, triggered: tr.triggered, error: tr.error ?? null, action_results: actionResults };
      if (tr.buckets) {
        result.agg_result_buckets = Object.fromEntries(tr.buckets.map((b) => [b.key, { parent_bucket_path: tr.trigger.condition.parent_bucket_path, bucket_keys: b.bucketKeys, bucket: b.bucket }]));
        delete result.triggered;
      }
      triggerResults[tr.trigger.id] = result;
      for (const c of changes) toStore.push(c.alert);
    }

    if (persist && !dryrun) {
      for (const a of toStore) {
        if (LIVE_STATES.has(a.state)) live.set(a.lookout.dedup_key, a);
        else live.delete(a.lookout.dedup_key);
      }
      for (const a of toDrop) live.delete(a.lookout.dedup_key);
      await this.alerts.putMany(toStore.map((a) => ({ id: a.id, doc: a })));
      await this.alerts.deleteMany(toDrop.map((a) => a.id));
      await this.pruneHistory();
    }
    return {
      monitor_name: monitor.name,
      period_start: run.periodStart,
      period_end: run.periodEnd,
      error: run.inputError ?? null,
      input_results: { results: run.results, error: run.inputError ?? null },
      trigger_results: triggerResults,
    };
  }

  /**
   * Keeps alert history bounded (it lives in memory too): past `maxAlerts`, the oldest finished alerts
   * (COMPLETED, DELETED) are deleted down to 90% of the cap.
   */
  private async pruneHistory(): Promise<void> {
    const max = this.opts.maxAlerts ?? 10_000;
    const all = this.alerts.all();
    if (all.length <= max) return;
    const finished = all.map((s) => s.doc).filter((a) => !LIVE_STATES.has(a.state)).sort((a, b) => (a.end_time ?? 0) - (b.end_time ?? 0));
    await this.alerts.deleteMany(finished.slice(0, all.length - Math.floor(max * 0.9)).map((a) => a.id));
  }

  /** Alert transitions of one trigger for one run (errors, no data, the condition per alert identity). */
  private transitions(id: string, monitor: Monitor, monitorVersion: number, trigger: Trigger, run: MonitorRun, tr: MonitorRun['triggers'][number], live: Map<string, Alert>, now: number, toDrop: Alert[]): AlertChange[] {
    const base = `monitor:${id}:${trigger.id}`;
    const seed = (dedup: string, bucket?: { keys: string[]; bucket: Record<string, unknown> }) => (): AlertSeed => ({
      id: newId(), schema_version: 5, monitor_id: id, monitor_name: monitor.name, monitor_version: monitorVersion, monitor_user: null,
      trigger_id: trigger.id, trigger_name: trigger.name, severity: trigger.severity, dedup_key: dedup,
      ...(bucket ? { agg_alert_content: { parent_bucket_path: trigger.condition.parent_bucket_path!, bucket_keys: bucket.keys, bucket: bucket.bucket } } : {}),
    });
    const changes: AlertChange[] = [];
    const clone = (a: Alert | undefined): Alert | undefined => (a ? structuredClone(a) : undefined);

    const errKey = `${base}:error`;
    const prevErr = clone(live.get(errKey));
    if (tr.error) {
      changes.push({ alert: errorAlert(prevErr, tr.error, now, seed(errKey)), previousState: prevErr?.state ?? 'NONE' });
      return changes;
    }
    if (prevErr) changes.push({ alert: closeAlert(prevErr, now, 'COMPLETED', 'Error cleared'), previousState: 'ERROR' });

    const ndKey = `${base}:no_data`;
    const prevNd = clone(live.get(ndKey));
    if (trigger.lookout?.no_data === 'notify') {
      if (run.noData) {
        if (!prevNd) {
          const a = { ...errorAlert(undefined, 'No data', now, seed(ndKey)), state: 'NO_DATA' as const, error_message: null };
          changes.push({ alert: a, event: 'no_data', previousState: 'NONE' });
        }
        return changes; // no data: other alerts of the trigger keep their state
      }
      if (prevNd) changes.push({ alert: closeAlert(prevNd, now, 'COMPLETED', 'Data received'), event: 'completed', previousState: 'NO_DATA' });
    }

    const step = (key: string, breaching: boolean, bucket?: { keys: string[]; bucket: Record<string, unknown> }) => {
      const prev = clone(live.get(key));
      const r = stepAlert(prev, breaching, now, trigger.lookout, seed(key, bucket));
      if (r.dropped) toDrop.push(r.dropped);
      if (!r.alert) return;
      if (bucket && r.alert.agg_alert_content) r.alert.agg_alert_content = { ...r.alert.agg_alert_content, bucket: bucket.bucket };
      changes.push({ alert: r.alert, event: r.event, previousState: prev?.state ?? 'NONE' });
    };
    if (monitor.monitor_type === 'query_level_monitor') {
      step(base, tr.triggered);
    } else {
      const seen = new Set<string>();
      for (const b of tr.buckets ?? []) {
        const key = `${base}:${b.key}`;
        seen.add(key);
        step(key, true, { keys: b.bucketKeys, bucket: b.bucket });
      }
      for (const [key, a] of live) {
        if (a.monitor_id === id && a.trigger_id === trigger.id && a.agg_alert_content && !seen.has(key) && (a.state === 'ACTIVE' || a.state === 'ACKNOWLEDGED' || a.state === 'PENDING')) {
          step(key, false);
        }
      }
    }
    return changes;
  }

  private link(id: string): string | undefined {
    return this.opts.linkBase && id ? `${this.opts.linkBase}/_dashboards/#/alerting/monitors/${id}` : undefined;
  }

  /**
   * Closes live alerts of a monitor (deleted monitor or trigger) as DELETED. Alerts that paged get a
   * resolve on their trigger's channels, so no incident stays open for a monitor that no longer exists.
   */
  private async closeAlerts(monitorId: string, monitor: Monitor, which: (a: Alert) => boolean, message: string): Promise<void> {
    const now = this.clock.now();
    const closed: Alert[] = [];
    for (const [key, a] of this.live) {
      if (a.monitor_id !== monitorId || !which(a)) continue;
      const done = closeAlert(a, now, 'DELETED', message);
      this.live.delete(key);
      closed.push(done);
      const trigger = monitor.triggers.find((t) => t.id === a.trigger_id);
      if (!a.lookout.notified || !trigger) continue;
      for (const action of trigger.actions) {
        await this.opts.notifier.notify({
          channelId: action.destination_id, kind: 'resolve', source: 'monitor', name: `${monitor.name} / ${trigger.name}`,
          dedupKey: a.lookout.dedup_key, idempotencyKey: `${a.lookout.dedup_key}:${a.id}:${action.id}:resolve:${now}`,
          state: 'DELETED', previousState: a.state, reason: message, time: now, severity: trigger.severity, link: this.link(monitorId),
          details: { monitor_id: monitorId, trigger_id: trigger.id, alert_id: a.id, ...(a.agg_alert_content ? { bucket_keys: a.agg_alert_content.bucket_keys } : {}) },
        }).catch((err) => this.opts.logger?.error({ err, monitor: monitorId }, 'resolve notification failed'));
      }
    }
    await this.alerts.putMany(closed.map((a) => ({ id: a.id, doc: a })));
  }

  // --- alerts API ---

  /** `GET _plugins/_alerting/monitors/alerts`. */
  listAlerts(q: { monitorId?: string; alertState?: string; severityLevel?: string; searchString?: string; sortString?: string; sortOrder?: string; size?: number; startIndex?: number }): { alerts: Record<string, unknown>[]; totalAlerts: number } {
    const state = q.alertState && q.alertState !== 'ALL' ? q.alertState : undefined;
    const sev = q.severityLevel && q.severityLevel !== 'ALL' ? q.severityLevel : undefined;
    const search = q.searchString?.toLowerCase().replace(/\*/g, '');
    let list = this.alerts.all().map((s) => s.doc).filter((a) =>
      (!q.monitorId || a.monitor_id === q.monitorId) && (state ? a.state === state : a.state !== 'PENDING') && (!sev || a.severity === sev) &&
      (!search || a.monitor_name.toLowerCase().includes(search) || a.trigger_name.toLowerCase().includes(search)));
    const field = (q.sortString ?? 'monitor_name.keyword').replace(/\.keyword$/, '') as keyof Alert;
    const dir = q.sortOrder === 'desc' ? -1 : 1;
    list = list.sort((a, b) => {
      const x = a[field] as string | number | null, y = b[field] as string | number | null;
      return (x === y ? b.start_time - a.start_time : (x ?? '') < (y ?? '') ? -1 : 1) * (x === y ? 1 : dir);
    });
    const from = q.startIndex ?? 0;
    const size = q.size ?? 10_000;
    return { alerts: list.slice(from, from + size).map(renderAlert), totalAlerts: list.length };
  }

  /** `POST …/<monitor>/_acknowledge/alerts`: ACTIVE alerts become ACKNOWLEDGED; others are `failed`. */
  async acknowledge(monitorId: string, ids: string[]): Promise<{ success: string[]; failed: string[] }> {
    this.get(monitorId);
    return this.serial(monitorId, async () => {
      const success: string[] = [];
      const failed: string[] = [];
      const updated: Alert[] = [];
      for (const id of ids) {
        const a = this.alerts.get(id)?.doc;
        const acked = a && a.monitor_id === monitorId ? acknowledge(a, this.clock.now()) : undefined;
        if (!acked) {
          failed.push(id);
          continue;
        }
        updated.push(acked);
        success.push(id);
      }
      await this.alerts.putMany(updated.map((a) => ({ id: a.id, doc: a })));
      for (const a of updated) this.live.set(a.lookout.dedup_key, a);
      return { success, failed };
    });
  }

  /** Waits for in-progress runs (tests). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.chains.values()]);
    await this.scheduler.drain();
  }
}

/**
 * Search responses from the embedded engine carry stored `_source` as raw JSON fragments; triggers and
 * templates need plain values (`ctx.results[0].hits.hits[0]._source.message`).
 */
function materialize(res: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(stringifyWithRaw(res)) as Record<string, unknown>;
}

/** An alert as the API shows it: Alerting's fields, plus Lookout's dedup key. */
export function renderAlert(a: Alert): Record<string, unknown> {
  const { lookout, ...rest } = a;
  return { ...rest, alert_id: a.id, lookout: { dedup_key: lookout.dedup_key, notified: lookout.notified } };
}

/** Validates the acknowledge body. */
export function parseAckBody(body: Record<string, unknown> | null): string[] {
  const ids = body?.alerts;
  if (!Array.isArray(ids) || ids.some((x) => typeof x !== 'string')) throw illegalArgument('request body must have [alerts]: a list of alert ids');
  return ids as string[];
}
