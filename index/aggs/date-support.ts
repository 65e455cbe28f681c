// The date services aggregations need — printing and parsing with a format and time zone, calendar
// rounding, and date math — in one place, so the aggregation modules do not depend on how
// `index/dates/` spells them. Calendar arithmetic is done on local wall-clock fields per zone.

// index/dates/ (compileDateFormat, parseDateMath) had not landed when this was written: until then a
// minimal printer/parser for the formats dashboards use (ISO, epoch_millis, yyyy-MM-dd patterns).

/** Prints epoch millis with a format spec (first of `a||b`) in a time zone (default UTC). */
export function formatDate(ms: number, pattern: string, tz?: string): string {
  const first = pattern.split('||')[0].trim();
  if (first === 'epoch_millis') return String(ms);
  if (first === 'epoch_second') return String(Math.floor(ms / 1000));
  const off = zoneOffset(tz, ms);
  const d = new Date(ms + off);
  const p2 = (n: number, w = 2) => String(n).padStart(w, '0');
  const zone = off === 0 ? 'Z' : `${off < 0 ? '-' : '+'}${p2(Math.floor(Math.abs(off) / 3600000))}:${p2(Math.floor(Math.abs(off) / 60000) % 60)}`;
  const iso = `${p2(d.getUTCFullYear(), 4)}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}T${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${p2(d.getUTCMilliseconds(), 3)}${zone}`;
  if (/^(strict_)?date_(optional_)?time$|^strict_date_optional_time_nanos$|^iso8601$/.test(first)) return iso;
  if (/^(strict_)?date$/.test(first)) return iso.slice(0, 10);
  return first.replace(/yyyy|uuuu|MM|dd|HH|mm|ss|SSS|XXX|Z|'T'|'([^']*)'/g, (t, lit) => {
    switch (t) {
      case 'yyyy': case 'uuuu': return p2(d.getUTCFullYear(), 4);
      case 'MM': return p2(d.getUTCMonth() + 1);
      case 'dd': return p2(d.getUTCDate());
      case 'HH': return p2(d.getUTCHours());
      case 'mm': return p2(d.getUTCMinutes());
      case 'ss': return p2(d.getUTCSeconds());
      case 'SSS': return p2(d.getUTCMilliseconds(), 3);
      case 'XXX': return zone;
      case 'Z': return zone.replace(':', '').replace('Z', '+0000');
      case "'T'": return 'T';
      default: return lit ?? t;
    }
  });
}

/** Parses a date string (or epoch number) with a format spec; `now` date math is accepted. */
export function parseDate(text: string | number, pattern: string, now: number, tz?: string, roundUp = false): number {
  const t = String(text).trim();
  const math = /^now(.*)$/.exec(t);
  if (math) return applyMath(now, math[1], tz, roundUp);
  const sep = t.indexOf('||');
  if (sep >= 0) return applyMath(parseDate(t.slice(0, sep), pattern, now, tz), t.slice(sep + 2), tz, roundUp);
  const formats = pattern.split('||').map((f) => f.trim());
  if (/^-?\d+$/.test(t) && formats.some((f) => f === 'epoch_millis' || f === 'epoch_second')) {
    return formats.includes('epoch_millis') ? Number(t) : Number(t) * 1000;
  }
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(t);
  if (!m) {
    if (/^-?\d+$/.test(t)) return Number(t);
    throw new Error(`failed to parse date field [${t}] with format [${pattern}]`);
  }
  const local = Date.UTC(+m[1], m[2] ? +m[2] - 1 : 0, m[3] ? +m[3] : 1, m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0, m[7] ? +m[7].slice(0, 3).padEnd(3, '0') : 0);
  if (m[8]) return local - zoneOffset(m[8] === 'Z' ? undefined : m[8], local);
  return localToUtc(local, tz);
}

function applyMath(base: number, expr: string, tz: string | undefined, roundUp: boolean): number {
  let v = base;
  const re = /([+-])(\d+)?([yMwdhHms])|\/([yMwdhHms])/g;
  let m: RegExpExecArray | null;
  const units: Record<string, CalendarUnit> = { y: 'year', M: 'month', w: 'week', d: 'day', h: 'hour', H: 'hour', m: 'minute' };
  while ((m = re.exec(expr))) {
    if (m[4]) {
      if (m[4] === 's') { v = roundUp ? Math.floor(v / 1000) * 1000 + 999 : Math.floor(v / 1000) * 1000; continue; }
      const u = units[m[4]];
      const down = roundDownCalendar(v, u, tz);
      v = roundUp ? nextCalendar(down, u, tz) - 1 : down;
    } else {
      const n = (m[1] === '-' ? -1 : 1) * Number(m[2] ?? 1);
      const u = m[3];
      if (u === 's') v += n * 1000;
      else if (u === 'm') v += n * 60000;
      else if (u === 'h' || u === 'H') v += n * 3600000;
      else {
        const off = zoneOffset(tz, v);
        const d = new Date(v + off);
        if (u === 'd') d.setUTCDate(d.getUTCDate() + n);
        else if (u === 'w') d.setUTCDate(d.getUTCDate() + 7 * n);
        else if (u === 'M') d.setUTCMonth(d.getUTCMonth() + n);
        else d.setUTCFullYear(d.getUTCFullYear() + n);
        v = localToUtc(d.getTime(), tz);
      }
    }
  }
  return v;
}

