// Date formats as OpenSearch's DateFormatter: a `format` (`strict_date_optional_time||epoch_millis`,
// `yyyy/MM/dd HH:mm:ss Z`) compiles to parsers tried in order plus the first one's printer; missing
// fields default as DateFormatters.from and the round-up parser do, for range bounds and date detection.

import { daysFromCivil, fieldsOf, isLeapYear, isoWeekOf, isoWeekOneStart, isoWeeksInYear, lengthOfMonth, MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, MS_PER_SECOND, dayOfWeek } from './civil.ts';
import { type El, type Parsed, parseElements, printElements } from './format-elements.ts';
import { compileJavaPattern, PatternError } from './java-pattern.ts';
import { namedFormat } from './named-formats.ts';
import { InvalidTimeZoneError, localToUtc, resolveTimeZone, type TimeZone } from './time-zone.ts';

/** OpenSearch's default `format` of date fields. */
export const DEFAULT_DATE_FORMAT = 'strict_date_optional_time||epoch_millis';

/** OpenSearch's default `dynamic_date_formats`. */
export const DEFAULT_DYNAMIC_DATE_FORMATS: readonly string[] = ['strict_date_optional_time', 'yyyy/MM/dd HH:mm:ss Z||yyyy/MM/dd Z'];

/**
 * A date that does not parse, or a format that does not compile. `reason` is OpenSearch's message;
 * `type` the OpenSearch error type; `causeReason` the java.time message OpenSearch nests under it.
 */
export class DateParseError extends Error {
  constructor(
    readonly reason: string,
    readonly type: 'illegal_argument_exception' | 'parse_exception' = 'illegal_argument_exception',
    readonly causeReason?: string,
  ) {
    super(reason);
    this.name = 'DateParseError';
  }
}

/** Options of {@link DateFormat.parse}. */
export interface DateParseOptions {
  /** Zone for values that carry none: `+01:00`, `Z`, `UTC`, or an IANA name like `Europe/Paris`. */
  timeZone?: string;
  /** Fill missing time fields with their maximum (range `lte`/`gt` bounds). */
  roundUp?: boolean;
}

/** A compiled date format. */
export interface DateFormat {
  readonly spec: string;
  /** Epoch millis; fractional when the input has sub-millisecond digits or was rounded up. */
  parse(value: string | number, opts?: DateParseOptions): number;
  /** Prints with the first format of the spec, in `timeZone` (UTC by default). */
  format(millis: number, timeZone?: string): string;
}

interface SubFormat {
  tryParse(text: string, roundUp: boolean, zone: TimeZone | undefined): number | undefined;
  print(millis: number, zone: TimeZone): string;
  parserCount: number;
}

const EPOCH_MILLIS = /^(-)?(\d{1,19})(?:\.(\d{1,6}))?\.?$/;
const EPOCH_SECOND = /^(-)?(\d{1,19})(?:\.(\d{1,9}))?\.?$/;

function fractionDigits(fraction: number, digits: number): string {
  let s = String(Math.min(10 ** digits - 1, Math.round(fraction * 10 ** digits))).padStart(digits, '0');
  while (s.endsWith('0')) s = s.slice(0, -1);
  return s.length > 0 ? '.' + s : '';
}

/**
 * OpenSearch applies a request time zone to epoch values too (`withZoneSameLocal` on the UTC
 * instant), shifting them by the zone offset; mirrored here for compatibility.
 */
const shiftEpoch = (ms: number, zone: TimeZone | undefined): number =>
  zone ? withFraction(localToUtc(Math.floor(ms), zone), ms - Math.floor(ms)) : ms;

const epochMillis: SubFormat = {
  parserCount: 2,
  tryParse(text, roundUp, zone) {
    const m = EPOCH_MILLIS.exec(text);
    if (!m) return undefined;
    const int = Number(m[2]);
    const fraction = m[3] ? Number('0.' + m[3]) : roundUp ? 0.999999 : 0;
    // Negative values count the fraction away from zero: -1.5 is 1.5 ms before the epoch.
    const ms = m[1] ? (fraction === 0 ? -int : withFraction(-int - 1, 1 - fraction)) : withFraction(int, fraction);
    return shiftEpoch(ms, zone);
  },
  print(millis) {
    const abs = Math.abs(millis);
    const int = Math.floor(abs);
    return (millis < 0 ? '-' : '') + String(int) + fractionDigits(abs - int, 3);
  },
};

