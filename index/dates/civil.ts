// Proleptic Gregorian calendar arithmetic on plain numbers (what java.time's ISO chronology does),
// without JavaScript's Date quirks (years 0–99, local time). "Local millis" below are milliseconds
// since 1970-01-01T00:00 of a wall clock, i.e. an instant shifted by the zone offset.

/** Milliseconds per second, minute, hour and day. */
export const MS_PER_SECOND = 1000;
/** @see MS_PER_SECOND */
export const MS_PER_MINUTE = 60_000;
/** @see MS_PER_SECOND */
export const MS_PER_HOUR = 3_600_000;
/** @see MS_PER_SECOND */
export const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1–12); out-of-range days roll over. */
export function daysFromCivil(year: number, month: number, day: number): number {
  // Normalise the month first so lenient inputs (month 13, 0) roll into the neighbouring year.
  const m0 = month - 1;
  const y = year + Math.floor(m0 / 12);
  const m = (((m0 % 12) + 12) % 12) + 1;
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5);
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468 + (day - 1);
}

/** The [year, month (1–12), day] of a day count since 1970-01-01. */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** Gregorian leap year rule. */
export const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Days in a month (1–12) of a year. */
export function lengthOfMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** ISO day of week (1 = Monday … 7 = Sunday) of a day count since the epoch (a Thursday). */
export const dayOfWeek = (days: number): number => ((((days + 3) % 7) + 7) % 7) + 1;

/** The wall-clock fields of local millis. */
export interface LocalFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
  /** Days since 1970-01-01. */
  epochDay: number;
  /** 1 = Monday … 7 = Sunday. */
  dayOfWeek: number;
  dayOfYear: number;
}

/** Splits local millis into calendar fields. */
export function fieldsOf(localMs: number): LocalFields {
  const epochDay = Math.floor(localMs / MS_PER_DAY);
  const msOfDay = localMs - epochDay * MS_PER_DAY;
  const [year, month, day] = civilFromDays(epochDay);
  return {
    year,
    month,
    day,
    hour: Math.floor(msOfDay / MS_PER_HOUR),
    minute: Math.floor((msOfDay % MS_PER_HOUR) / MS_PER_MINUTE),
    second: Math.floor((msOfDay % MS_PER_MINUTE) / MS_PER_SECOND),
    millis: msOfDay % MS_PER_SECOND,
    epochDay,
    dayOfWeek: dayOfWeek(epochDay),
    dayOfYear: epochDay - daysFromCivil(year, 1, 1) + 1,
  };
}

/** Local millis of calendar fields. */
export function localMillis(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, millis = 0): number {
  return daysFromCivil(year, month, day) * MS_PER_DAY + hour * MS_PER_HOUR + minute * MS_PER_MINUTE + second * MS_PER_SECOND + millis;
}

/** Epoch day of the Monday starting ISO week 1 of a week-based year (the week with Jan 4th). */
export function isoWeekOneStart(weekYear: number): number {
  const jan4 = daysFromCivil(weekYear, 1, 4);
  return jan4 - (dayOfWeek(jan4) - 1);
}

/** ISO week-based year and week of an epoch day. */
export function isoWeekOf(epochDay: number): { weekYear: number; week: number } {
  const [year] = civilFromDays(epochDay);
  let weekYear = year;
  if (epochDay >= isoWeekOneStart(year + 1)) weekYear = year + 1;
  else if (epochDay < isoWeekOneStart(year)) weekYear = year - 1;
  return { weekYear, week: Math.floor((epochDay - isoWeekOneStart(weekYear)) / 7) + 1 };
}

/** Number of ISO weeks (52 or 53) in a week-based year. */
export const isoWeeksInYear = (weekYear: number): number => (isoWeekOneStart(weekYear + 1) - isoWeekOneStart(weekYear)) / 7;

/** Adds months to a date, clamping the day to the new month's length (java.time `plusMonths`). */
export function plusMonths(year: number, month: number, day: number, months: number): [number, number, number] {
  const total = year * 12 + (month - 1) + months;
  const y = Math.floor(total / 12);
  const m = total - y * 12 + 1;
  return [y, m, Math.min(day, lengthOfMonth(y, m))];
}
