// The automatic interval of a time histogram: the smallest "nice" interval that keeps the bar count
// near a target (OpenSearch Dashboards aims at about 50 bars and at most 100), so the histogram's cost
// and legibility do not depend on how wide the range is.

export interface Interval {
  /** For date_histogram: `fixed_interval` (s, m, h, d) or `calendar_interval` (week, month, year). */
  key: 'fixed_interval' | 'calendar_interval';
  value: string;
  /** Approximate length, for bar widths and bucket counts. */
  ms: number;
  label: string;
}

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

const NICE: Interval[] = [
  { key: 'fixed_interval', value: '1ms', ms: 1, label: 'millisecond' },
  { key: 'fixed_interval', value: '10ms', ms: 10, label: '10 milliseconds' },
  { key: 'fixed_interval', value: '100ms', ms: 100, label: '100 milliseconds' },
  { key: 'fixed_interval', value: '1s', ms: S, label: 'second' },
  { key: 'fixed_interval', value: '5s', ms: 5 * S, label: '5 seconds' },
  { key: 'fixed_interval', value: '10s', ms: 10 * S, label: '10 seconds' },
  { key: 'fixed_interval', value: '30s', ms: 30 * S, label: '30 seconds' },
  { key: 'fixed_interval', value: '1m', ms: M, label: 'minute' },
  { key: 'fixed_interval', value: '5m', ms: 5 * M, label: '5 minutes' },
  { key: 'fixed_interval', value: '10m', ms: 10 * M, label: '10 minutes' },
  { key: 'fixed_interval', value: '30m', ms: 30 * M, label: '30 minutes' },
  { key: 'fixed_interval', value: '1h', ms: H, label: 'hour' },
  { key: 'fixed_interval', value: '3h', ms: 3 * H, label: '3 hours' },
  { key: 'fixed_interval', value: '12h', ms: 12 * H, label: '12 hours' },
  { key: 'fixed_interval', value: '1d', ms: D, label: 'day' },
  { key: 'calendar_interval', value: 'week', ms: 7 * D, label: 'week' },
  { key: 'calendar_interval', value: 'month', ms: 30 * D, label: 'month' },
  { key: 'calendar_interval', value: 'year', ms: 365 * D, label: 'year' },
];

/** The named intervals a user can pick instead of auto. */
export const INTERVAL_CHOICES = ['auto', '1m', '5m', '1h', '1d', 'week', 'month'];

/** The smallest nice interval giving at most `maxBars` bars over the span (at least one bar). */
export function autoInterval(spanMs: number, maxBars = 60): Interval {
  for (const iv of NICE) if (spanMs / iv.ms <= maxBars) return iv;
  return NICE[NICE.length - 1];
}

/** The interval for a choice (`auto` or one of the nice values); auto is capped to 100 bars. */
export function chooseInterval(choice: string, spanMs: number): Interval {
  if (choice !== 'auto') {
    const iv = NICE.find((x) => x.value === choice);
    // A fixed choice that would draw too many bars is scaled up, as OpenSearch Dashboards does.
    if (iv && spanMs / iv.ms <= 100) return iv;
    if (iv) return autoInterval(spanMs, 100);
  }
  return autoInterval(spanMs);
}
