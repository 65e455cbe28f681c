// MetricDataReader over the engine: GetMetricData's model (stat queries per period, metric math over
// query ids) answered from the `cwm-*` datapoint documents. Queries on the same metric, period and unit
// share one scan, so alarms can batch every due alarm into one call.

import { AwsError, cloudWatchErrors } from '../aws/aws-error.ts';
import { metricKey } from './datapoint-document.ts';
import type { DatapointScanner } from './datapoint-scan.ts';
import { firstPeriodStart, PeriodBuckets, type PeriodAnchor } from './metric-buckets.ts';
import { evaluate, parseExpression, referencedIds, type Series } from './metric-math.ts';
import { parseStat, type Stat } from './metric-params.ts';
import type { MetricDataQuery, MetricDataReader, MetricDataResult } from './metric-data-reader.ts';

/** Periods one stat query may span (two weeks at 1 s is 1,209,600): bounds the memory of a query. */
export const MAX_PERIODS = 1_500_000;

/** The MetricDataReader over `cwm-*` datapoints in the engine (GetMetricData and alarms use it). */
export class EngineMetricReader implements MetricDataReader {
  constructor(private readonly scanner: DatapointScanner) {}

  /** The per-period statistics of one metric (exposed for GetMetricStatistics). */
  buckets(metric: { namespace: string; metricName: string; dimensions: Record<string, string> }, periodS: number, startMs: number, endMs: number, unit: string | undefined, percentiles: boolean, anchor: PeriodAnchor = 'epoch'): PeriodBuckets {
    const first = firstPeriodStart(startMs, periodS * 1000, anchor);
    const periods = Math.ceil((endMs - first) / (periodS * 1000));
    if (periods > MAX_PERIODS) {
      throw cloudWatchErrors.invalidParameterCombination(`The query spans ${periods} periods, more than the ${MAX_PERIODS} supported; increase the Period or narrow the time range.`);
    }
    const b = new PeriodBuckets(first, endMs, periodS * 1000, percentiles);
    // Percentiles and range statistics may come from Metric Streams' additional statistics too.
    this.scanner.scan(metricKey(metric.namespace, metric.metricName, metric.dimensions), b.startMs, endMs, unit, (d) => b.add(d), percentiles);
    return b;
  }

  async getMetricData(queries: MetricDataQuery[], startMs: number, endMs: number): Promise<MetricDataResult[]> {
    return this.getMetricDataSync(queries, startMs, endMs);
  }

  /**
   * `anchor`: where periods start (see PeriodAnchor): the wire operation's StartTime, or (alarms) epoch
   * multiples. `finestPeriodS`: stat queries whose period is not a multiple of it get no datapoints (see
   * finestPeriodS in get-metric-data.ts).
   */
  getMetricDataSync(queries: MetricDataQuery[], startMs: number, endMs: number, anchor: PeriodAnchor = 'epoch', finestPeriodS = 1): MetricDataResult[] {
    const byId = new Map(queries.map((q) => [q.id, q]));
    const shared = new Map<string, PeriodBuckets>();
    const wantsPercentiles = new Set(
      queries.filter((q) => q.metricStat && needsValues(parseStat(q.metricStat.stat))).map((q) => shareKey(q)),
    );
    /** Each query's answer, timestamps ascending; expressions see them as maps (built on demand). */
    const points = new Map<string, Points>();
    const asMaps = new Map<string, Series>();
    const visiting = new Set<string>();

    const pointsOf = (id: string): Points => {
      const done = points.get(id);
      if (done) return done;
      const q = byId.get(id);
      if (!q) throw cloudWatchErrors.invalidParameterValue(`Error in expression: unknown query id ${id}.`);
      if (visiting.has(id)) throw cloudWatchErrors.invalidParameterValue(`Error in expression ${id}: circular reference.`);
      visiting.add(id);
      let result: Points;
      if (q.metricStat) {
        const ms = q.metricStat;
        const stat = parseStat(ms.stat);
        if (!stat) throw cloudWatchErrors.invalidParameterValue(`The value ${ms.stat} for parameter Stat is not supported.`);
        result = { ts: [], values: [] };
        // A period finer than the data's age allows has no datapoints (nothing to scan).
        const key = shareKey(q);
        let b = ms.period % finestPeriodS === 0 ? shared.get(key) : null;
        if (b === undefined) {
          b = this.buckets(ms.metric, ms.period, startMs, endMs, ms.unit, wantsPercentiles.has(key), anchor);
          shared.set(key, b);
        }
        for (let i = 0; b && i < b.n; i++) {
          const v = b.stat(i, stat, ms.stat);
          if (v === undefined) continue;
          result.ts.push(b.timestamp(i));
          result.values.push(v);
        }
      } else {
        const node = parseExpression(q.expression ?? '', q.id);
        const period = (q.period ?? periodOfRefs(node)) * 1000;
        const first = firstPeriodStart(startMs, period, anchor);
        const timestamps: number[] = [];
        for (let t = first; t < endMs; t += period) timestamps.push(t);
        const s = evaluate(node, mapOf, () => queries.filter((x) => x.metricStat).map((x) => mapOf(x.id)), timestamps);
        const ts = [...s.keys()].sort((a, b) => a - b);
        result = { ts, values: ts.map((t) => s.get(t)!) };
      }
      visiting.delete(id);
      points.set(id, result);
      return result;
    };
    const mapOf = (id: string): Series => {
      let m = asMaps.get(id);
      if (!m) {
        const p = pointsOf(id);
        m = new Map(p.ts.map((t, i) => [t, p.values[i]]));
        asMaps.set(id, m);
      }
      return m;
    };
    const periodOfRefs = (node: ReturnType<typeof parseExpression>): number => {
      for (const id of referencedIds(node)) {
        const q = byId.get(id);
        if (q?.metricStat) return q.metricStat.period;
        if (q?.period) return q.period;
      }
      return 60;
    };

    const out: MetricDataResult[] = [];
    for (const q of queries) {
      const label = q.label ?? (q.metricStat ? q.metricStat.metric.metricName : q.id);
      let p: Points;
      try {
        p = pointsOf(q.id);
      } catch (err) {
        // One bad query (an unsupported stat, a broken expression) must not sink a batch of alarms:
        // it answers InternalError with the reason; the wire operations validate before calling.
        if (!(err instanceof AwsError)) throw err;
        visiting.clear();
        if (q.returnData !== false) out.push({ id: q.id, label, timestamps: [], values: [], statusCode: 'InternalError', messages: [{ code: err.queryCode, value: err.message }] });
        continue;
      }
      if (q.returnData === false) continue;
      out.push({ id: q.id, label, timestamps: p.ts, values: p.values, statusCode: 'Complete' });
    }
    return out;
  }
}

/** Whether a statistic needs each period's values (percentiles and range statistics do). */
function needsValues(stat: Stat | undefined): boolean {
  return stat !== undefined && stat.kind !== 'basic';
}

interface Points {
  ts: number[];
  values: number[];
}

function shareKey(q: MetricDataQuery): string {
  const ms = q.metricStat!;
  return `${metricKey(ms.metric.namespace, ms.metric.metricName, ms.metric.dimensions)}\u0000${ms.period}\u0000${ms.unit ?? ''}`;
}
