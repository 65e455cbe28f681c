// "Create alarm from this visualization": a CloudWatch PutMetricAlarm input for a visualization of
// `cwm-*` datapoints (the metric is read from its query: namespace, metricName, dimensions.<Name>), or
// an Alerting query-level monitor for any other (log) visualization, counting or aggregating the same
// query over the last interval. Pure, so the mapping is unit-tested.

import { intervalMs } from '../visualize/specs/interval.ts';
import type { Dsl, QueryTranslator } from '../visualize/specs/aggs-request.ts';
import type { MetricAgg, VisState } from '../visualize/specs/vis-state.ts';

export type ComparisonOperator = 'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';

export const COMPARISONS: Record<ComparisonOperator, string> = {
  GreaterThanThreshold: '>', GreaterThanOrEqualToThreshold: '>=', LessThanThreshold: '<', LessThanOrEqualToThreshold: '<=',
};

export interface MetricIdentity { namespace: string; metricName: string; dimensions: Array<{ Name: string; Value: string }> }

/** A DQL `field:value` clause's value, quoted or bare. */
function clauseValue(query: string, field: string): string | undefined {
  const re = new RegExp(`(?:^|[\\s(])${field.replace(/\./g, '\\.')}\\s*:\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^\\s()"]+))`);
  const m = re.exec(query);
  if (!m) return undefined;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2];
}

/** True when the visualization reads CloudWatch metric datapoints. */
export function isMetricVisualization(state: VisState): boolean {
  return /^cwm-/.test(state.index);
}

