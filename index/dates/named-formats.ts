// OpenSearch's built-in date formats (DateFormatters.forPattern): each is a printer and one or more
// parsers, built here from the same elements as Java patterns. Lenient (`date_optional_time`) and
// strict (`strict_date_optional_time`) variants differ in digit counts, exactly as in OpenSearch.

import type { El, Field, Sign } from './format-elements.ts';
import { linkAdjacent } from './format-elements.ts';
import { compileJavaPattern } from './java-pattern.ts';

/** A named format: how it prints, how it parses, and whether it resolves dates leniently. */
export interface NamedFormat {
  printer: El[];
  parsers: El[][];
  /** `strict_date` resolves with java.time's LENIENT style (2024-02-30 rolls over to March). */
  lenient?: boolean;
}

const num = (f: Field, min: number, max = min, sign: Sign = 'not_negative'): El => ({ k: 'num', f, min, max, sign });
const lit = (s: string): El => ({ k: 'lit', s });
const opt = (...els: El[]): El => ({ k: 'opt', els });
const frac = (min: number, max: number, point = true): El => ({ k: 'frac', min, max, point });
const offset = (pattern: string, zero = 'Z'): El => ({ k: 'offset', pattern, zero });
const ZONE_ID: El = { k: 'zoneOrOffset' };
const NO_COLON = offset('+HHmm');
const COLON = offset('+HH:MM');

// Building blocks named after their DateFormatters counterparts.
const STRICT_YMD = [num('year', 4, 4, 'exceeds'), opt(lit('-'), num('month', 2), opt(lit('-'), num('day', 2)))];
const YEAR4 = num('year', 4, 10, 'exceeds');
const ISO_DATE = [YEAR4, lit('-'), num('month', 2), lit('-'), num('day', 2)];
const DATE = [num('year', 1, 5, 'normal'), opt(lit('-'), num('month', 1, 2), opt(lit('-'), num('day', 1, 2)))];
const STRICT_HMS = [num('hour', 2), lit(':'), num('minute', 2), lit(':'), num('second', 2)];
const HM = [num('hour', 1, 2), lit(':'), num('minute', 1, 2)];
const HMS = [...HM, lit(':'), num('second', 1, 2)];
const BASIC_HMS = [num('hour', 2), num('minute', 2), num('second', 2)];
const BASIC_YMD = [num('year', 4, 4, 'normal'), num('month', 2), num('day', 2)];
const ORDINAL = [YEAR4, lit('-'), num('dayOfYear', 3)];
const ISO_WEEK = [num('weekBasedYear', 4, 10, 'exceeds'), lit('-W'), num('week', 2), lit('-'), num('dayOfWeek', 1)];
const WEEK_LENIENT = [num('weekBasedYear', 4, 10, 'exceeds'), lit('-W'), num('week', 1, 2), lit('-'), num('dayOfWeek', 1)];
const BASIC_WEEK = [num('weekBasedYear', 4, 4, 'normal'), lit('W'), num('week', 2), num('dayOfWeek', 1)];
const BASIC_WEEK_LENIENT = [num('weekBasedYear', 1, 19, 'normal'), lit('W'), num('week', 1, 2), num('dayOfWeek', 1)];

/** The strict_date_optional_time printer: always `yyyy-MM-ddTHH:mm:ss.SSS` and `Z` or `+hh:mm`. */
const SDOT_PRINTER = [...STRICT_YMD, lit('T'), num('hour', 2), lit(':'), num('minute', 2), lit(':'), num('second', 2), frac(3, 3), COLON];
const SDOT_NANOS_PRINTER = [...SDOT_PRINTER.slice(0, -2), frac(3, 9), COLON];
const ZONE_TAIL = [opt(ZONE_ID), opt(NO_COLON)];
const FRACTION_TAIL = [opt(frac(1, 9)), opt(lit(','), frac(1, 9, false))];

/** Printer plus `base + zone id` and `base + offset without colon` parsers, a common OpenSearch shape. */
const withZones = (printer: El[], base: El[]): NamedFormat => ({ printer, parsers: [[...base, ZONE_ID], [...base, NO_COLON]] });
const single = (els: El[]): NamedFormat => ({ printer: els, parsers: [els] });

const TIME_PRINTER = [...STRICT_HMS, frac(3, 3)];
const TIME_PREFIX = [...HMS, frac(1, 9)];
const STRICT_TIME_BASE = [...STRICT_HMS, frac(1, 9)];

