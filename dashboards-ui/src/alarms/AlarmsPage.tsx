// The Alarms page: CloudWatch metric alarms with their state and a 24-hour state timeline from
// DescribeAlarmHistory; Alerting monitors with their alerts (acknowledge); and the notification
// delivery log. Each section loads on its own and says plainly when the server lacks its API.

import { Fragment, useCallback, useEffect, useState } from 'react';
import {
  acknowledgeAlerts, awsTimeMs, deliveryLog, describeAlarmHistory, describeAlarms, listAlerts, listMonitors, optional,
} from './alarms-api.ts';
import type { Alert, AlarmHistoryItem, Delivery, MetricAlarm, MonitorSummary } from './alarms-api.ts';
import { COMPARISONS } from './alarm-from-visualization.ts';
import type { ComparisonOperator } from './alarm-from-visualization.ts';
import { stateSegments } from './state-timeline.ts';
import '../visualize/visualize.css';
import './alarms.css';

type Section<T> = { data: T | null; unavailable: string | null; error: string | null } | null;

const HOUR = 3_600_000;

export default function AlarmsPage() {
  const [alarms, setAlarms] = useState<Section<MetricAlarm[]>>(null);
  const [monitors, setMonitors] = useState<Section<MonitorSummary[]>>(null);
  const [alerts, setAlerts] = useState<Section<Alert[]>>(null);
  const [deliveries, setDeliveries] = useState<Section<Delivery[]>>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const load = useCallback(() => {
    optional(describeAlarms).then(setAlarms);
    optional(listMonitors).then(setMonitors);
    optional(listAlerts).then(setAlerts);
    optional(() => deliveryLog()).then(setDeliveries);
  }, []);
  useEffect(() => {
    load();
    const t = setInterval(load, 30_000);
    return () => clearInterval(t);
  }, [load]);

  const ack = async (a: Alert) => {
    try {
      const r = await acknowledgeAlerts(a.monitor_id, [a.id]);
      setMessage(r.success?.includes(a.id) ? `Acknowledged alert of ${a.monitor_name}.` : `Could not acknowledge (alert is ${a.state}).`);
      load();
    } catch (e) {
      setMessage((e as Error).message);
    }
  };

  return (
    <div className="alarms-page">
      <div className="row page-header">
        <h2 className="grow">Alarms</h2>
        <button className="btn" onClick={load}>Refresh</button>
      </div>
      {message && <div className="callout" role="status">{message}</div>}

      <h3>Metric alarms</h3>
      <SectionState s={alarms} what="CloudWatch alarms" />
      {alarms?.data && (alarms.data.length === 0 ? <div className="empty-state">No metric alarms. Create one from a cwm-* visualization, or with PutMetricAlarm.</div> : (
        <table className="list-table alarms-table" data-testid="metric-alarms">
          <thead><tr><th>State</th><th>Name</th><th>Metric</th><th>Condition</th><th>Since</th></tr></thead>
          <tbody>
            {alarms.data.map((a) => (
              <Fragment key={a.AlarmName}>
                <tr className="clickable" onClick={() => setOpen(open === a.AlarmName ? null : a.AlarmName)}>
                  <td><StateBadge state={a.StateValue} /></td>
                  <td>{a.AlarmName}</td>
                  <td className="small">{a.Namespace} {a.MetricName}{a.Dimensions?.length ? ` (${a.Dimensions.map((d) => `${d.Name}=${d.Value}`).join(', ')})` : ''}</td>
                  <td className="small">{conditionText(a)}</td>
                  <td className="small muted">{fmtTime(awsTimeMs(a.StateUpdatedTimestamp))}</td>
                </tr>
                {open === a.AlarmName && (
                  <tr><td colSpan={5}><AlarmDetail alarm={a} /></td></tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      ))}

      <h3>Monitors</h3>
      <SectionState s={monitors} what="Alerting monitors" />
      {monitors?.data && (monitors.data.length === 0 ? <div className="empty-state">No monitors.</div> : (
        <table className="list-table" data-testid="monitors">
          <thead><tr><th>Name</th><th>Type</th><th>Schedule</th><th>Indices</th><th>Enabled</th><th>Active alerts</th></tr></thead>
          <tbody>
            {monitors.data.map((m) => (
              <tr key={m.id}>
                <td>{m.name}</td><td className="small">{m.monitorType.replace(/_/g, ' ')}</td><td className="small">{m.schedule}</td>
                <td className="small">{m.indices.join(', ')}</td><td>{m.enabled ? 'yes' : 'no'}</td>
                <td>{(alerts?.data ?? []).filter((a) => a.monitor_id === m.id && a.state === 'ACTIVE').length}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}

      <h3>Alerts</h3>
      <SectionState s={alerts} what="Alerting alerts" />
      {alerts?.data && (alerts.data.length === 0 ? <div className="empty-state">No alerts.</div> : (
        <table className="list-table" data-testid="alerts">
          <thead><tr><th>State</th><th>Monitor</th><th>Trigger</th><th>Severity</th><th>Started</th><th>Ended / acknowledged</th><th /></tr></thead>
          <tbody>
            {alerts.data.map((a) => (
              <tr key={a.id}>
                <td><StateBadge state={a.state} /></td><td>{a.monitor_name}</td><td>{a.trigger_name}</td><td>{a.severity}</td>
                <td className="small">{fmtTime(a.start_time)}</td>
                <td className="small muted">{fmtTime(a.end_time ?? a.acknowledged_time ?? null)}</td>
                <td>{a.state === 'ACTIVE' && <button className="btn small" onClick={() => ack(a)}>Acknowledge</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}

      <h3>Delivery log</h3>
      <SectionState s={deliveries} what="The notification delivery log" />
      {deliveries?.data && (deliveries.data.length === 0 ? <div className="empty-state">Nothing sent yet.</div> : <DeliveryTable rows={deliveries.data} />)}
    </div>
  );
}

function SectionState({ s, what }: { s: Section<unknown>; what: string }) {
  if (!s) return <div className="loading">Loading…</div>;
  if (s.unavailable) return <div className="callout unavailable">{what} API is not available on this server ({s.unavailable}).</div>;
  if (s.error) return <div className="callout danger">{s.error}</div>;
  return null;
}

export function StateBadge({ state }: { state: string }) {
  return <span className={`state-badge state-${state.toLowerCase()}`}>{state.replace(/_/g, ' ')}</span>;
}

function conditionText(a: MetricAlarm): string {
  const stat = a.ExtendedStatistic ?? a.Statistic ?? '';
  const op = COMPARISONS[a.ComparisonOperator as ComparisonOperator] ?? a.ComparisonOperator ?? '';
  const m = a.DatapointsToAlarm ?? a.EvaluationPeriods;
  return `${stat} ${op} ${a.Threshold} for ${m} of ${a.EvaluationPeriods} × ${a.Period}s`;
}

/** "2 (last: HTTP 200, 12 ms)" from the delivery attempts. */
function attemptsText(attempts: Delivery['attempts']): string {
  if (!Array.isArray(attempts) || attempts.length === 0) return '0';
  const last = attempts[attempts.length - 1];
  const what = last.status_code ? `HTTP ${last.status_code}` : last.error ?? last.outcome;
  return `${attempts.length} (last: ${what}, ${Math.round(last.latency_ms)} ms)`;
}

function fmtTime(ms: number | null | undefined): string {
  return ms ? new Date(ms).toLocaleString() : '–';
}

function AlarmDetail({ alarm }: { alarm: MetricAlarm }) {
  const [items, setItems] = useState<AlarmHistoryItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [deliveries, setDeliveries] = useState<Delivery[] | null>(null);
  const [end] = useState(() => Date.now());
  const start = end - 24 * HOUR;
  useEffect(() => {
    describeAlarmHistory(alarm.AlarmName, end - 14 * 24 * HOUR, end).then(setItems, (e: Error) => setError(e.message));
    optional(() => deliveryLog({ source: 'metric_alarm', name: alarm.AlarmName })).then((r) => setDeliveries(r.data));
  }, [alarm.AlarmName, end]);
  const segments = items ? stateSegments(items, start, end, alarm.StateValue) : [];
  return (
    <div className="alarm-detail">
      <div className="small">{alarm.StateReason}</div>
      {error && <div className="callout danger">History: {error}</div>}
      <div className="timeline" aria-label="State timeline (24 hours)">
        {segments.map((s, i) => (
          <div key={i} className={`timeline-seg state-${s.state.toLowerCase()}`} style={{ flex: `${s.to - s.from} 0 0`, minWidth: 4 }}
            title={`${s.state} ${new Date(s.from).toLocaleString()} → ${new Date(s.to).toLocaleString()}`} />
        ))}
      </div>
      <div className="row small muted"><span className="grow">24 hours ago</span><span>now</span></div>
      {items && (
        <table className="list-table history-table">
          <tbody>
            {items.slice(0, 20).map((h, i) => (
              <tr key={i}><td className="small muted">{fmtTime(awsTimeMs(h.Timestamp))}</td><td className="small">{h.HistoryItemType}</td><td className="small">{h.HistorySummary}</td></tr>
            ))}
          </tbody>
        </table>
      )}
      {deliveries && deliveries.length > 0 && <DeliveryTable rows={deliveries} />}
    </div>
  );
}

function DeliveryTable({ rows }: { rows: Delivery[] }) {
  return (
    <table className="list-table" data-testid="deliveries">
      <thead><tr><th>Time</th><th>Source</th><th>Name</th><th>Transition</th><th>Channel</th><th>Status</th><th>Attempts</th></tr></thead>
      <tbody>
        {rows.map((d) => (
          <tr key={d.id}>
            <td className="small">{fmtTime(typeof d.created_time === 'number' ? d.created_time : d.created_time ? Date.parse(d.created_time) : null)}</td>
            <td className="small">{d.source}</td><td>{d.name}</td>
            <td className="small">{d.previous_state ? `${d.previous_state} → ` : ''}{d.state}</td>
            <td className="small">{d.channel_id}</td><td><span className={`delivery-${d.status}`}>{d.status}</span>{d.muted_by ? <span className="muted small"> by {d.muted_by}</span> : null}</td>
            <td className="small" title={(d.attempts ?? []).map((a) => `${new Date(a.time).toLocaleTimeString()} ${a.status_code ?? a.error ?? ''} ${a.outcome}`).join('\n')}>{attemptsText(d.attempts)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