/** Calendar units of date_histogram's calendar_interval. */
export type CalendarUnit = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';

const UNIT_ALIASES: Record<string, CalendarUnit> = {
  '1m': 'minute', minute: 'minute', '1h': 'hour', hour: 'hour', '1d': 'day', day: 'day',
  '1w': 'week', week: 'week', '1M': 'month', month: 'month', '1q': 'quarter', quarter: 'quarter',
  '1y': 'year', year: 'year',
};

/** The calendar unit named by a calendar_interval value, or undefined. */
export function calendarUnit(text: string): CalendarUnit | undefined {
  return UNIT_ALIASES[text];
}

/** The UTC offset (millis) of a zone at an instant. Fixed offsets (`+01:00`) and IANA names. */
export function zoneOffset(tz: string | undefined, utcMs: number): number {
  if (!tz || tz === 'UTC' || tz === 'Z' || tz === 'utc') return 0;
  const fixed = /^([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(tz);
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 3600000 + Number(fixed[3] ?? 0) * 60000);
  const dtf = zoneFormatter(tz);
  const parts = dtf.formatToParts(new Date(utcMs));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
  return local - Math.floor(utcMs / 1000) * 1000;
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();
function zoneFormatter(tz: string): Intl.DateTimeFormat {
  let f = zoneFormatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    zoneFormatters.set(tz, f);
  }
  return f;
}

/** Local wall-clock millis → UTC millis (earliest valid instant across DST gaps/overlaps). */
export function localToUtc(localMs: number, tz: string | undefined): number {
  let guess = localMs - zoneOffset(tz, localMs);
  const off2 = zoneOffset(tz, guess);
  guess = localMs - off2;
  return guess;
}

/** Rounds an instant down to the start of its calendar unit in a zone (Rounding.DateTimeUnit). */
export function roundDownCalendar(utcMs: number, unit: CalendarUnit, tz?: string): number {
  const local = utcMs + zoneOffset(tz, utcMs);
  const d = new Date(local);
  let start: number;
  switch (unit) {
    case 'minute': start = Math.floor(local / 60000) * 60000; break;
    case 'hour': start = Math.floor(local / 3600000) * 3600000; break;
    case 'day': start = Math.floor(local / 86400000) * 86400000; break;
    case 'week': {
      const day = Math.floor(local / 86400000) * 86400000;
      const dow = (new Date(day).getUTCDay() + 6) % 7; // Monday = 0
      start = day - dow * 86400000;
      break;
    }
    case 'month': start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1); break;
    case 'quarter': start = Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3, 1); break;
    case 'year': start = Date.UTC(d.getUTCFullYear(), 0, 1); break;
  }
  if (unit === 'minute' || unit === 'hour') {
    // Sub-day units round in UTC when the zone's offset is whole hours/minutes (always true here),
    // but across DST the instant must stay the same local→utc mapping as the input.
    return utcMs - (local - start);
  }
  return localToUtc(start, tz);
}

/** The start of the next calendar unit after `startUtc` (itself a rounded value). */
export function nextCalendar(startUtc: number, unit: CalendarUnit, tz?: string): number {
  if (unit === 'minute') return startUtc + 60000;
  if (unit === 'hour') return startUtc + 3600000;
  const local = startUtc + zoneOffset(tz, startUtc);
  const d = new Date(local);
  let next: number;
  switch (unit) {
    case 'day': next = local + 86400000; break;
    case 'week': next = local + 7 * 86400000; break;
    case 'month': next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1); break;
    case 'quarter': next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 3, 1); break;
    case 'year': next = Date.UTC(d.getUTCFullYear() + 1, 0, 1); break;
  }
  return localToUtc(next, tz);
}

/** Rounds down to a fixed interval in a zone (Rounding.TimeIntervalRounding), with an offset. */
export function roundDownFixed(utcMs: number, interval: number, tz?: string): number {
  if (!tz || zoneOffset(tz, utcMs) === 0 && /^(UTC|Z|[+-]00(:?00)?)$/i.test(tz)) {
    return Math.floor(utcMs / interval) * interval;
  }
  const off = zoneOffset(tz, utcMs);
  const local = utcMs + off;
  const roundedLocal = Math.floor(local / interval) * interval;
  return localToUtc(roundedLocal, tz);
}
