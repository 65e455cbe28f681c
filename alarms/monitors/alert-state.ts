// The alert state machine, a pure function of (previous alert, this run's verdict, now, trigger
// settings). Alerting's states ACTIVE / ACKNOWLEDGED / COMPLETED / ERROR, plus Lookout's anti-flap:
// PENDING while `pending_seconds` has not elapsed or fewer than M of the last N runs breached, and a
// cooldown (`cooldown_seconds`) before an ACTIVE alert completes. NO_DATA is its own alert.

import type { TriggerLookout } from './monitor-model.ts';

export type AlertState = 'ACTIVE' | 'ACKNOWLEDGED' | 'COMPLETED' | 'ERROR' | 'DELETED' | 'PENDING' | 'NO_DATA';

/** An alert document, in `.opendistro-alerting-alerts`' shape (plus a `lookout` block). */
export interface Alert {
  id: string;
  version: number;
  schema_version: number;
  monitor_id: string;
  monitor_name: string;
  monitor_version: number;
  monitor_user: null;
  trigger_id: string;
  trigger_name: string;
  state: AlertState;
  error_message: string | null;
  alert_history: Array<{ timestamp: number; message: string }>;
  severity: string;
  action_execution_results: Array<{ action_id: string; last_execution_time: number; throttled_count: number }>;
  start_time: number;
  last_notification_time: number | null;
  end_time: number | null;
  acknowledged_time: number | null;
  agg_alert_content?: { parent_bucket_path: string; bucket_keys: string[]; bucket: Record<string, unknown> };
  lookout: {
    dedup_key: string;
    /** The last N verdicts (M-of-N). */
    window: boolean[];
    pending_since?: number;
    clearing_since?: number;
    /** Whether a trigger notification was sent, so completion sends a resolve. */
    notified: boolean;
  };
}

/** States in which an alert is still open (not history). */
export const LIVE_STATES: ReadonlySet<AlertState> = new Set(['ACTIVE', 'ACKNOWLEDGED', 'PENDING', 'ERROR', 'NO_DATA']);

/** What a step means for actions: a newly active alert, a still-active one, or a completed one. */
export type AlertEvent = 'new' | 'deduped' | 'completed';

export interface StepResult {
  /** The alert after this run; undefined when nothing needs to be kept (no alert, or a PENDING one dropped). */
  alert?: Alert;
  /** Set when a PENDING alert is abandoned (delete it). */
  dropped?: Alert;
  event?: AlertEvent;
}

/** Fields a fresh alert needs from the monitor/trigger (and bucket). */
export type AlertSeed = Omit<Alert, 'state' | 'start_time' | 'end_time' | 'acknowledged_time' | 'last_notification_time' | 'error_message' | 'alert_history' | 'action_execution_results' | 'lookout' | 'version'> & { dedup_key: string };

function fresh(seed: AlertSeed, now: number): Alert {
  const { dedup_key, ...rest } = seed;
  return {
    ...rest,
    version: 1,
    state: 'PENDING',
    error_message: null,
    alert_history: [],
    action_execution_results: [],
    start_time: now,
    last_notification_time: null,
    end_time: null,
    acknowledged_time: null,
    lookout: { dedup_key, window: [], notified: false },
  };
}

function withHistory(a: Alert, now: number, message: string): Alert {
  return { ...a, alert_history: [...a.alert_history, { timestamp: now, message }].slice(-50) };
}

/**
 * Advances one alert identity by one verdict. `prev` is the live alert for this identity, if any.
 * `seed` builds a new alert when none is live.
 */
export function stepAlert(prev: Alert | undefined, breaching: boolean, now: number, cfg: TriggerLookout | undefined, seed: () => AlertSeed): StepResult {
  const n = Math.max(1, cfg?.evaluation_periods ?? 1);
  const m = Math.max(1, cfg?.datapoints_to_alarm ?? n);
  const pendingMs = (cfg?.pending_seconds ?? 0) * 1000;
  const cooldownMs = (cfg?.cooldown_seconds ?? 0) * 1000;
  const window = [...(prev?.lookout.window ?? []), breaching].slice(-n);
  const firing = window.filter(Boolean).length >= m;

  if (prev && (prev.state === 'ACTIVE' || prev.state === 'ACKNOWLEDGED')) {
    if (firing) {
      const a = { ...prev, lookout: { ...prev.lookout, window, clearing_since: undefined } };
      return { alert: a, event: 'deduped' };
    }
    const clearingSince = prev.lookout.clearing_since ?? now;
    if (now - clearingSince >= cooldownMs) {
      const done = withHistory({ ...prev, state: 'COMPLETED', end_time: now, lookout: { ...prev.lookout, window, clearing_since: undefined } }, now, 'Trigger condition no longer met');
      return { alert: done, event: 'completed' };
    }
    return { alert: { ...prev, lookout: { ...prev.lookout, window, clearing_since: clearingSince } } };
  }

  // No open alert yet (or a PENDING one tracking the window / pending time).
  const base = prev && prev.state === 'PENDING' ? prev : undefined;
  if (!firing) {
    if (window.some(Boolean) && n > 1) {
      const a = base ?? fresh(seed(), now);
      return { alert: { ...a, state: 'PENDING', lookout: { ...a.lookout, window, pending_since: undefined } } };
    }
    return base ? { dropped: base } : {};
  }
  const a = base ?? fresh(seed(), now);
  const pendingSince = a.lookout.pending_since ?? now;
  if (now - pendingSince >= pendingMs) {
    const active = withHistory({ ...a, state: 'ACTIVE', start_time: now, lookout: { ...a.lookout, window, pending_since: undefined } }, now, 'Trigger condition met');
    return { alert: active, event: 'new' };
  }
  return { alert: { ...a, state: 'PENDING', lookout: { ...a.lookout, window, pending_since: pendingSince } } };
}

/** An ERROR alert for a trigger whose run failed (opened, or kept with the latest message). */
export function errorAlert(prev: Alert | undefined, message: string, now: number, seed: () => AlertSeed): Alert {
  const a = prev ?? { ...fresh(seed(), now), state: 'ERROR' as const };
  const changed = a.error_message !== message;
  const next: Alert = { ...a, state: 'ERROR', error_message: message };
  return changed ? withHistory(next, now, message) : next;
}

/** Closes a live alert (error cleared, data back, monitor deleted). */
export function closeAlert(a: Alert, now: number, state: 'COMPLETED' | 'DELETED', message: string): Alert {
  return withHistory({ ...a, state, end_time: now }, now, message);
}

/** Acknowledges an ACTIVE alert; anything else cannot be acknowledged (Alerting's `failed` list). */
export function acknowledge(a: Alert, now: number): Alert | undefined {
  if (a.state !== 'ACTIVE') return undefined;
  return withHistory({ ...a, state: 'ACKNOWLEDGED', acknowledged_time: now }, now, 'Acknowledged');
}
