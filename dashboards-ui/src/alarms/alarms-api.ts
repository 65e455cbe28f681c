// The Alarms page's calls: CloudWatch alarms over the awsJson 1.0 protocol on `POST /` (unsigned, as
// the server accepts without configured credentials), OpenSearch Alerting monitors and alerts, and
// Lookout's notification delivery log. An API the server does not have becomes ApiUnavailable, so the
// page can say so instead of failing.

/** The server does not serve this API (an older build, or the feature is not merged yet). */
export class ApiUnavailable extends Error {}

/** The API answered with an error (AWS `__type`/message or OpenSearch type/reason). */
export class AlarmApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

async function readJson(r: Response): Promise<any> {
  const text = await r.text();
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return { message: text };
  }
}

/** Calls a CloudWatch operation (GraniteServiceVersion20100801.<op>, JSON 1.0). */
export async function cloudWatch<T = any>(operation: string, input: Record<string, unknown>): Promise<T> {
  const r = await fetch('/', {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `GraniteServiceVersion20100801.${operation}` },
    body: JSON.stringify(input),
  });
  const body = await readJson(r);
  if (r.ok) return body as T;
  const type = String(body.__type ?? '').split('#').pop() ?? '';
  if (type === 'UnknownOperationException' || r.status === 404) throw new ApiUnavailable(`CloudWatch ${operation} is not available on this server`);
  throw new AlarmApiError(r.status, type || 'Error', body.message ?? body.Message ?? `HTTP ${r.status}`);
}

/** Calls an OpenSearch-style plugin route. */
export async function plugin<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  const r = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const parsed = await readJson(r);
  if (r.ok) return parsed as T;
  const err = parsed.error;
  const reason: string = typeof err === 'object' ? err.reason ?? '' : String(err ?? parsed.message ?? '');
  if ((r.status === 404 && !err?.type?.includes('not_found')) || /no handler found for uri/.test(reason)) {
    throw new ApiUnavailable(`${path.split('?')[0]} is not available on this server`);
  }
  throw new AlarmApiError(r.status, typeof err === 'object' ? err.type ?? 'error' : 'error', reason || `HTTP ${r.status}`);
}

// ---- CloudWatch metric alarms

export interface MetricAlarm {
  AlarmName: string;
  AlarmArn?: string;
  AlarmDescription?: string;
  StateValue: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  StateReason?: string;
  StateUpdatedTimestamp?: number | string;
  Namespace?: string;
  MetricName?: string;
  Dimensions?: Array<{ Name: string; Value: string }>;
  Statistic?: string;
  ExtendedStatistic?: string;
  Period?: number;
  EvaluationPeriods?: number;
  DatapointsToAlarm?: number;
  Threshold?: number;
  ComparisonOperator?: string;
  TreatMissingData?: string;
  ActionsEnabled?: boolean;
}

export interface AlarmHistoryItem {
  AlarmName: string;
  Timestamp: number | string;
  HistoryItemType: string;
  HistorySummary: string;
  HistoryData?: string;
}

/** Every metric alarm, following NextToken. */
export async function describeAlarms(): Promise<MetricAlarm[]> {
  const out: MetricAlarm[] = [];
  let token: string | undefined;
  for (let page = 0; page < 50; page++) {
    const r = await cloudWatch<{ MetricAlarms?: MetricAlarm[]; NextToken?: string }>('DescribeAlarms', { MaxRecords: 100, ...(token ? { NextToken: token } : {}) });
    out.push(...(r.MetricAlarms ?? []));
    token = r.NextToken;
    if (!token) break;
  }
  return out;
}

export async function describeAlarmHistory(alarmName: string, startMs: number, endMs: number): Promise<AlarmHistoryItem[]> {
  const r = await cloudWatch<{ AlarmHistoryItems?: AlarmHistoryItem[] }>('DescribeAlarmHistory', {
    AlarmName: alarmName, StartDate: Math.floor(startMs / 1000), EndDate: Math.ceil(endMs / 1000), MaxRecords: 100, ScanBy: 'TimestampDescending',
  });
  return r.AlarmHistoryItems ?? [];
}

export function putMetricAlarm(input: Record<string, unknown>): Promise<unknown> {
  return cloudWatch('PutMetricAlarm', input);
}

