// A trigger's actions for one run: render the mustache subject/message with Alerting's ctx, apply
// throttling per alert and action, and hand notifications to the notifier — `trigger` for new and
// ongoing ACTIVE alerts, `resolve` when a notified alert completes (Lookout's recovery page), `no_data`
// for a NO_DATA alert. A dry run renders but never notifies.

import type { Notifier, AlertNotification, NotificationKind } from '../notifications/notifier.ts';
import type { Alert, AlertEvent } from './alert-state.ts';
import { throttleMs, type Action, type Monitor, type Trigger } from './monitor-model.ts';
import type { MonitorRun } from './monitor-runner.ts';
import { renderTemplate } from './mustache-template.ts';
import { triggerCtx } from './monitor-runner.ts';

/** What Alerting's `_execute` reports per action. */
export interface ActionResult {
  id: string;
  name: string;
  output: { subject?: string; message?: string };
  throttled: boolean;
  execution_time: number;
  error: string | null;
  muted?: boolean;
  notification_id?: string;
}

/** An alert that changed in this run, with what the change means. */
export interface AlertChange {
  alert: Alert;
  event?: AlertEvent | 'no_data';
  /** The state before this run ('NONE' for a new identity). */
  previousState: string;
}

export interface ActionEnv {
  monitorId: string;
  monitor: Monitor;
  trigger: Trigger;
  run: MonitorRun;
  now: number;
  notifier: Notifier;
  dryrun: boolean;
  link?: string;
}

function render(template: string | undefined, view: Record<string, unknown>): string | undefined {
  return template === undefined ? undefined : renderTemplate(template, view);
}

/** An alert as templates see it (`ctx.alert`, entries of `ctx.newAlerts`…): Alerting's fields plus bucket_keys. */
function alertView(a: Alert): Record<string, unknown> {
  const { lookout: _l, ...rest } = a;
  return { ...rest, bucket_keys: a.agg_alert_content?.bucket_keys.join(',') };
}

function throttled(a: Alert, action: Action, now: number): boolean {
  if (!action.throttle_enabled || !action.throttle) return false;
  const r = a.action_execution_results.find((x) => x.action_id === action.id);
  return !!r && now - r.last_execution_time < throttleMs(action.throttle);
}

function recordExecution(a: Alert, action: Action, now: number, wasThrottled: boolean): void {
  let r = a.action_execution_results.find((x) => x.action_id === action.id);
  if (!r) {
    r = { action_id: action.id, last_execution_time: now, throttled_count: 0 };
    a.action_execution_results.push(r);
  }
  if (wasThrottled) r.throttled_count++;
  else {
    r.last_execution_time = now;
    a.last_notification_time = now;
  }
}

function reasonOf(env: ActionEnv, a: Alert, kind: NotificationKind): string {
  const bucket = a.agg_alert_content ? ` for bucket [${a.agg_alert_content.bucket_keys.join(', ')}]` : '';
  if (kind === 'resolve') return `Trigger [${env.trigger.name}] condition no longer met${bucket}`;
  if (kind === 'no_data') return `No data: the input of monitor [${env.monitor.name}] matched no documents`;
  return `Trigger [${env.trigger.name}] condition [${env.trigger.condition.script.source}] met${bucket}`;
}

async function send(env: ActionEnv, action: Action, change: AlertChange, kind: NotificationKind, out: ActionResult, subject?: string, message?: string): Promise<void> {
  const a = change.alert;
  const n: AlertNotification = {
    channelId: action.destination_id,
    kind,
    source: 'monitor',
    name: `${env.monitor.name} / ${env.trigger.name}`,
    dedupKey: a.lookout.dedup_key,
    // One key per decided notification: the alert, the action, the kind and this run's time.
    idempotencyKey: `${a.lookout.dedup_key}:${a.id}:${action.id}:${kind}:${env.now}`,
    state: a.state,
    previousState: change.previousState,
    reason: reasonOf(env, a, kind),
    time: env.now,
    severity: env.trigger.severity,
    link: env.link,
    subject,
    message,
    details: {
      monitor_id: env.monitorId,
      trigger_id: env.trigger.id,
      alert_id: a.id,
      ...(a.agg_alert_content ? { bucket_keys: a.agg_alert_content.bucket_keys } : {}),
      period_start: new Date(env.run.periodStart).toISOString(),
      period_end: new Date(env.run.periodEnd).toISOString(),
    },
  };
  if (env.dryrun) return;
  try {
    const res = await env.notifier.notify(n);
    out.muted = res.muted;
    out.notification_id = res.notificationId;
    if (kind !== 'resolve' && !res.muted) a.lookout.notified = true;
    if (res.muted) a.alert_history = [...a.alert_history, { timestamp: env.now, message: `${kind} notification to [${action.destination_id}] muted` }].slice(-50);
  } catch (err) {
    out.error = (err as Error).message;
    a.error_message = `action [${action.name}] failed: ${out.error}`;
  }
}