/** The metric a cwm-* visualization shows, from `namespace:` / `metricName:` / `dimensions.X:` clauses. */
export function metricIdentity(state: VisState): MetricIdentity | null {
  const q = state.query ?? '';
  const namespace = clauseValue(q, 'namespace');
  const metricName = clauseValue(q, 'metricName');
  if (!namespace || !metricName || namespace.includes('*') || metricName.includes('*')) return null;
  const dimensions: MetricIdentity['dimensions'] = [];
  for (const m of q.matchAll(/(?:^|[\s(])dimensions\.([A-Za-z0-9_.-]+)\s*:/g)) {
    const v = clauseValue(q, `dimensions.${m[1]}`);
    if (v && !v.includes('*') && !dimensions.some((d) => d.Name === m[1])) dimensions.push({ Name: m[1], Value: v });
  }
  return { namespace, metricName, dimensions };
}

/** The CloudWatch statistic of a builder metric (cardinality has none). */
export function statisticOf(m: MetricAgg): { Statistic: string } | { ExtendedStatistic: string } | null {
  switch (m.type) {
    case 'count': return { Statistic: 'SampleCount' };
    case 'sum': return { Statistic: 'Sum' };
    case 'avg': return { Statistic: 'Average' };
    case 'min': return { Statistic: 'Minimum' };
    case 'max': return { Statistic: 'Maximum' };
    case 'percentiles': return { ExtendedStatistic: `p${(m.percents?.[0] ?? 99)}` };
    case 'cardinality': return null;
  }
}

/** The alarm period in seconds: the date histogram's interval rounded up to a valid period (default 300). */
export function periodOf(state: VisState): number {
  const dh = state.buckets.find((b) => b.type === 'date_histogram');
  if (!dh || !dh.interval || dh.interval === 'auto') return 300;
  const s = Math.ceil(intervalMs(String(dh.interval)) / 1000);
  if (s <= 10) return 10;
  if (s <= 30) return s <= 20 ? 20 : 30;
  return Math.min(86_400, Math.ceil(s / 60) * 60);
}

export interface AlarmOptions {
  name: string;
  threshold: number;
  comparison: ComparisonOperator;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  /** Notification channel ids (used as SNS-style action names / monitor destinations). */
  actions?: string[];
  description?: string;
}

export class AlarmDraftError extends Error {}

/** PutMetricAlarm input (JSON 1.0 shape) for a cwm-* visualization. */
export function metricAlarmFromVis(state: VisState, o: AlarmOptions): Record<string, unknown> {
  const metric = metricIdentity(state);
  if (!metric) throw new AlarmDraftError('The visualization query must name one metric: namespace:"AWS/…" and metricName:"…" (dimensions.<Name>:"…" optional, no wildcards).');
  const m = state.metrics[0];
  const stat = m && statisticOf(m);
  if (!stat) throw new AlarmDraftError('The first metric must be count, sum, average, min, max or a percentile to alarm on it.');
  if (!o.name.trim()) throw new AlarmDraftError('Give the alarm a name.');
  if (!(o.evaluationPeriods >= 1) || !(o.datapointsToAlarm >= 1) || o.datapointsToAlarm > o.evaluationPeriods) {
    throw new AlarmDraftError('Datapoints to alarm must be between 1 and the number of evaluation periods.');
  }
  return {
    AlarmName: o.name.trim(),
    AlarmDescription: o.description ?? `Created from a Lookout visualization of ${metric.namespace} ${metric.metricName}`,
    Namespace: metric.namespace,
    MetricName: metric.metricName,
    Dimensions: metric.dimensions,
    ...stat,
    Period: periodOf(state),
    EvaluationPeriods: o.evaluationPeriods,
    DatapointsToAlarm: o.datapointsToAlarm,
    Threshold: o.threshold,
    ComparisonOperator: o.comparison,
    TreatMissingData: 'missing',
    ActionsEnabled: true,
    AlarmActions: (o.actions ?? []).map(channelArn),
    OKActions: (o.actions ?? []).map(channelArn),
  };
}

/**
 * A notification channel as an alarm action: Lookout reads SNS topic ARNs whose topic name is the
 * channel id (`arn:aws:sns:<region>:<account>:<channel-id>`).
 */
export function channelArn(channelId: string): string {
  return `arn:aws:sns:us-east-1:000000000000:${channelId}`;
}

/**
 * A query-level monitor for a log visualization: every period it searches the visualization's index
 * and query over the last period and compares the hit count (count) or the first metric's value.
 */
export function queryMonitorFromVis(state: VisState, o: AlarmOptions, translate: QueryTranslator): Record<string, unknown> {
  if (!o.name.trim()) throw new AlarmDraftError('Give the monitor a name.');
  if (!state.timeField) throw new AlarmDraftError('The visualization needs a time field to be monitored over time.');
  const periodMin = Math.max(1, Math.round(periodOf(state) / 60));
  const filter: Dsl[] = [{ range: { [state.timeField]: { gte: `{{period_end}}||-${periodMin}m`, lte: '{{period_end}}', format: 'epoch_millis' } } }];
  if (state.query?.trim()) filter.push(translate(state.query.trim()));
  const m = state.metrics[0];
  const aggs: Dsl = {};
  let path = 'ctx.results[0].hits.total.value';
  if (m && m.type !== 'count') {
    if (!m.field) throw new AlarmDraftError('The first metric needs a field.');
    if (m.type === 'percentiles') {
      const p = m.percents?.[0] ?? 99;
      aggs.metric = { percentiles: { field: m.field, percents: [p] } };
      path = `ctx.results[0].aggregations.metric.values["${Number(p).toFixed(1)}"]`;
    } else {
      aggs.metric = { [m.type]: { field: m.field } };
      path = 'ctx.results[0].aggregations.metric.value';
    }
  }
  return {
    type: 'monitor',
    monitor_type: 'query_level_monitor',
    name: o.name.trim(),
    enabled: true,
    schedule: { period: { interval: periodMin, unit: 'MINUTES' } },
    inputs: [{
      search: {
        indices: [state.index],
        query: { size: 0, track_total_hits: true, query: { bool: { filter } }, ...(Object.keys(aggs).length ? { aggs } : {}) },
      },
    }],
    triggers: [{
      query_level_trigger: {
        name: `${o.name.trim()} ${COMPARISONS[o.comparison]} ${o.threshold}`,
        severity: '2',
        condition: { script: { source: `${path} ${COMPARISONS[o.comparison]} ${o.threshold}`, lang: 'painless' } },
        actions: (o.actions ?? []).map((id, i) => ({
          name: `notify-${i + 1}`,
          destination_id: id,
          subject_template: { source: 'Monitor {{ctx.monitor.name}} triggered', lang: 'mustache' },
          message_template: { source: 'Monitor {{ctx.monitor.name}} just entered alert status. Trigger: {{ctx.trigger.name}}. Period end: {{ctx.periodEnd}}.', lang: 'mustache' },
          throttle_enabled: false,
        })),
      },
    }],
  };
}