const epochSecond: SubFormat = {
  parserCount: 2,
  tryParse(text, roundUp, zone) {
    const m = EPOCH_SECOND.exec(text);
    if (!m) return undefined;
    // The fraction is a positive nano-of-second even after a minus sign, as in OpenSearch's EpochTime.
    const seconds = Number(m[2]) * (m[1] ? -1 : 1);
    const fractionMs = m[3] ? Number('0.' + m[3]) * 1000 : roundUp ? 999.999999 : 0;
    const whole = Math.floor(fractionMs);
    return shiftEpoch(withFraction(seconds * 1000 + whole, fractionMs - whole), zone);
  },
  print(millis) {
    const seconds = Math.floor(millis / 1000);
    return String(seconds) + fractionDigits((millis - seconds * 1000) / 1000, 9);
  },
};

const inRange = (v: number, lo: number, hi: number): boolean => v >= lo && v <= hi;

/**
 * `intMs + fraction` that still floors to `intMs`: near today's epoch a double resolves only
 * ~0.0002 ms, so .999999 would round up into the next millisecond and break round-up bounds.
 */
function withFraction(intMs: number, fraction: number): number {
  const r = intMs + fraction;
  if (Math.floor(r) === intMs) return r;
  return Math.floor(intMs + 0.999) === intMs ? intMs + 0.999 : intMs;
}

/**
 * Turns parsed fields into epoch millis as DateFormatters.from (missing date parts: January 1st,
 * 1970 when there is no year; missing time: midnight, or 23:59:59.999999999 when rounding up).
 * Returns undefined when the fields do not form a valid date (java.time STRICT resolution).
 */
function resolveFields(p: Parsed, roundUp: boolean, fallbackZone: TimeZone | undefined, lenient: boolean): number | undefined {
  const zone = p.offset !== undefined ? resolveTimeZone(p.offset === 0 ? 'Z' : offsetId(p.offset)) : p.zone ? resolveTimeZone(p.zone) : fallbackZone ?? resolveTimeZone(undefined);
  let year = p.year ?? (p.yearOfEra !== undefined ? (p.era === 0 ? 1 - p.yearOfEra : p.yearOfEra) : undefined);
  if (year === undefined && p.weekBasedYear !== undefined && (p.month !== undefined || p.day !== undefined)) year = p.weekBasedYear;
  let epochDay: number;
  if (year === undefined && p.weekBasedYear !== undefined) {
    if (p.week === undefined) {
      // A bare week-year means the first Monday of January (OpenSearch keeps Joda's behaviour).
      const jan1 = daysFromCivil(p.weekBasedYear, 1, 1);
      epochDay = jan1 + ((8 - dayOfWeek(jan1)) % 7);
    } else {
      const dow = p.dayOfWeek ?? 1;
      if (!inRange(p.week, 1, isoWeeksInYear(p.weekBasedYear)) || !inRange(dow, 1, 7)) return undefined;
      epochDay = isoWeekOneStart(p.weekBasedYear) + (p.week - 1) * 7 + dow - 1;
    }
  } else {
    const y = year ?? 1970;
    if (p.dayOfYear !== undefined) {
      if (!lenient && !inRange(p.dayOfYear, 1, isLeapYear(y) ? 366 : 365)) return undefined;
      epochDay = daysFromCivil(y, 1, 1) + p.dayOfYear - 1;
    } else {
      const month = p.month ?? (p.quarter !== undefined ? (p.quarter - 1) * 3 + 1 : 1);
      const day = p.day ?? 1;
      if (!lenient && (!inRange(month, 1, 12) || !inRange(day, 1, lengthOfMonth(y, month)))) return undefined;
      epochDay = daysFromCivil(y, month, day);
    }
    if (p.dayOfWeek !== undefined && year !== undefined && dayOfWeek(epochDay) !== p.dayOfWeek) return undefined;
  }
  let hour = p.hour;
  if (hour === undefined && p.clockHourOfDay !== undefined) {
    if (!inRange(p.clockHourOfDay, 1, 24)) return undefined;
    hour = p.clockHourOfDay % 24;
  }
  if (hour === undefined && (p.hourOfAmPm !== undefined || p.clockHourOfAmPm !== undefined)) {
    const h12 = p.hourOfAmPm ?? p.clockHourOfAmPm! % 12;
    if (p.hourOfAmPm !== undefined ? !inRange(p.hourOfAmPm, 0, 11) : !inRange(p.clockHourOfAmPm!, 1, 12)) return undefined;
    hour = h12 + 12 * (p.ampm ?? 0);
  }
  let minute = p.minute, second = p.second, nano = p.nano;
  if (p.milliOfDay !== undefined || p.nanoOfDay !== undefined) {
    const nanos = p.nanoOfDay ?? p.milliOfDay! * 1e6;
    hour ??= Math.floor(nanos / 3.6e12);
    minute ??= Math.floor(nanos / 6e10) % 60;
    second ??= Math.floor(nanos / 1e9) % 60;
    nano ??= nanos % 1e9;
  }
  hour ??= roundUp ? 23 : 0;
  minute ??= roundUp ? 59 : 0;
  second ??= roundUp ? 59 : 0;
  nano ??= roundUp ? 999_999_999 : 0;
  if (!lenient && (!inRange(hour, 0, 23) || !inRange(minute, 0, 59) || !inRange(second, 0, 59))) return undefined;
  const local = epochDay * MS_PER_DAY + hour * MS_PER_HOUR + minute * MS_PER_MINUTE + second * MS_PER_SECOND;
  const ms = Math.floor(nano / 1e6);
  return withFraction(localToUtc(local, zone) + ms, (nano - ms * 1e6) / 1e6);
}

