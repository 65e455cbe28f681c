// Calendar arithmetic in a time zone for date math (`now/d`, `+1M`) and date_histogram intervals:
// rounding down to a unit's start (weeks start on Monday) and adding units. Days and longer move the
// wall clock and resolve through DST rules as java.time's ZonedDateTime; shorter units move the instant.

import { civilFromDays, daysFromCivil, dayOfWeek, MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, MS_PER_SECOND, plusMonths } from './civil.ts';
import { localToUtc, resolveTimeZone, type TimeZone } from './time-zone.ts';

/** Calendar units of date math and calendar intervals. */
export type CalendarUnit = 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';

const FIXED: Partial<Record<CalendarUnit, number>> = { second: MS_PER_SECOND, minute: MS_PER_MINUTE, hour: MS_PER_HOUR };

const floorTo = (v: number, step: number): number => Math.floor(v / step) * step;

/** Start of the unit containing wall-clock time `local` (local millis). */
function startOfLocal(local: number, unit: CalendarUnit): number {
  const fixed = FIXED[unit];
  if (fixed !== undefined) return floorTo(local, fixed);
  const epochDay = Math.floor(local / MS_PER_DAY);
  switch (unit) {
    case 'day': return epochDay * MS_PER_DAY;
    case 'week': return (epochDay - (dayOfWeek(epochDay) - 1)) * MS_PER_DAY;
    default: {
      const [y, m] = civilFromDays(epochDay);
      const month = unit === 'year' ? 1 : unit === 'quarter' ? Math.floor((m - 1) / 3) * 3 + 1 : m;
      return daysFromCivil(y, month, 1) * MS_PER_DAY;
    }
  }
}

/** Rounds an instant down to the start of its unit in `zone` (a resolved zone). */
export function startOfUnit(millis: number, unit: CalendarUnit, zone: TimeZone): number {
  const ms = Math.floor(millis);
  const offset = zone.offsetAt(ms);
  const local = startOfLocal(ms + offset, unit);
  if (zone.fixedOffset !== undefined) return local - offset;
  // Sub-day units keep the instant's offset (two 01:00 buckets on a fall-back night stay apart).
  if (FIXED[unit] !== undefined && zone.offsetAt(local - offset) === offset) return local - offset;
  return localToUtc(local, zone, offset);
}

/** Adds `n` units to an instant in `zone` (java.time `ZonedDateTime.plusX`). */
export function plusUnits(millis: number, unit: CalendarUnit, n: number, zone: TimeZone): number {
  const fixed = FIXED[unit];
  if (fixed !== undefined) return millis + n * fixed;
  const ms = Math.floor(millis);
  const frac = millis - ms;
  const offset = zone.offsetAt(ms);
  const local = ms + offset;
  let next: number;
  if (unit === 'day' || unit === 'week') {
    next = local + n * (unit === 'week' ? 7 : 1) * MS_PER_DAY;
  } else {
    const epochDay = Math.floor(local / MS_PER_DAY);
    const [y, m, d] = civilFromDays(epochDay);
    const [ny, nm, nd] = plusMonths(y, m, d, n * (unit === 'year' ? 12 : unit === 'quarter' ? 3 : 1));
    next = daysFromCivil(ny, nm, nd) * MS_PER_DAY + (local - epochDay * MS_PER_DAY);
  }
  return (zone.fixedOffset !== undefined ? next - zone.fixedOffset : localToUtc(next, zone, offset)) + frac;
}

/**
 * Rounds epoch millis down to the start of a calendar unit in a time zone (UTC by default), as
 * OpenSearch's calendar-interval rounding: weeks start on Monday, quarters in Jan/Apr/Jul/Oct.
 */
export function roundDownToCalendarUnit(millis: number, unit: CalendarUnit, timeZone?: string): number {
  return startOfUnit(millis, unit, resolveTimeZone(timeZone));
}

/** Adds `n` calendar units (negative to subtract); month ends clamp (Jan 31 + 1 month = Feb 28/29). */
export function addCalendarUnits(millis: number, unit: CalendarUnit, n: number, timeZone?: string): number {
  return plusUnits(millis, unit, n, resolveTimeZone(timeZone));
}
