// Date histogram intervals: choosing a fixed_interval for a time range (interval `auto`) and reading
// one back as millis (alarm periods). Time ranges themselves are resolved by the shared query layer
// (query/time-range.ts).

/** Thrown for an interval that is not a number and a unit. */
export class IntervalError extends Error {}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** Intervals an automatic date histogram picks from (fixed_interval syntax), smallest first. */
const NICE_INTERVALS = ['1s', '5s', '10s', '30s', '1m', '5m', '10m', '30m', '1h', '3h', '12h', '1d', '7d', '30d', '365d'];

/** The interval's length in millis (`5m` → 300000); throws for anything else. */
export function intervalMs(interval: string): number {
  const m = /^(\d+)(ms|[smhdw])$/.exec(interval.trim());
  if (!m) throw new IntervalError(`invalid interval [${interval}]: use a number and one of ms, s, m, h, d, w`);
  return m[2] === 'ms' ? Number(m[1]) : Number(m[1]) * UNIT_MS[m[2]];
}

/**
 * The smallest nice interval that keeps a range within `targetBuckets` buckets (OpenSearch Dashboards
 * aims for about 50 as well), so a 15-minute range gets 30s buckets and a 7-day range 3h buckets.
 */
export function autoInterval(fromMs: number, toMs: number, targetBuckets = 50): string {
  const span = Math.max(1, toMs - fromMs);
  for (const i of NICE_INTERVALS) if (span / intervalMs(i) <= targetBuckets) return i;
  return NICE_INTERVALS[NICE_INTERVALS.length - 1];
}
