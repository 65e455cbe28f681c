// Resolving the time picker's range (date math such as `now-15m`, `now/d`, or ISO strings) to epoch
// millis, and choosing a date_histogram interval for it. Pure: `now` is passed in so tests are exact.

import type { TimeRange } from './vis-state.ts';

const UNIT_MS: Record<string, number> = {
  s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000, M: 30 * 86_400_000, y: 365 * 86_400_000,
};

/** Thrown for a time expression that is neither date math nor a parseable date. */
export class TimeRangeError extends Error {}

/**
 * Epoch millis of an OpenSearch-style date-math expression: `now`, `now-15m`, `now+1h/h`, an ISO date,
 * or epoch millis. Rounding (`/d`) rounds down, or up to the end of the unit when `roundUp` (as
 * OpenSearch does for `lte`). Calendar units (M, y) are approximated by 30 and 365 days after rounding.
 */
export function resolveDateMath(expr: string, now: number, roundUp = false): number {
  const s = expr.trim();
  if (/^-?\d+$/.test(s)) return Number(s);
  let base: number;
  let rest: string;
  if (s.startsWith('now')) { base = now; rest = s.slice(3); }
  else {
    const sep = s.indexOf('||');
    const datePart = sep >= 0 ? s.slice(0, sep) : s;
    base = Date.parse(datePart);
    if (Number.isNaN(base)) throw new TimeRangeError(`cannot parse time [${expr}]`);
    rest = sep >= 0 ? s.slice(sep + 2) : '';
  }
  const re = /([+-])(\d+)([smhdwMy])|\/([smhdwMy])/g;
  let pos = 0;
  for (let m = re.exec(rest); m; m = re.exec(rest)) {
    if (m.index !== pos) break;
    pos = re.lastIndex;
    if (m[4]) base = roundTo(base, m[4], roundUp);
    else base += (m[1] === '-' ? -1 : 1) * Number(m[2]) * UNIT_MS[m[3]];
  }
  if (pos !== rest.length) throw new TimeRangeError(`cannot parse date math [${expr}]`);
  return base;
}

function roundTo(t: number, unit: string, up: boolean): number {
  const d = new Date(t);
  switch (unit) {
    case 'y': d.setUTCMonth(0, 1); d.setUTCHours(0, 0, 0, 0); break;
    case 'M': d.setUTCDate(1); d.setUTCHours(0, 0, 0, 0); break;
    case 'w': { const dow = (d.getUTCDay() + 6) % 7; d.setUTCDate(d.getUTCDate() - dow); d.setUTCHours(0, 0, 0, 0); break; }
    case 'd': d.setUTCHours(0, 0, 0, 0); break;
    case 'h': d.setUTCMinutes(0, 0, 0); break;
    case 'm': d.setUTCSeconds(0, 0); break;
    case 's': d.setUTCMilliseconds(0); break;
  }
  if (!up) return d.getTime();
  const step = unit === 'M' ? monthLength(d) : unit === 'y' ? yearLength(d) : UNIT_MS[unit];
  return d.getTime() + step - 1;
}

function monthLength(d: Date): number {
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - d.getTime();
}
function yearLength(d: Date): number {
  return Date.UTC(d.getUTCFullYear() + 1, 0, 1) - d.getTime();
}

/** The range as epoch millis `[from, to]`. */
export function resolveTimeRange(range: TimeRange, now: number): { from: number; to: number } {
  const from = resolveDateMath(range.from, now, false);
  const to = resolveDateMath(range.to, now, true);
  if (from > to) throw new TimeRangeError(`time range starts after it ends [${range.from} → ${range.to}]`);
  return { from, to };
}

/** Intervals an automatic date histogram picks from (fixed_interval syntax), smallest first. */
const NICE_INTERVALS = ['1s', '5s', '10s', '30s', '1m', '5m', '10m', '30m', '1h', '3h', '12h', '1d', '7d', '30d', '365d'];

/** The interval's length in millis (`5m` → 300000); throws for anything else. */
export function intervalMs(interval: string): number {
  const m = /^(\d+)(ms|[smhdw])$/.exec(interval.trim());
  if (!m) throw new TimeRangeError(`invalid interval [${interval}]: use a number and one of ms, s, m, h, d, w`);
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
