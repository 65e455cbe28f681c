// Turns the alarms due in one scheduler tick into one MetricDataReader call and its answer back into
// each alarm's per-period datapoints. Identical metric stats (same metric, period, statistic, unit) are
// queried once however many alarms watch them; metric-math alarms get their query ids prefixed so
// several can share the call.

import type { MetricDataQuery, MetricDataResult } from '../../ingest/metrics/metric-data-reader.ts';
import { datapointsToAlarm, type AlarmConfig, type Dimension } from './alarm-types.ts';
import { evaluationRange, type EvaluationCriteria, type PeriodDatapoint } from './datapoint-evaluation.ts';

/** The periods an evaluation at `now` looks at: complete periods ending at least `lagMs` before now. */
export function evaluationWindow(config: AlarmConfig, now: number, lagMs: number): { startMs: number; endMs: number; periodMs: number } {
  const periodMs = config.Period * 1000;
  const endMs = Math.floor((now - lagMs) / periodMs) * periodMs;
  return { startMs: endMs - evaluationRange(config.EvaluationPeriods) * periodMs, endMs, periodMs };
}

/** What the evaluation needs of a config (statistic named in StateReasonData, low-sample-count minimum). */
export function evaluationCriteria(c: AlarmConfig): EvaluationCriteria {
  return {
    evaluationPeriods: c.EvaluationPeriods,
    datapointsToAlarm: datapointsToAlarm(c),
    threshold: c.Threshold,
    comparisonOperator: c.ComparisonOperator,
    // CloudWatch evaluates AWS/DynamoDB alarms as `ignore` whatever TreatMissingData says.
    treatMissingData: c.Namespace === 'AWS/DynamoDB' ? 'ignore' : c.TreatMissingData,
    period: c.Period,
    statistic: c.Statistic ?? c.ExtendedStatistic,
    minSampleCount: lowSampleMinimum(c),
  };
}

/** `EvaluateLowSampleCountPercentile=ignore` on `pNN`: 10/(1-p) samples for p ≥ 0.5, 10/p below (AWS). */
function lowSampleMinimum(c: AlarmConfig): number | undefined {
  if (c.EvaluateLowSampleCountPercentile !== 'ignore' || !c.ExtendedStatistic) return undefined;
  const m = /^p(\d+(?:\.\d+)?)$/.exec(c.ExtendedStatistic);
  if (!m) return undefined;
  const p = Number(m[1]) / 100;
  if (p <= 0 || p >= 1) return undefined;
  return Math.ceil(p >= 0.5 ? 10 / (1 - p) : 10 / p);
}

export function dimensionRecord(dims: Dimension[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of dims ?? []) out[d.Name] = d.Value;
  return out;
}

interface Entry {
  config: AlarmConfig;
  window: { startMs: number; endMs: number; periodMs: number };
  /** The query id whose values are the alarm's datapoints. */
  valueId: string;
  /** The query id of the SampleCount companion (low-sample-count percentiles). */
  countId?: string;
}

/** One tick's alarms and the queries that answer them all. */
export class QueryBatch {
  readonly queries: MetricDataQuery[] = [];
  private readonly entries: Entry[] = [];
  private readonly statIds = new Map<string, string>();
  startMs = Infinity;
  endMs = -Infinity;

  /** Adds an alarm evaluated at `now`; returns its position for `datapoints`. */
  add(config: AlarmConfig, now: number, lagMs: number): number {
    const window = evaluationWindow(config, now, lagMs);
    this.startMs = Math.min(this.startMs, window.startMs);
    this.endMs = Math.max(this.endMs, window.endMs);
    let valueId: string;
    let countId: string | undefined;
    if (config.Metrics) valueId = this.addMath(config);
    else {
      const metric = { namespace: config.Namespace!, metricName: config.MetricName!, dimensions: dimensionRecord(config.Dimensions) };
      valueId = this.statQuery(metric, config.Period, (config.Statistic ?? config.ExtendedStatistic)!, config.Unit);
      if (lowSampleMinimum(config) !== undefined) countId = this.statQuery(metric, config.Period, 'SampleCount', config.Unit);
    }
    this.entries.push({ config, window, valueId, countId });
    return this.entries.length - 1;
  }

  get size(): number {
    return this.entries.length;
  }

  /** One query per distinct metric stat. */
  private statQuery(metric: { namespace: string; metricName: string; dimensions: Record<string, string> }, period: number, stat: string, unit: string | undefined): string {
    const dims = Object.keys(metric.dimensions).sort().map((k) => [k, metric.dimensions[k]]);
    const key = JSON.stringify([metric.namespace, metric.metricName, dims, period, stat, unit ?? null]);
    let id = this.statIds.get(key);
    if (!id) {
      id = `q${this.queries.length}`;
      this.statIds.set(key, id);
      this.queries.push({ id, metricStat: { metric, period, stat, unit } });
    }
    return id;
  }

  /** A math alarm's queries with ids prefixed by the alarm's position (expressions rewritten to match). */
  private addMath(config: AlarmConfig): string {
    const prefix = `a${this.entries.length}_`;
    const ids = new Set(config.Metrics!.map((m) => m.Id));
    let valueId = '';
    for (const m of config.Metrics!) {
      const id = prefix + m.Id;
      const returned = m.ReturnData !== false;
      if (returned) valueId = id;
      const q: MetricDataQuery = { id, returnData: returned, label: m.Label };
      if (m.MetricStat) {
        const s = m.MetricStat;
        q.metricStat = { metric: { namespace: s.Metric.Namespace, metricName: s.Metric.MetricName, dimensions: dimensionRecord(s.Metric.Dimensions) }, period: s.Period, stat: s.Stat, unit: s.Unit };
      } else {
        // Query ids start with a lower-case letter; function names are upper case, so they never clash.
        q.expression = m.Expression!.replace(/\b[a-z][A-Za-z0-9_]*\b/g, (tok) => (ids.has(tok) ? prefix + tok : tok));
        q.period = m.Period ?? config.Period;
      }
      this.queries.push(q);
    }
    return valueId;
  }

  /** The alarm's datapoints, one per period of its window (oldest first), from the reader's results. */
  datapoints(position: number, results: Map<string, MetricDataResult>): PeriodDatapoint[] | null {
    const e = this.entries[position];
    const values = results.get(e.valueId);
    if (!values || values.statusCode === 'InternalError' || values.statusCode === 'Forbidden') return null;
    const counts = e.countId ? results.get(e.countId) : undefined;
    const byTime = new Map<number, number>();
    for (let i = 0; i < values.timestamps.length; i++) byTime.set(values.timestamps[i], values.values[i]);
    const countByTime = new Map<number, number>();
    if (counts) for (let i = 0; i < counts.timestamps.length; i++) countByTime.set(counts.timestamps[i], counts.values[i]);
    const out: PeriodDatapoint[] = [];
    for (let t = e.window.startMs; t < e.window.endMs; t += e.window.periodMs) {
      const v = byTime.get(t);
      const p: PeriodDatapoint = { timestamp: t, value: v === undefined || !Number.isFinite(v) ? null : v };
      if (e.countId) p.sampleCount = countByTime.get(t) ?? 0;
      out.push(p);
    }
    return out;
  }
}
