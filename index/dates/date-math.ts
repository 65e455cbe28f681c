// OpenSearch date math (JavaDateMathParser): `now`, `now-15m/m`, `2024-01-01||+1M/d`. Operations run
// left to right on a zoned date-time; `/unit` rounds down, or — for range bounds that round up (`lte`,
// `gt`) — to the last millisecond of the unit. Errors carry OpenSearch's `parse_exception` messages.

import { type CalendarUnit, plusUnits, startOfUnit } from './calendar.ts';
import { type DateFormat, DateParseError } from './date-format.ts';
import { InvalidTimeZoneError, resolveTimeZone, type TimeZone } from './time-zone.ts';

/** Options of {@link parseDateMath}. */
export interface DateMathOptions {
  /** The current time in epoch millis (one value per request, as OpenSearch's `now` supplier). */
  now: number;
  /** The field's format, used for the date before `||` or for the whole expression. */
  format: DateFormat;
  /** True for bounds that round up: `lte` and `gt`. */
  roundUp: boolean;
  /** Zone for rounding and for dates without one (`+01:00`, `Europe/Paris`). */
  timeZone?: string;
}

const UNITS: Record<string, CalendarUnit> = {
  y: 'year', M: 'month', w: 'week', d: 'day', h: 'hour', H: 'hour', m: 'minute', s: 'second',
};

const mathError = (reason: string): DateParseError => new DateParseError(reason, 'parse_exception');

function parseDate(text: string, opts: DateMathOptions, roundUp: boolean): number {
  if (text.length === 0) throw mathError('cannot parse empty date');
  try {
    return opts.format.parse(text, { timeZone: opts.timeZone, roundUp });
  } catch (e) {
    if (!(e instanceof DateParseError)) throw e;
    throw new DateParseError(
      `failed to parse date field [${text}] with format [${opts.format.spec}]: [${e.reason}]`,
      'parse_exception',
      e.reason,
    );
  }
}

/** Applies the math part (`-1d/d`) to an instant. */
function applyMath(math: string, start: number, roundUp: boolean, zone: TimeZone): number {
  let t = start;
  for (let i = 0; i < math.length; ) {
    const c = math[i++];
    const round = c === '/';
    let sign = 1;
    if (!round) {
      if (c === '-') sign = -1;
      else if (c !== '+') throw mathError(`operator not supported for date math [${math}]`);
    }
    if (i >= math.length) throw mathError(`truncated date math [${math}]`);
    let num = 1;
    if (math[i] >= '0' && math[i] <= '9') {
      const from = i;
      while (i < math.length && math[i] >= '0' && math[i] <= '9') i++;
      if (i >= math.length) throw mathError(`truncated date math [${math}]`);
      num = Number(math.slice(from, i));
    }
    if (round && num !== 1) throw mathError(`rounding \`/\` can only be used on single unit types [${math}]`);
    const letter = math[i++];
    const unit = UNITS[letter];
    if (!unit) throw mathError(`unit [${letter}] not supported for date math [${math}]`);
    if (round) {
      t = startOfUnit(t, unit, zone);
      // Round up: the start of the next unit minus one millisecond, the largest inclusive value.
      if (roundUp) t = plusUnits(t, unit, 1, zone) - 1;
    } else {
      t = plusUnits(t, unit, sign * num, zone);
    }
  }
  return t;
}

/**
 * Parses a date-math expression to epoch millis. The result may be fractional (sub-millisecond
 * input, or a rounded-up date without math); millisecond fields floor it as OpenSearch's
 * `toEpochMilli` does. Throws {@link DateParseError} (`parse_exception`).
 */
export function parseDateMath(expr: string, opts: DateMathOptions): number {
  let zone: TimeZone;
  try {
    zone = resolveTimeZone(opts.timeZone);
  } catch (e) {
    if (e instanceof InvalidTimeZoneError) throw new DateParseError(e.reason);
    throw e;
  }
  let base: number;
  let math: string;
  if (expr.startsWith('now')) {
    base = opts.now;
    math = expr.slice(3);
  } else {
    const idx = expr.indexOf('||');
    if (idx < 0) return parseDate(expr, opts, opts.roundUp);
    base = parseDate(expr.slice(0, idx), opts, false);
    math = expr.slice(idx + 2);
  }
  return applyMath(math, base, opts.roundUp, zone);
}
