// Time ranges as the time picker holds them: date-math strings (`now-15m`, `now/d`, `now-7d/d`) or
// absolute ISO instants, resolved to epoch milliseconds in the browser (so the request, the histogram
// bounds and the URL agree). Rounding follows OpenSearch: `/d` rounds down for `from` and up for `to`.

export interface TimeRange {
  from: string;
  to: string;
}

/** Quick ranges offered by the picker, OpenSearch Dashboards' defaults. */
export const QUICK_RANGES: Array<TimeRange & { label: string }> = [
  { from: 'now-15m', to: 'now', label: 'Last 15 minutes' },
  { from: 'now-30m', to: 'now', label: 'Last 30 minutes' },
  { from: 'now-1h', to: 'now', label: 'Last 1 hour' },
  { from: 'now-4h', to: 'now', label: 'Last 4 hours' },
  { from: 'now-24h', to: 'now', label: 'Last 24 hours' },
  { from: 'now-7d', to: 'now', label: 'Last 7 days' },
  { from: 'now-30d', to: 'now', label: 'Last 30 days' },
  { from: 'now-90d', to: 'now', label: 'Last 90 days' },
  { from: 'now-1y', to: 'now', label: 'Last 1 year' },
  { from: 'now/d', to: 'now/d', label: 'Today' },
  { from: 'now-1d/d', to: 'now-1d/d', label: 'Yesterday' },
  { from: 'now/w', to: 'now/w', label: 'This week' },
];

export const DEFAULT_TIME_RANGE: TimeRange = { from: 'now-15m', to: 'now' };

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const MATH_RE = /^now((?:[+-]\d+[smhdwMy])*)(?:\/([smhdwMy]))?$/;

/** Resolves one end of a range (UTC calendar for rounding); throws on text it cannot read. */
export function resolveTime(expr: string, now: number, roundUp: boolean): number {
  const s = expr.trim();
  const m = MATH_RE.exec(s);
  if (m) {
    const d = new Date(now);
    for (const [, sign, num, unit] of m[1].matchAll(/([+-])(\d+)([smhdwMy])/g)) {
      const k = (sign === '-' ? -1 : 1) * Number(num);
      if (unit === 'M') d.setUTCMonth(d.getUTCMonth() + k);
      else if (unit === 'y') d.setUTCFullYear(d.getUTCFullYear() + k);
      else d.setTime(d.getTime() + k * UNIT_MS[unit]);
    }
    return m[2] ? roundTo(d, m[2], roundUp) : d.getTime();
  }
  if (/^-?\d{10,}$/.test(s)) return Number(s);
  const t = Date.parse(s);
  if (Number.isNaN(t)) throw new Error(`cannot read the time [${expr}]: use an ISO date (2024-05-01T10:00:00Z) or date math (now-15m, now/d)`);
  return t;
}

function roundTo(d: Date, unit: string, up: boolean): number {
  const r = new Date(d.getTime());
  switch (unit) {
    case 'y':
      r.setUTCMonth(0, 1);
      r.setUTCHours(0, 0, 0, 0);
      if (up) r.setUTCFullYear(r.getUTCFullYear() + 1);
      break;
    case 'M':
      r.setUTCDate(1);
      r.setUTCHours(0, 0, 0, 0);
      if (up) r.setUTCMonth(r.getUTCMonth() + 1);
      break;
    case 'w': {
      const dow = (r.getUTCDay() + 6) % 7; // ISO weeks start on Monday
      r.setUTCDate(r.getUTCDate() - dow);
      r.setUTCHours(0, 0, 0, 0);
      if (up) r.setUTCDate(r.getUTCDate() + 7);
      break;
    }
    default: {
      const ms = UNIT_MS[unit];
      const down = Math.floor(r.getTime() / ms) * ms;
      return up ? down + ms - 1 : down;
    }
  }
  return up ? r.getTime() - 1 : r.getTime();
}

/** Both ends resolved; throws when `from` is after `to`. */
export function resolveRange(range: TimeRange, now: number): { from: number; to: number } {
  const from = resolveTime(range.from, now, false);
  const to = resolveTime(range.to, now, true);
  if (from > to) throw new Error('the start of the time range is after its end');
  return { from, to };
}

/** True when the range moves with the clock (auto-refresh and live tail make sense). */
export function isRelative(range: TimeRange): boolean {
  return range.from.startsWith('now') || range.to.startsWith('now');
}

/** Short label of a range: the quick-range name, or its two ends. */
export function rangeLabel(range: TimeRange): string {
  const q = QUICK_RANGES.find((r) => r.from === range.from && r.to === range.to);
  if (q) return q.label;
  return `${prettyEnd(range.from)} → ${prettyEnd(range.to)}`;
}

function prettyEnd(s: string): string {
  if (s.startsWith('now')) return s;
  const t = Date.parse(s);
  return Number.isNaN(t) ? s : new Date(t).toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, '');
}