/**
 * Runs the trigger's actions for the changed alerts. Returns action results keyed as Alerting's
 * `_execute` does: by action id (query-level) or by bucket key then action id (bucket-level).
 */
export async function runActions(env: ActionEnv, changes: AlertChange[]): Promise<Record<string, unknown>> {
  const isBucket = env.monitor.monitor_type === 'bucket_level_monitor';
  const base = triggerCtx(env.monitor, env.monitorId, env.run, env.trigger);
  const pick = (e: AlertChange['event']) => changes.filter((c) => c.event === e).map((c) => alertView(c.alert));
  const ctxAll = { ...base, newAlerts: pick('new'), dedupedAlerts: pick('deduped'), completedAlerts: pick('completed') };
  const results: Record<string, Record<string, ActionResult>> = {};
  const perExecution = (a: Action) => !!a.action_execution_policy?.action_execution_scope?.per_execution;

  for (const change of changes) {
    const a = change.alert;
    const key = isBucket ? (a.agg_alert_content?.bucket_keys.join('#') ?? '') : '';
    const slot = (results[key] ??= {});
    for (const action of env.trigger.actions) {
      const out: ActionResult = { id: action.id, name: action.name, output: {}, throttled: false, execution_time: env.now, error: null };
      if (change.event === 'completed' || (change.event === undefined && a.state === 'COMPLETED')) {
        if (a.lookout.notified) await send(env, action, change, 'resolve', out);
        else continue;
      } else if (change.event === 'no_data') {
        await send(env, action, change, 'no_data', out);
      } else if (change.event === 'new' || change.event === 'deduped') {
        if (a.state !== 'ACTIVE') continue; // acknowledged: no more notifications until it completes
        if (isBucket && perExecution(action)) continue;
        const actionable = action.action_execution_policy?.action_execution_scope?.per_alert?.actionable_alerts ?? ['DEDUPED', 'NEW'];
        if (isBucket && !actionable.includes(change.event === 'new' ? 'NEW' : 'DEDUPED')) continue;
        if (change.event === 'deduped' && throttled(a, action, env.now)) {
          out.throttled = true;
          if (!env.dryrun) recordExecution(a, action, env.now, true);
          slot[action.id] = out;
          continue;
        }
        const view = { ctx: { ...ctxAll, alert: alertView(a) } };
        out.output = { subject: render(action.subject_template?.source, view), message: render(action.message_template.source, view) };
        await send(env, action, change, 'trigger', out, out.output.subject, out.output.message);
        if (!env.dryrun) recordExecution(a, action, env.now, false);
      } else {
        continue;
      }
      slot[action.id] = out;
    }
  }

  // Bucket monitors with a per-execution policy: one message per action for all of this run's alerts.
  if (isBucket) {
    const active = changes.filter((c) => (c.event === 'new' || c.event === 'deduped') && c.alert.state === 'ACTIVE');
    for (const action of env.trigger.actions.filter(perExecution)) {
      if (active.length === 0) continue;
      const out: ActionResult = { id: action.id, name: action.name, output: {}, throttled: false, execution_time: env.now, error: null };
      const view = { ctx: ctxAll };
      out.output = { subject: render(action.subject_template?.source, view), message: render(action.message_template.source, view) };
      const first = active[0];
      const execChange: AlertChange = { ...first, alert: { ...first.alert, agg_alert_content: undefined, lookout: { ...first.alert.lookout, dedup_key: `monitor:${env.monitorId}:${env.trigger.id}` } } };
      await send(env, action, execChange, 'trigger', out, out.output.subject, out.output.message);
      (results[''] ??= {})[action.id] = out;
    }
  }
  return isBucket ? results : (results[''] ?? {});
}
