// Re-exports of the dates package: formats, date math, calendar arithmetic and time zones.

export { compileDateFormat, DateParseError, DEFAULT_DATE_FORMAT, DEFAULT_DYNAMIC_DATE_FORMATS, detectDateFormat, isDateLike, type DateFormat, type DateParseOptions } from './date-format.ts';
export { parseDateMath, type DateMathOptions } from './date-math.ts';
export { addCalendarUnits, roundDownToCalendarUnit, type CalendarUnit } from './calendar.ts';
export { InvalidTimeZoneError, isValidTimeZone, resolveTimeZone, type TimeZone } from './time-zone.ts';
export { NAMED_FORMATS } from './named-formats.ts';
