// GetMetricStatistics (specs/aws.md §4.2): the basic statistics and percentiles of one metric (all
// dimensions must match exactly) per period, ≤ 1 440 datapoints per call, with each datapoint's unit.

import { cloudWatchErrors } from '../aws/aws-error.ts';
import { optList, type AwsInput } from '../aws/aws-input.ts';
import type { EngineMetricReader } from './engine-metric-reader.ts';
import { finestPeriodS, requireRange } from './get-metric-data.ts';
import { BASIC_STATS, checkName, checkNamespace, optUnit, parseDimensions, parseStat, requirePeriod, requireString, type BasicStat } from './metric-params.ts';

const invalid = cloudWatchErrors.invalidParameterValue;
export const MAX_STATISTICS_DATAPOINTS = 1440;

/** The GetMetricStatistics operation over a metric reader. */
export function getMetricStatisticsOperation(reader: EngineMetricReader, clock: () => number = Date.now) {
  return async (input: AwsInput) => {
    const namespace = requireString(input, 'Namespace');
    checkNamespace(namespace);
    const metricName = requireString(input, 'MetricName');
    checkName(metricName, 'MetricName', 255);
    const dimensions = parseDimensions(input, 'Dimensions', 'Dimensions') as Record<string, string>;
    const now = clock();
    const { startMs, endMs } = requireRange(input, now);
    const period = requirePeriod(input, 'Period', 'Period');
    const unit = optUnit(input, 'Unit', 'Unit');
    const statistics = (optList(input, 'Statistics', invalid) ?? []).map((s, i) => {
      if (typeof s !== 'string' || !(BASIC_STATS as readonly string[]).includes(s)) {
        throw invalid(`The value ${String(s)} for parameter Statistics.member.${i + 1} is not valid (SampleCount, Average, Sum, Minimum, Maximum).`);
      }
      return s as BasicStat;
    });
    const extended = (optList(input, 'ExtendedStatistics', invalid) ?? []).map((s, i) => {
      const st = typeof s === 'string' ? parseStat(s) : undefined;
      if (!st || st.kind !== 'percentile') throw invalid(`The value ${String(s)} for parameter ExtendedStatistics.member.${i + 1} is not a valid percentile (p0.0 to p100).`);
      return { name: s as string, p: st.p };
    });
    if (statistics.length === 0 && extended.length === 0) {
      throw cloudWatchErrors.invalidParameterCombination('Must specify either Statistics or ExtendedStatistics.');
    }
    if (statistics.length > 5) throw invalid('The collection Statistics must not have a size greater than 5.');
    if (extended.length > 10) throw invalid('The collection ExtendedStatistics must not have a size greater than 10.');
    const periodMs = period * 1000;
    const requested = Math.ceil((endMs - startMs) / periodMs);
    if (requested > MAX_STATISTICS_DATAPOINTS) {
      throw cloudWatchErrors.invalidParameterCombination(
        `You have requested up to ${requested} datapoints, which exceeds the limit of ${MAX_STATISTICS_DATAPOINTS}. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
      );
    }

    if (period % finestPeriodS(startMs, now) !== 0) return { Label: metricName, Datapoints: [] };
    const metric = { namespace, metricName, dimensions };
    const all = reader.buckets(metric, period, startMs, endMs, unit, extended.length > 0, 'start');
    // Without a Unit, data written with different units is not added together (CloudWatch converts no
    // units): each unit's datapoints come separately, with their unit.
    const perUnit = unit === undefined && all.unitsSeen.size > 1
      ? [...all.unitsSeen].sort().map((u) => reader.buckets(metric, period, startMs, endMs, u, extended.length > 0, 'start'))
      : [all];
    const Datapoints: Record<string, unknown>[] = [];
    for (const b of perUnit) {
      for (let i = 0; i < b.n; i++) {
        if (!b.has(i)) continue;
        const dp: Record<string, unknown> = { Timestamp: new Date(b.timestamp(i)) };
        for (const s of statistics) dp[s] = b.stat(i, { kind: 'basic', name: s });
        dp.Unit = b.unit(i);
        if (extended.length > 0) {
          const map = new Map<string, number>();
          for (const e of extended) {
            const v = b.stat(i, { kind: 'percentile', p: e.p }, e.name);
            if (v !== undefined) map.set(e.name, v);
          }
          if (map.size > 0) dp.ExtendedStatistics = map;
        }
        Datapoints.push(dp);
      }
    }
    return { Label: metricName, Datapoints };
  };
}
