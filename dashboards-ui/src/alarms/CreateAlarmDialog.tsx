// "Create alarm from this visualization": a CloudWatch metric alarm (PutMetricAlarm) for cwm-*
// visualizations, or an Alerting query monitor for log visualizations. Shows the request it will send.

import { useEffect, useMemo, useState } from 'react';
import { translateQuery } from '../visualize/dql.ts';
import type { VisState } from '../visualize/specs/vis-state.ts';
import {
  AlarmDraftError, COMPARISONS, isMetricVisualization, metricAlarmFromVis, queryMonitorFromVis,
} from './alarm-from-visualization.ts';
import type { ComparisonOperator } from './alarm-from-visualization.ts';
import { createMonitor, listChannels, optional, putMetricAlarm } from './alarms-api.ts';
import type { Channel } from './alarms-api.ts';
import { href } from '../app/router.ts';

export default function CreateAlarmDialog({ state, title, onClose }: { state: VisState; title: string; onClose: () => void }) {
  const metric = isMetricVisualization(state);
  const [name, setName] = useState(title.replace(/[()]/g, '').replace(/[^\w .:-]+/g, '-').trim());
  const [threshold, setThreshold] = useState('0');
  const [comparison, setComparison] = useState<ComparisonOperator>('GreaterThanThreshold');
  const [periods, setPeriods] = useState(3);
  const [toAlarm, setToAlarm] = useState(2);
  const [channels, setChannels] = useState<Channel[]>([]);
  const [channel, setChannel] = useState('');
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => { optional(listChannels).then((r) => setChannels(r.data ?? [])); }, []);

  const draft = useMemo(() => {
    const opts = { name, threshold: Number(threshold), comparison, evaluationPeriods: periods, datapointsToAlarm: toAlarm, actions: channel ? [channel] : [] };
    try {
      if (!Number.isFinite(opts.threshold)) throw new AlarmDraftError('Threshold must be a number.');
      return { body: metric ? metricAlarmFromVis(state, opts) : queryMonitorFromVis(state, opts, translateQuery), error: null };
    } catch (e) {
      return { body: null, error: (e as Error).message };
    }
  }, [state, name, threshold, comparison, periods, toAlarm, channel, metric]);

  const create = async () => {
    if (!draft.body) return;
    setBusy(true);
    try {
      if (metric) await putMetricAlarm(draft.body);
      else await createMonitor(draft.body);
      setStatus({ ok: true, text: metric ? `Alarm "${name}" created.` : `Monitor "${name}" created.` });
    } catch (e) {
      setStatus({ ok: false, text: (e as Error).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div className="modal" role="dialog" aria-label="Create alarm" onClick={(e) => e.stopPropagation()}>
        <h3>{metric ? 'Create metric alarm' : 'Create query monitor'}</h3>
        <p className="muted small">
          {metric
            ? 'A CloudWatch alarm on the metric this visualization shows (PutMetricAlarm).'
            : 'An Alerting monitor that runs this visualization\'s query every period and compares the first metric.'}
        </p>
        <label>Name<input className="text" aria-label="Alarm name" value={name} onChange={(e) => setName(e.target.value)} /></label>
        <div className="row">
          <label>Condition
            <select className="select" aria-label="Comparison" value={comparison} onChange={(e) => setComparison(e.target.value as ComparisonOperator)}>
              {(Object.keys(COMPARISONS) as ComparisonOperator[]).map((c) => <option key={c} value={c}>{COMPARISONS[c]}</option>)}
            </select>
          </label>
          <label>Threshold<input className="text short" aria-label="Threshold" value={threshold} onChange={(e) => setThreshold(e.target.value)} /></label>
          {metric && (
            <>
              <label>Datapoints to alarm<input className="text short" type="number" min={1} value={toAlarm} onChange={(e) => setToAlarm(Number(e.target.value))} /></label>
              <label>out of<input className="text short" type="number" min={1} value={periods} onChange={(e) => setPeriods(Number(e.target.value))} /></label>
            </>
          )}
        </div>
        <label>Notify
          <select className="select" aria-label="Channel" value={channel} onChange={(e) => setChannel(e.target.value)}>
            <option value="">— no notification —</option>
            {channels.map((c) => <option key={c.id} value={c.id}>{c.name} ({c.type})</option>)}
          </select>
        </label>
        {draft.error && <div className="callout danger">{draft.error}</div>}
        {draft.body && <details><summary className="small">Request</summary><pre>{JSON.stringify(draft.body, null, 2)}</pre></details>}
        {status && <div className={`callout${status.ok ? '' : ' danger'}`}>{status.text} {status.ok && <a href={href('alarms')}>Open Alarms</a>}</div>}
        <div className="row" style={{ justifyContent: 'flex-end', marginTop: 12 }}>
          <button className="btn" onClick={onClose}>Close</button>
          <button className="btn primary" disabled={!draft.body || busy} onClick={create}>Create</button>
        </div>
      </div>
    </div>
  );
}
