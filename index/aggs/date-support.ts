// The date services aggregations need — printing and parsing with a format and time zone, calendar
// rounding, and date math — delegated to `index/dates/` in one place, plus fixed-interval rounding
// in a zone (OpenSearch's TimeIntervalRounding) done on local wall-clock millis.

import { addCalendarUnits, compileDateFormat, parseDateMath, resolveTimeZone, roundDownToCalendarUnit, type DateFormat } from '../dates/index.ts';

const formats = new Map<string, DateFormat>();
function compiled(pattern: string): DateFormat {
  let f = formats.get(pattern);
  if (!f) formats.set(pattern, (f = compileDateFormat(pattern)));
  return f;
}

/** Prints epoch millis with a format spec (first of `a||b`) in a time zone (default UTC). */
export function formatDate(ms: number, pattern: string, tz?: string): string {
  return compiled(pattern).format(ms, tz);
}

/** Parses a date string (or epoch number) with a format spec; date math (`now-1d/d`) is accepted. */
export function parseDate(text: string | number, pattern: string, now: number, tz?: string, roundUp = false): number {
  return parseDateMath(String(text).trim(), { now, format: compiled(pattern), roundUp, timeZone: tz });
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
  if (!tz) return 0;
  return resolveTimeZone(tz).offsetAt(utcMs);
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
  return roundDownToCalendarUnit(utcMs, unit, tz);
}

/** The start of the next calendar unit after `startUtc` (itself a rounded value). */
export function nextCalendar(startUtc: number, unit: CalendarUnit, tz?: string): number {
  return addCalendarUnits(startUtc, unit, 1, tz);
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