const FORMATS: Record<string, NamedFormat> = {
  strict_date_optional_time: {
    printer: SDOT_PRINTER,
    parsers: [[...STRICT_YMD, opt(lit('T'), opt(num('hour', 2), opt(lit(':'), num('minute', 2), opt(lit(':'), num('second', 2), ...FRACTION_TAIL)), ...ZONE_TAIL))]],
  },
  strict_date_optional_time_nanos: {
    printer: SDOT_NANOS_PRINTER,
    parsers: [[...STRICT_YMD, opt(lit('T'), ...STRICT_HMS, ...FRACTION_TAIL, ...ZONE_TAIL)]],
  },
  date_optional_time: {
    printer: SDOT_PRINTER,
    parsers: [[...DATE, opt(lit('T'), opt(num('hour', 1, 2), opt(lit(':'), num('minute', 1, 2), opt(lit(':'), num('second', 1, 2)), ...FRACTION_TAIL, ...ZONE_TAIL)))]],
  },
  iso8601: {
    printer: SDOT_PRINTER,
    parsers: [[...STRICT_YMD, opt(lit('T'), opt(num('hour', 2), opt(lit(':'), num('minute', 2), opt(lit(':'), num('second', 2), ...FRACTION_TAIL))), ...ZONE_TAIL)]],
  },
  rfc3339_lenient: {
    printer: SDOT_PRINTER,
    parsers: [[...DATE, opt(lit('T'), ...HM, opt(lit(':'), num('second', 1, 2), ...FRACTION_TAIL, opt(offset('+HH:MM:ss'))))]],
  },
  basic_date: { printer: BASIC_YMD, parsers: [BASIC_YMD, [num('year', 1, 4, 'normal'), num('month', 1, 2), num('day', 1, 2)]] },
  basic_date_time: withZones([...BASIC_YMD, lit('T'), ...BASIC_HMS, frac(3, 3), COLON], [...BASIC_YMD, lit('T'), ...BASIC_HMS, frac(1, 9)]),
  basic_date_time_no_millis: withZones([...BASIC_YMD, lit('T'), ...BASIC_HMS, COLON], [...BASIC_YMD, lit('T'), ...BASIC_HMS]),
  basic_ordinal_date: single([num('year', 4, 19, 'exceeds'), num('dayOfYear', 3)]),
  basic_ordinal_date_time: withZones([num('year', 4, 19, 'exceeds'), num('dayOfYear', 3), lit('T'), ...BASIC_HMS, frac(3, 3), COLON], [num('year', 4, 19, 'exceeds'), num('dayOfYear', 3), lit('T'), ...BASIC_HMS, frac(1, 9)]),
  basic_ordinal_date_time_no_millis: withZones([num('year', 4, 19, 'exceeds'), num('dayOfYear', 3), lit('T'), ...BASIC_HMS, COLON], [num('year', 4, 19, 'exceeds'), num('dayOfYear', 3), lit('T'), ...BASIC_HMS]),
  basic_time: withZones([...BASIC_HMS, frac(3, 3), COLON], [...BASIC_HMS, frac(1, 9)]),
  basic_time_no_millis: withZones([...BASIC_HMS, COLON], BASIC_HMS),
  basic_t_time: withZones([lit('T'), ...BASIC_HMS, frac(3, 3), COLON], [lit('T'), ...BASIC_HMS, frac(1, 9)]),
  basic_t_time_no_millis: withZones([lit('T'), ...BASIC_HMS, COLON], [lit('T'), ...BASIC_HMS]),
  basic_week_date: { printer: BASIC_WEEK, parsers: [BASIC_WEEK_LENIENT] },
  basic_week_date_time: withZones([...BASIC_WEEK, lit('T'), ...BASIC_HMS, frac(3, 3), offset('+HHmm')], [...BASIC_WEEK_LENIENT, lit('T'), ...BASIC_HMS, frac(1, 9)]),
  basic_week_date_time_no_millis: withZones([...BASIC_WEEK, lit('T'), ...BASIC_HMS, offset('+HHmm')], [...BASIC_WEEK_LENIENT, lit('T'), ...BASIC_HMS]),
  strict_basic_week_date: { printer: BASIC_WEEK, parsers: [[num('weekBasedYear', 4, 19, 'exceeds'), lit('W'), num('week', 1, 2), num('dayOfWeek', 1)]] },
  strict_basic_week_date_time: withZones([...BASIC_WEEK, lit('T'), ...BASIC_HMS, frac(3, 3), offset('+HHmm')], [...BASIC_WEEK, lit('T'), ...BASIC_HMS, frac(1, 9)]),
  strict_basic_week_date_time_no_millis: withZones([...BASIC_WEEK, lit('T'), ...BASIC_HMS, COLON], [...BASIC_WEEK, lit('T'), ...BASIC_HMS]),
  date: { printer: ISO_DATE, parsers: [DATE] },
  strict_date: { printer: ISO_DATE, parsers: [ISO_DATE], lenient: true },
  date_hour: { printer: compileJavaPattern("uuuu-MM-dd'T'HH"), parsers: [[...DATE, lit('T'), num('hour', 1, 2)]] },
  strict_date_hour: single(compileJavaPattern("uuuu-MM-dd'T'HH")),
  date_hour_minute: { printer: compileJavaPattern("uuuu-MM-dd'T'HH:mm"), parsers: [[...DATE, lit('T'), ...HM]] },
  strict_date_hour_minute: single(compileJavaPattern("uuuu-MM-dd'T'HH:mm")),
  date_hour_minute_second: { printer: compileJavaPattern("uuuu-MM-dd'T'HH:mm:ss"), parsers: [[...DATE, lit('T'), ...HMS]] },
  strict_date_hour_minute_second: single(compileJavaPattern("uuuu-MM-dd'T'HH:mm:ss")),
  date_hour_minute_second_fraction: { printer: [...STRICT_YMD, lit('T'), ...TIME_PRINTER], parsers: [[...DATE, lit('T'), ...HMS, frac(1, 9)]] },
  date_hour_minute_second_millis: { printer: [...STRICT_YMD, lit('T'), ...TIME_PRINTER], parsers: [[...DATE, lit('T'), ...HMS, frac(1, 3)]] },
  strict_date_hour_minute_second_fraction: { printer: [...STRICT_YMD, lit('T'), ...TIME_PRINTER], parsers: [[...STRICT_YMD, lit('T'), ...STRICT_HMS, frac(1, 9)]] },
  strict_date_hour_minute_second_millis: { printer: [...STRICT_YMD, lit('T'), ...TIME_PRINTER], parsers: [[...STRICT_YMD, lit('T'), ...STRICT_HMS, frac(1, 9)]] },
  date_time: { printer: SDOT_PRINTER, parsers: [[...DATE, lit('T'), ...HM, opt(lit(':'), num('second', 1, 2), frac(1, 9)), COLON], [...DATE, lit('T'), ...HM, opt(lit(':'), num('second', 1, 2), frac(1, 9)), NO_COLON]] },
  strict_date_time: withZones([...STRICT_YMD, lit('T'), ...STRICT_HMS, frac(3, 9), COLON], [...STRICT_YMD, lit('T'), ...STRICT_HMS, opt(frac(1, 9))]),
  date_time_no_millis: {
    printer: [...ISO_DATE, lit('T'), ...compileJavaPattern('HH:mm'), lit(':'), num('second', 2), ZONE_ID],
    parsers: [
      [...DATE, lit('T'), ...HM, opt(lit(':'), num('second', 1, 2)), COLON],
      [...DATE, lit('T'), ...HM, opt(lit(':'), num('second', 1, 2)), NO_COLON],
      [...DATE, lit('T'), ...HM, opt(lit(':'), num('second', 1, 2)), opt(ZONE_ID)],
      [...DATE, lit('T'), ...HM, opt(lit(':'), num('second', 1, 2)), opt(NO_COLON)],
    ],
  },
  strict_date_time_no_millis: withZones([...STRICT_YMD, lit('T'), ...STRICT_HMS, COLON], [...STRICT_YMD, lit('T'), ...STRICT_HMS]),
  hour: { printer: compileJavaPattern('HH'), parsers: [[num('hour', 1, 2)]] },
  strict_hour: single(compileJavaPattern('HH')),
  hour_minute: { printer: compileJavaPattern('HH:mm'), parsers: [HM] },
  strict_hour_minute: single(compileJavaPattern('HH:mm')),
  hour_minute_second: { printer: STRICT_HMS, parsers: [HMS] },
  strict_hour_minute_second: single(STRICT_HMS),
  hour_minute_second_fraction: { printer: TIME_PRINTER, parsers: [[...HMS, frac(1, 9)]] },
  hour_minute_second_millis: { printer: TIME_PRINTER, parsers: [[...HMS, frac(1, 3)]] },
  strict_hour_minute_second_fraction: { printer: TIME_PRINTER, parsers: [STRICT_TIME_BASE] },
  strict_hour_minute_second_millis: { printer: TIME_PRINTER, parsers: [STRICT_TIME_BASE] },
  ordinal_date: { printer: ORDINAL, parsers: [[YEAR4, lit('-'), num('dayOfYear', 1, 3)]] },
  strict_ordinal_date: single(ORDINAL),
  ordinal_date_time: withZones([...ORDINAL, lit('T'), ...compileJavaPattern('HH:mm'), opt(lit(':'), num('second', 2), frac(3, 9)), COLON], [YEAR4, lit('-'), num('dayOfYear', 1, 3), lit('T'), ...HM, opt(lit(':'), num('second', 1, 2), frac(1, 9))]),
  strict_ordinal_date_time: withZones([...ORDINAL, lit('T'), ...compileJavaPattern('HH:mm'), opt(lit(':'), num('second', 2), frac(3, 9)), COLON], [...ORDINAL, lit('T'), ...compileJavaPattern('HH:mm'), opt(lit(':'), num('second', 2), frac(1, 9))]),
  ordinal_date_time_no_millis: withZones([...ORDINAL, lit('T'), ...STRICT_HMS, COLON], [YEAR4, lit('-'), num('dayOfYear', 1, 3), lit('T'), ...HMS]),
  strict_ordinal_date_time_no_millis: withZones([...ORDINAL, lit('T'), ...STRICT_HMS, COLON], [...ORDINAL, lit('T'), ...STRICT_HMS]),
  time: withZones([...TIME_PRINTER, COLON], TIME_PREFIX),
  strict_time: withZones([...TIME_PRINTER, COLON], STRICT_TIME_BASE),
  time_no_millis: withZones([...STRICT_HMS, COLON], HMS),
  strict_time_no_millis: withZones([...STRICT_HMS, COLON], STRICT_HMS),
  t_time: withZones([lit('T'), ...TIME_PRINTER, COLON], [lit('T'), ...TIME_PREFIX]),
  strict_t_time: withZones([lit('T'), ...TIME_PRINTER, COLON], [lit('T'), ...STRICT_TIME_BASE]),
  t_time_no_millis: withZones([lit('T'), ...STRICT_HMS, COLON], [lit('T'), ...HMS]),
  strict_t_time_no_millis: withZones([lit('T'), ...STRICT_HMS, COLON], [lit('T'), ...STRICT_HMS]),
  week_date: { printer: ISO_WEEK, parsers: [WEEK_LENIENT] },
  strict_week_date: single(ISO_WEEK),
  week_date_time: withZones([...ISO_WEEK, lit('T'), ...TIME_PRINTER, COLON], [...WEEK_LENIENT, lit('T'), ...TIME_PREFIX]),
  strict_week_date_time: withZones([...ISO_WEEK, lit('T'), ...TIME_PRINTER, COLON], [...ISO_WEEK, lit('T'), ...STRICT_TIME_BASE]),
  week_date_time_no_millis: withZones([...ISO_WEEK, lit('T'), ...STRICT_HMS, COLON], [...WEEK_LENIENT, lit('T'), ...HMS]),
  strict_week_date_time_no_millis: withZones([...ISO_WEEK, lit('T'), ...STRICT_HMS, COLON], [...ISO_WEEK, lit('T'), ...STRICT_HMS]),
  weekyear: single([num('weekBasedYear', 1, 19, 'normal')]),
  week_year: single([num('weekBasedYear', 1, 19, 'normal')]),
  strict_weekyear: single([num('weekBasedYear', 4, 10, 'exceeds')]),
  weekyear_week: { printer: [num('weekBasedYear', 4, 10, 'exceeds'), lit('-W'), num('week', 2)], parsers: [[num('weekBasedYear', 1, 19, 'normal'), lit('-W'), num('week', 1, 19)]] },
  strict_weekyear_week: single([num('weekBasedYear', 4, 10, 'exceeds'), lit('-W'), num('week', 2)]),
  weekyear_week_day: {
    printer: [num('weekBasedYear', 4, 10, 'exceeds'), lit('-W'), num('week', 2), lit('-'), num('dayOfWeek', 1)],
    parsers: [[num('weekBasedYear', 1, 19, 'normal'), lit('-W'), num('week', 1, 19), lit('-'), num('dayOfWeek', 1)]],
  },
  strict_weekyear_week_day: single([num('weekBasedYear', 4, 10, 'exceeds'), lit('-W'), num('week', 2), lit('-'), num('dayOfWeek', 1)]),
  year: single([num('year', 1, 19, 'normal')]),
  strict_year: single([num('year', 4, 10, 'exceeds')]),
  year_month: { printer: [YEAR4, lit('-'), num('month', 2)], parsers: [[num('year', 1, 19, 'normal'), lit('-'), num('month', 1, 19)]] },
  strict_year_month: single([YEAR4, lit('-'), num('month', 2)]),
  year_month_day: { printer: STRICT_YMD, parsers: [[num('year', 1, 19, 'normal'), lit('-'), num('month', 1, 19), lit('-'), num('day', 1, 19)]] },
  strict_year_month_day: single(STRICT_YMD),
};

for (const f of Object.values(FORMATS)) {
  linkAdjacent(f.printer);
  for (const p of f.parsers) linkAdjacent(p);
}

const camelToSnake = (s: string): string => s.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());

/** The built-in format called `name` (snake_case, or the deprecated camelCase spelling), if any. */
export function namedFormat(name: string): NamedFormat | undefined {
  return FORMATS[name] ?? (/[A-Z]/.test(name) ? FORMATS[camelToSnake(name)] : undefined);
}

/** Names of all built-in formats except the epoch ones (handled in date-format.ts). */
export const NAMED_FORMATS: readonly string[] = Object.keys(FORMATS);