function offsetId(offsetMs: number): string {
  const abs = Math.abs(offsetMs) / 1000;
  const two = (n: number): string => String(Math.floor(n)).padStart(2, '0');
  return `${offsetMs < 0 ? '-' : '+'}${two(abs / 3600)}:${two((abs % 3600) / 60)}${abs % 60 ? ':' + two(abs % 60) : ''}`;
}

/** A decimal digit's value at `i` of `text`, or -1. */
function digitAt(text: string, i: number): number {
  const c = text.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/** The value of the `count` digits at `i` of `text`, or -1 when one is not a digit. */
function digitsAt(text: string, i: number, count: number): number {
  let v = 0;
  for (let k = 0; k < count; k++) {
    const c = digitAt(text, i + k);
    if (c < 0) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * Fast path for the canonical ISO form (`2024-01-15T10:20:30.123Z`, what most clients send):
 * `yyyy-MM-ddTHH:mm:ss`, then 1-9 fraction digits after a `.` if any, then `Z` or `±HH:mm`, read
 * char by char (a regex match made a dozen strings per date, and every date field of every document
 * is parsed on the event loop and again by the segment build). Equal to the element parser's result;
 * anything unusual returns undefined and takes the general path.
 */
function parseIsoFast(text: string, roundUp: boolean): number | undefined {
  const n = text.length;
  if (n < 20 || text.charCodeAt(4) !== 0x2d || text.charCodeAt(7) !== 0x2d || text.charCodeAt(10) !== 0x54 || text.charCodeAt(13) !== 0x3a || text.charCodeAt(16) !== 0x3a) {
    return undefined;
  }
  const year = digitsAt(text, 0, 4), month = digitsAt(text, 5, 2), day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2), minute = digitsAt(text, 14, 2), second = digitsAt(text, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  let i = 19;
  let nano = -1;
  if (text.charCodeAt(i) === 0x2e) {
    i++;
    let digits = 0;
    nano = 0;
    for (let c = digitAt(text, i); c >= 0 && digits < 9; c = digitAt(text, i)) {
      nano = nano * 10 + c;
      digits++;
      i++;
    }
    if (digits === 0) return undefined;
    for (let k = digits; k < 9; k++) nano *= 10;
  }
  let oh = 0, om = 0, sign = 1;
  const z = text.charCodeAt(i);
  if (z === 0x5a) {
    if (i + 1 !== n) return undefined;
  } else if (z === 0x2b || z === 0x2d) {
    if (i + 6 !== n || text.charCodeAt(i + 3) !== 0x3a) return undefined;
    oh = digitsAt(text, i + 1, 2);
    om = digitsAt(text, i + 4, 2);
    if (oh < 0 || om < 0) return undefined;
    if (z === 0x2d) sign = -1;
  } else {
    return undefined;
  }
  if (month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month) || hour > 23 || minute > 59 || second > 59 || oh * 60 + om > 18 * 60 || om > 59) {
    return undefined;
  }
  const offset = sign * (oh * MS_PER_HOUR + om * MS_PER_MINUTE);
  if (nano < 0) nano = roundUp ? 999_999_999 : 0;
  const ms = Math.floor(nano / 1e6);
  const base = daysFromCivil(year, month, day) * MS_PER_DAY + hour * MS_PER_HOUR + minute * MS_PER_MINUTE + second * MS_PER_SECOND - offset;
  return withFraction(base + ms, (nano - ms * 1e6) / 1e6);
}

/** For tests: the fast path alone. */
export const parseIsoFastForTest = parseIsoFast;

const usesWeekFields = (els: readonly El[]): boolean =>
  els.some((e) => (e.k === 'opt' ? usesWeekFields(e.els) : (e.k === 'num' || e.k === 'reduced') && (e.f === 'weekBasedYear' || e.f === 'week')));

function javaFormat(printer: El[], parsers: El[][], lenient: boolean, isoFast = false): SubFormat {
  const weeks = usesWeekFields(printer);
  return {
    parserCount: parsers.length,
    tryParse(text, roundUp, zone) {
      if (isoFast) {
        const fast = parseIsoFast(text, roundUp);
        if (fast !== undefined) return fast;
      }
      for (const els of parsers) {
        const parsed: Parsed = {};
        if (parseElements(els, text, 0, parsed) !== text.length) continue;
        const ms = resolveFields(parsed, roundUp, zone, lenient);
        if (ms !== undefined && Number.isFinite(ms)) return ms;
      }
      return undefined;
    },
    print(millis, zone) {
      const floor = Math.floor(millis);
      const offset = zone.offsetAt(floor);
      const f = fieldsOf(floor + offset);
      const w = weeks ? isoWeekOf(f.epochDay) : { weekYear: f.year, week: 1 };
      // Doubles near today's epoch resolve ~0.2 µs: print sub-millisecond digits to the microsecond.
      const nano = f.millis * 1e6 + Math.min(999_000, Math.round((millis - floor) * 1e3) * 1e3);
      return printElements(printer, {
        year: f.year, month: f.month, day: f.day, dayOfYear: f.dayOfYear, dayOfWeek: f.dayOfWeek,
        weekBasedYear: w.weekYear, week: w.week, hour: f.hour, minute: f.minute, second: f.second,
        nano, offset, zoneId: zone.id,
      });
    },
  };
}

/** Named formats whose parsers accept the canonical ISO form exactly as {@link parseIsoFast} reads it. */
const ISO_FAST = new Set(['strict_date_optional_time', 'date_optional_time', 'iso8601', 'strict_date_optional_time_nanos']);

function compileOne(pattern: string, whole: string): SubFormat {
  const name = pattern.trim();
  if (name === 'epoch_millis' || name === 'epochMillis') return epochMillis;
  if (name === 'epoch_second' || name === 'epochSecond') return epochSecond;
  const named = namedFormat(name);
  if (named) return javaFormat(named.printer, named.parsers, named.lenient ?? false, ISO_FAST.has(name) || ISO_FAST.has(name.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())));
  try {
    const els = compileJavaPattern(name);
    return javaFormat(els, [els], false);
  } catch (e) {
    if (e instanceof PatternError) throw new DateParseError(`Invalid format: [${whole}]: ${e.message}`);
    throw e;
  }
}

const cache = new Map<string, DateFormat>();

/** Compiles a `format` spec (cached). Throws {@link DateParseError} for an invalid spec. */
export function compileDateFormat(spec: string): DateFormat {
  const hit = cache.get(spec);
  if (hit) return hit;
  const trimmed = spec.trim();
  if (trimmed === '') throw new DateParseError('No date pattern provided');
  // OpenSearch still accepts the 6.x "8" prefix that marked java-time patterns.
  const body = trimmed.startsWith('8') ? trimmed.slice(1) : trimmed;
  const parts = body.split('||');
  if (parts.some((p) => p.trim() === '')) throw new DateParseError(`Cannot have empty element in multi date format pattern: ${spec}`);
  const subs = parts.map((p) => compileOne(p, spec));
  const parserCount = subs.reduce((n, s) => n + s.parserCount, 0);
  const format: DateFormat = {
    spec,
    parse(value, opts = {}) {
      const text = typeof value === 'number' ? String(value) : value;
      if (text.length === 0) throw new DateParseError('cannot parse empty date');
      let zone: TimeZone | undefined;
      try {
        zone = opts.timeZone === undefined ? undefined : resolveTimeZone(opts.timeZone);
      } catch (e) {
        if (e instanceof InvalidTimeZoneError) throw new DateParseError(e.reason);
        throw e;
      }
      for (const sub of subs) {
        const ms = sub.tryParse(text, opts.roundUp ?? false, zone);
        if (ms !== undefined) return ms;
      }
      throw new DateParseError(
        `failed to parse date field [${text}] with format [${spec}]`,
        'illegal_argument_exception',
        parserCount > 1 ? 'Failed to parse with all enclosed parsers' : `Text '${text}' could not be parsed at index 0`,
      );
    },
    format(millis, timeZone) {
      return subs[0].print(millis, resolveTimeZone(timeZone));
    },
  };
  if (cache.size > 1000) cache.clear();
  cache.set(spec, format);
  return format;
}

/** The first of `formats` (dynamic_date_formats) that parses `value`, or undefined. */
export function detectDateFormat(value: string, formats: readonly string[] = DEFAULT_DYNAMIC_DATE_FORMATS): string | undefined {
  for (const f of formats) {
    try {
      compileDateFormat(f).parse(value);
      return f;
    } catch (e) {
      if (!(e instanceof DateParseError)) throw e;
    }
  }
  return undefined;
}

/** Dynamic date detection: does a string field value parse with one of `formats`? */
export function isDateLike(value: string, formats: readonly string[] = DEFAULT_DYNAMIC_DATE_FORMATS): boolean {
  return detectDateFormat(value, formats) !== undefined;
}
