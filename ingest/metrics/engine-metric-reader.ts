// MetricDataReader over the engine: GetMetricData's model (stat queries per period, metric math over
// query ids) answered from the `cwm-*` datapoint documents. Queries on the same metric, period and unit
// share one scan, so alarms can batch every due alarm into one call.

import { cloudWatchErrors } from '../aws/aws-error.ts';
import { metricKey } from './datapoint-document.ts';
import type { DatapointScanner } from './datapoint-scan.ts';
import { PeriodBuckets } from './metric-buckets.ts';
import { evaluate, parseExpression, referencedIds, type Series } from './metric-math.ts';
import { parseStat } from './metric-params.ts';
import type { MetricDataQuery, MetricDataReader, MetricDataResult } from './metric-data-reader.ts';

export class EngineMetricReader implements MetricDataReader {
  constructor(private readonly scanner: DatapointScanner) {}

  /** The per-period statistics of one metric (exposed for GetMetricStatistics). */
  buckets(metric: { namespace: string; metricName: string; dimensions: Record<string, string> }, periodS: number, startMs: number, endMs: number, unit: string | undefined, percentiles: boolean): PeriodBuckets {
    const b = new PeriodBuckets(startMs, endMs, periodS * 1000, percentiles);
    this.scanner.scan(metricKey(metric.namespace, metric.metricName, metric.dimensions), b.startMs, endMs, unit, (d) => b.add(d));
    return b;
  }

  async getMetricData(queries: MetricDataQuery[], startMs: number, endMs: number): Promise<MetricDataResult[]> {
    return this.getMetricDataSync(queries, startMs, endMs);
  }

  getMetricDataSync(queries: MetricDataQuery[], startMs: number, endMs: number): MetricDataResult[] {
    const byId = new Map(queries.map((q) => [q.id, q]));
    const shared = new Map<string, PeriodBuckets>();
    const wantsPercentiles = new Set(
      queries.filter((q) => q.metricStat && parseStat(q.metricStat.stat)?.kind === 'percentile').map((q) => shareKey(q)),
    );
    const series = new Map<string, Series>();
    const visiting = new Set<string>();

    const seriesOf = (id: string): Series => {
      const done = series.get(id);
      if (done) return done;
      const q = byId.get(id);
      if (!q) throw cloudWatchErrors.invalidParameterValue(`Error in expression: unknown query id ${id}.`);
      if (visiting.has(id)) throw cloudWatchErrors.invalidParameterValue(`Error in expression ${id}: circular reference.`);
      visiting.add(id);
      let s: Series;
      if (q.metricStat) {
        const ms = q.metricStat;
        const stat = parseStat(ms.stat);
        if (!stat) throw cloudWatchErrors.invalidParameterValue(`The value ${ms.stat} for parameter Stat is not supported.`);
        const key = shareKey(q);
        let b = shared.get(key);
        if (!b) {
          b = this.buckets(ms.metric, ms.period, startMs, endMs, ms.unit, wantsPercentiles.has(key));
          shared.set(key, b);
        }
        s = new Map();
        for (let i = 0; i < b.n; i++) {
          const v = b.stat(i, stat);
          if (v !== undefined) s.set(b.timestamp(i), v);
        }
      } else {
        const node = parseExpression(q.expression ?? '', q.id);
        const period = (q.period ?? periodOfRefs(node)) * 1000;
        const first = Math.floor(startMs / period) * period;
        const timestamps: number[] = [];
        for (let t = first; t < endMs; t += period) timestamps.push(t);
        s = evaluate(node, seriesOf, () => queries.filter((x) => x.metricStat).map((x) => seriesOf(x.id)), timestamps);
      }
      visiting.delete(id);
      series.set(id, s);
      return s;
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
      const s = seriesOf(q.id);
      if (q.returnData === false) continue;
      const timestamps = [...s.keys()].sort((a, b) => a - b);
      out.push({
        id: q.id,
        label: q.label ?? (q.metricStat ? q.metricStat.metric.metricName : q.id),
        timestamps,
        values: timestamps.map((t) => s.get(t)!),
        statusCode: 'Complete',
      });
    }
    return out;
  }
}

function shareKey(q: MetricDataQuery): string {
  const ms = q.metricStat!;
  return `${metricKey(ms.metric.namespace, ms.metric.metricName, ms.metric.dimensions)}\u0000${ms.period}\u0000${ms.unit ?? ''}`;
}