/** AWS JSON renders timestamps as epoch seconds; ISO strings are accepted too. */
export function awsTimeMs(t: number | string | undefined): number | null {
  if (t === undefined || t === null) return null;
  if (typeof t === 'number') return t < 1e11 ? t * 1000 : t;
  const n = Date.parse(t);
  return Number.isNaN(n) ? null : n;
}

// ---- Alerting monitors and alerts

export interface MonitorSummary { id: string; name: string; enabled: boolean; monitorType: string; schedule: string; indices: string[] }

export async function listMonitors(): Promise<MonitorSummary[]> {
  const r = await plugin<any>('POST', '/_plugins/_alerting/monitors/_search', { size: 1000, query: { match_all: {} } });
  return (r.hits?.hits ?? []).map((h: any) => {
    const m = h._source?.monitor ?? h._source ?? {};
    const p = m.schedule?.period;
    const schedule = p ? `every ${p.interval} ${String(p.unit).toLowerCase()}` : m.schedule?.cron ? `cron ${m.schedule.cron.expression}` : '';
    return {
      id: h._id, name: m.name ?? h._id, enabled: m.enabled !== false, monitorType: m.monitor_type ?? 'query_level_monitor', schedule,
      indices: (m.inputs ?? []).flatMap((i: any) => i.search?.indices ?? []),
    };
  });
}

export interface Alert {
  id: string;
  monitor_id: string;
  monitor_name: string;
  trigger_name: string;
  state: string;
  severity: string;
  start_time: number | null;
  last_notification_time?: number | null;
  end_time?: number | null;
  acknowledged_time?: number | null;
  error_message?: string | null;
  alert_history?: Array<{ timestamp: number; message: string }>;
}

export async function listAlerts(): Promise<Alert[]> {
  const r = await plugin<{ alerts?: Alert[] }>('GET', '/_plugins/_alerting/monitors/alerts?size=500&sortString=start_time&sortOrder=desc&alertState=ALL');
  return r.alerts ?? [];
}

export function acknowledgeAlerts(monitorId: string, alertIds: string[]): Promise<{ success: string[]; failed: string[] }> {
  return plugin('POST', `/_plugins/_alerting/monitors/${encodeURIComponent(monitorId)}/_acknowledge/alerts`, { alerts: alertIds });
}

export function createMonitor(body: Record<string, unknown>): Promise<{ _id: string }> {
  return plugin('POST', '/_plugins/_alerting/monitors', body);
}

// ---- Notification channels and delivery log

export interface Delivery {
  id: string;
  channel_id: string;
  source: string;
  name: string;
  kind: string;
  state: string;
  previous_state?: string;
  reason?: string;
  time?: string | number;
  created_time?: string | number;
  status: string;
  delivered_time?: string | number | null;
  muted_by?: string;
  attempts?: DeliveryAttempt[];
}

/** One try at delivering a notification (HTTP status, latency, outcome). */
export interface DeliveryAttempt {
  attempt?: number;
  time: number;
  status_code?: number;
  latency_ms: number;
  error?: string;
  outcome: 'delivered' | 'retry' | 'failed';
}

export async function deliveryLog(filter: { source?: string; name?: string } = {}): Promise<Delivery[]> {
  const q = new URLSearchParams({ size: '200' });
  if (filter.source) q.set('source', filter.source);
  if (filter.name) q.set('name', filter.name);
  const r = await plugin<{ notifications?: Delivery[] }>('GET', `/_plugins/_lookout/notifications?${q}`);
  return r.notifications ?? [];
}

export interface Channel { id: string; name: string; type: string }

export async function listChannels(): Promise<Channel[]> {
  const r = await plugin<{ config_list?: any[] }>('GET', '/_plugins/_notifications/configs?max_items=100');
  return (r.config_list ?? []).map((c) => ({ id: c.config_id, name: c.config?.name ?? c.config_id, type: c.config?.config_type ?? '' }));
}

/** Runs a loader, turning ApiUnavailable into a value the page shows as a notice. */
export async function optional<T>(load: () => Promise<T>): Promise<{ data: T | null; unavailable: string | null; error: string | null }> {
  try {
    return { data: await load(), unavailable: null, error: null };
  } catch (e) {
    if (e instanceof ApiUnavailable) return { data: null, unavailable: e.message, error: null };
    return { data: null, unavailable: null, error: e instanceof Error ? e.message : String(e) };
  }
}
