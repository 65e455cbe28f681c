import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileDateFormat, DateParseError, DEFAULT_DATE_FORMAT, detectDateFormat, isDateLike, parseIsoFastForTest } from './date-format.ts';
import { daysFromCivil, lengthOfMonth, MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, MS_PER_SECOND } from './civil.ts';

const DEFAULT = compileDateFormat(DEFAULT_DATE_FORMAT);
const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number =>
  new Date(0).setUTCFullYear(y, mo - 1, d) + ((h * 60 + mi) * 60 + s) * 1000 + ms;

function parseError(fn: () => unknown): DateParseError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DateParseError) return e;
    throw e;
  }
  throw new Error('expected a DateParseError');
}

describe('default format strict_date_optional_time||epoch_millis', () => {
  it.each([
    ['2024-01-15T10:00:00Z', utc(2024, 1, 15, 10)],
    ['2024-01-15T10:00:00.123Z', utc(2024, 1, 15, 10, 0, 0, 123)],
    ['2024-01-15T10:00:00.1Z', utc(2024, 1, 15, 10, 0, 0, 100)],
    ['2024-01-15T10:00:00,5Z', utc(2024, 1, 15, 10, 0, 0, 500)],
    ['2024-01-15T10:00:00+01:00', utc(2024, 1, 15, 9)],
    ['2024-01-15T10:00:00+0100', utc(2024, 1, 15, 9)],
    ['2024-01-15T10:00:00+01', utc(2024, 1, 15, 9)],
    ['2024-01-15T10:00:00-05:30', utc(2024, 1, 15, 15, 30)],
    ['2024-01-15T10:00:00Europe/Paris', utc(2024, 1, 15, 9)],
    ['2024-01-15T10:00:00', utc(2024, 1, 15, 10)],
    ['2024-01-15T10:00', utc(2024, 1, 15, 10)],
    ['2024-01-15T10', utc(2024, 1, 15, 10)],
    ['2024-01-15T10Z', utc(2024, 1, 15, 10)],
    ['2024-01-15', utc(2024, 1, 15)],
    ['2024-01', utc(2024, 1, 1)],
    ['2024', utc(2024, 1, 1)],
    ['1704067200000', utc(2024, 1, 1)],
    ['0', 0],
    ['-1', -1],
    ['-86400000', utc(1969, 12, 31)],
    ['1.5', 1.5],
    ['-1.5', -1.5],
    ['1704067200000.', utc(2024, 1, 1)],
  ])('parses %s', (input, expected) => {
    expect(DEFAULT.parse(input)).toBe(expected);
  });

  it('parses numbers like their JSON text', () => {
    expect(DEFAULT.parse(1704067200000)).toBe(utc(2024, 1, 1));
    expect(DEFAULT.parse(-5)).toBe(-5);
  });

  it('keeps sub-millisecond digits as a fraction', () => {
    expect(DEFAULT.parse('2024-01-15T10:00:00.123456Z')).toBeCloseTo(utc(2024, 1, 15, 10, 0, 0, 123) + 0.456, 3);
  });

  it.each(['2024-1-15', '2024-01-15T1:00:00Z', '2024-13-01', '2024-02-30', '2024-01-15T24:00:00Z', '2024-01-15T10:60Z', 'foo', '10000-01-01', '2024-01-15 10:00:00', '1.1234567'])(
    'rejects %s with OpenSearch wording',
    (input) => {
      const e = parseError(() => DEFAULT.parse(input));
      expect(e.reason).toBe(`failed to parse date field [${input}] with format [strict_date_optional_time||epoch_millis]`);
      expect(e.type).toBe('illegal_argument_exception');
      expect(e.causeReason).toBe('Failed to parse with all enclosed parsers');
    },
  );

  it('rejects an empty date', () => {
    expect(parseError(() => DEFAULT.parse('')).reason).toBe('cannot parse empty date');
  });

  it('prints with millis and Z, or the zone offset', () => {
    expect(DEFAULT.format(utc(2024, 1, 15, 10))).toBe('2024-01-15T10:00:00.000Z');
    expect(DEFAULT.format(utc(2024, 1, 15, 10, 0, 0, 7))).toBe('2024-01-15T10:00:00.007Z');
    expect(DEFAULT.format(utc(2024, 1, 15, 10), '+01:00')).toBe('2024-01-15T11:00:00.000+01:00');
    expect(DEFAULT.format(utc(2024, 1, 15, 10), 'Europe/Paris')).toBe('2024-01-15T11:00:00.000+01:00');
    expect(DEFAULT.format(utc(2024, 7, 15, 10), 'Europe/Paris')).toBe('2024-07-15T12:00:00.000+02:00');
    expect(DEFAULT.format(utc(2024, 7, 15, 10), 'America/New_York')).toBe('2024-07-15T06:00:00.000-04:00');
    expect(DEFAULT.format(utc(2024, 1, 15, 10), 'Asia/Kolkata')).toBe('2024-01-15T15:30:00.000+05:30');
    expect(DEFAULT.format(-1)).toBe('1969-12-31T23:59:59.999Z');
    expect(DEFAULT.format(utc(1, 1, 1))).toBe('0001-01-01T00:00:00.000Z');
  });

  it('fills missing fields with their maximum time when rounding up (OpenSearch round-up parser)', () => {
    const upper = DEFAULT.parse('2024-01-15', { roundUp: true });
    expect(Math.floor(upper)).toBe(utc(2024, 1, 15, 23, 59, 59, 999));
    expect(upper - Math.floor(upper)).toBeGreaterThan(0.99);
    expect(Math.floor(DEFAULT.parse('2024-01-15T10:20', { roundUp: true }))).toBe(utc(2024, 1, 15, 10, 20, 59, 999));
    // Missing month and day are January 1st even when rounding up, as OpenSearch documents.
    expect(Math.floor(DEFAULT.parse('2024-12', { roundUp: true }))).toBe(utc(2024, 12, 1, 23, 59, 59, 999));
    expect(Math.floor(DEFAULT.parse('2024', { roundUp: true }))).toBe(utc(2024, 1, 1, 23, 59, 59, 999));
    expect(Math.floor(DEFAULT.parse('1000', { roundUp: true }))).toBe(utc(1000, 1, 1, 23, 59, 59, 999));
    expect(Math.floor(DEFAULT.parse('1704067200000', { roundUp: true }))).toBe(utc(2024, 1, 1));
    expect(DEFAULT.parse('2024-01-15T10:00:00.000Z', { roundUp: true })).toBe(utc(2024, 1, 15, 10));
  });

  it('applies the time zone option to dates without one', () => {
    expect(DEFAULT.parse('2024-01-15T10:00:00', { timeZone: '+01:00' })).toBe(utc(2024, 1, 15, 9));
    expect(DEFAULT.parse('2024-07-15', { timeZone: 'Europe/Paris' })).toBe(utc(2024, 7, 14, 22));
    expect(DEFAULT.parse('2024-01-15T10:00:00Z', { timeZone: 'Europe/Paris' })).toBe(utc(2024, 1, 15, 10));
    expect(DEFAULT.parse('2024-01-15T10:00:00-02:00', { timeZone: '+05:00' })).toBe(utc(2024, 1, 15, 12));
    // OpenSearch also shifts epoch values by the request zone (withZoneSameLocal on the UTC instant).
    expect(DEFAULT.parse('1704067200000', { timeZone: '+01:00' })).toBe(utc(2023, 12, 31, 23));
    expect(parseError(() => DEFAULT.parse('2024', { timeZone: 'Mars/Olympus' })).reason).toBe('Unknown time-zone ID: Mars/Olympus');
  });

  it('resolves DST gaps forward and overlaps to the earlier offset', () => {
    // Europe/Paris: 2024-03-31 02:00 → 03:00 (gap), 2024-10-27 03:00 → 02:00 (overlap).
    expect(DEFAULT.parse('2024-03-31T02:30:00', { timeZone: 'Europe/Paris' })).toBe(utc(2024, 3, 31, 1, 30));
    expect(DEFAULT.parse('2024-10-27T02:30:00', { timeZone: 'Europe/Paris' })).toBe(utc(2024, 10, 27, 0, 30));
    expect(DEFAULT.parse('2024-03-10T02:30:00', { timeZone: 'America/New_York' })).toBe(utc(2024, 3, 10, 7, 30));
  });

  it('round-trips instants of years 1920-9999 through print and parse', () => {
    // Older local mean times have second-level offsets, which +HH:MM printing drops as java.time does.
    fc.assert(
      fc.property(fc.integer({ min: -1577923200000, max: 253402300799999 - 86400000 }), fc.constantFrom('Z', '+05:30', '-08:00', 'Europe/Paris', 'America/New_York', 'Australia/Lord_Howe'), (ms, zone) => {
        expect(DEFAULT.parse(DEFAULT.format(ms, zone))).toBe(ms);
      }),
      { numRuns: 300 },
    );
  });
});

describe('ISO fast path', () => {
  it('agrees with the general element parser (strict_date_time) on valid and invalid input', () => {
    const general = compileDateFormat('strict_date_time');
    const pad = (n: number, w: number): string => String(n).padStart(w, '0');
    const attempt = (f: () => number): number | string => {
      try {
        return f();
      } catch (e) {
        if (e instanceof DateParseError) return 'error';
        throw e;
      }
    };
    fc.assert(
      fc.property(
        fc.record({
          y: fc.integer({ min: 1000, max: 9999 }), mo: fc.integer({ min: 0, max: 13 }), d: fc.integer({ min: 0, max: 32 }),
          h: fc.integer({ min: 0, max: 24 }), mi: fc.integer({ min: 0, max: 60 }), s: fc.integer({ min: 0, max: 60 }),
          frac: fc.option(fc.stringMatching(/^[0-9]{1,9}$/), { nil: undefined }),
          zone: fc.oneof(fc.constant('Z'), fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 19 }), fc.integer({ min: 0, max: 60 })).map(([sg, zh, zm]) => `${sg}${pad(zh, 2)}:${pad(zm, 2)}`)),
          roundUp: fc.boolean(),
        }),
        (r) => {
          const text = `${r.y}-${pad(r.mo, 2)}-${pad(r.d, 2)}T${pad(r.h, 2)}:${pad(r.mi, 2)}:${pad(r.s, 2)}${r.frac !== undefined ? '.' + r.frac : ''}${r.zone}`;
          const fast = attempt(() => DEFAULT.parse(text, { roundUp: r.roundUp }));
          const slow = attempt(() => general.parse(text, { roundUp: r.roundUp }));
          expect(fast).toEqual(slow);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('epoch formats', () => {
  const millis = compileDateFormat('epoch_millis');
  const seconds = compileDateFormat('epoch_second');

  it('parses and prints epoch_millis with fractions and signs', () => {
    expect(millis.parse('1540815132987')).toBe(1540815132987);
    expect(millis.format(1540815132987)).toBe('1540815132987');
    expect(millis.format(1.5)).toBe('1.5');
    expect(millis.format(-1.5)).toBe('-1.5');
    expect(millis.format(-1000)).toBe('-1000');
    expect(() => millis.parse('1e3')).toThrow(DateParseError);
    expect(() => millis.parse('+5')).toThrow(DateParseError);
  });

  it('parses and prints epoch_second as OpenSearch (fraction of second is always positive)', () => {
    expect(seconds.parse('1704067200')).toBe(utc(2024, 1, 1));
    expect(seconds.parse('1704067200.5')).toBe(utc(2024, 1, 1) + 500);
    expect(seconds.parse('-1')).toBe(-1000);
    expect(seconds.parse('-1.5')).toBe(-500);
    expect(Math.floor(seconds.parse('1704067200', { roundUp: true }))).toBe(utc(2024, 1, 1) + 999);
    expect(seconds.format(utc(2024, 1, 1) + 500)).toBe('1704067200.5');
    expect(seconds.format(-1500)).toBe('-2.5');
    expect(seconds.format(utc(2024, 1, 1))).toBe('1704067200');
  });
});

describe('dynamic date detection', () => {
  it.each([
    ['2024-01-15T10:00:00Z', 'strict_date_optional_time'],
    ['2024-01-15', 'strict_date_optional_time'],
    ['2024/01/15 10:00:00 +0000', 'yyyy/MM/dd HH:mm:ss Z||yyyy/MM/dd Z'],
    ['2024/01/15 +0100', 'yyyy/MM/dd HH:mm:ss Z||yyyy/MM/dd Z'],
    ['hello world', undefined],
    ['2024/01/15', undefined],
    ['12', undefined],
    ['10.0.0.1', undefined],
  ])('detects %s', (value, format) => {
    expect(detectDateFormat(value)).toBe(format);
    expect(isDateLike(value)).toBe(format !== undefined);
  });

  it('uses the given dynamic_date_formats', () => {
    expect(isDateLike('15/01/2024', ['dd/MM/yyyy'])).toBe(true);
    expect(isDateLike('2024-01-15', ['dd/MM/yyyy'])).toBe(false);
  });
});

describe('format specs', () => {
  it('rejects invalid specs with OpenSearch messages', () => {
    expect(parseError(() => compileDateFormat('')).reason).toBe('No date pattern provided');
    expect(parseError(() => compileDateFormat('yyyy||')).reason).toBe('Cannot have empty element in multi date format pattern: yyyy||');
    expect(parseError(() => compileDateFormat('yyyy-bb')).reason).toBe('Invalid format: [yyyy-bb]: Unknown pattern letter: b');
    expect(parseError(() => compileDateFormat('ddd')).reason).toBe('Invalid format: [ddd]: Too many pattern letters: d');
    expect(parseError(() => compileDateFormat("yyyy'T")).reason).toMatch(/^Invalid format: \[yyyy'T\]: Pattern ends with an incomplete string literal/);
  });

  it('accepts camelCase names and the legacy 8 prefix', () => {
    expect(compileDateFormat('strictDateOptionalTime').parse('2024-01-15')).toBe(utc(2024, 1, 15));
    expect(compileDateFormat('8yyyy-MM-dd').parse('2024-01-15')).toBe(utc(2024, 1, 15));
  });

  it('tries alternatives in order and prints with the first', () => {
    const f = compileDateFormat('yyyy-MM-dd HH:mm:ss||yyyy-MM-dd||epoch_millis');
    expect(f.parse('2024-01-15 10:20:30')).toBe(utc(2024, 1, 15, 10, 20, 30));
    expect(f.parse('2024-01-15')).toBe(utc(2024, 1, 15));
    expect(f.parse('1705276800000')).toBe(utc(2024, 1, 15));
    expect(f.format(utc(2024, 1, 15))).toBe('2024-01-15 00:00:00');
  });
});

describe('the ISO fast path', () => {
  // The regex version it replaced, as the reference (same arithmetic).
  const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;
  const withFraction = (intMs: number, fraction: number): number => {
    const r = intMs + fraction;
    if (Math.floor(r) === intMs) return r;
    return Math.floor(intMs + 0.999) === intMs ? intMs + 0.999 : intMs;
  };
  const reference = (text: string, roundUp: boolean): number | undefined => {
    const m = ISO.exec(text);
    if (!m) return undefined;
    const year = +m[1], month = +m[2], day = +m[3], hour = +m[4], minute = +m[5], second = +m[6];
    const oh = m[8] ? 0 : +m[10], om = m[8] ? 0 : +m[11];
    if (month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month) || hour > 23 || minute > 59 || second > 59 || oh * 60 + om > 18 * 60 || om > 59) return undefined;
    const offset = (m[9] === '-' ? -1 : 1) * (oh * MS_PER_HOUR + om * MS_PER_MINUTE);
    const nano = m[7] !== undefined ? Number(m[7].padEnd(9, '0')) : roundUp ? 999_999_999 : 0;
    const ms = Math.floor(nano / 1e6);
    const base = daysFromCivil(year, month, day) * MS_PER_DAY + hour * MS_PER_HOUR + minute * MS_PER_MINUTE + second * MS_PER_SECOND - offset;
    return withFraction(base + ms, (nano - ms * 1e6) / 1e6);
  };
  const piece = fc.oneof(
    fc.constantFrom('2024-01-15T10:20:30', '1999-12-31T23:59:59', '2024-02-29T00:00:00', '2023-02-29T00:00:00', '0000-01-01T00:00:00', '9999-13-01T00:00:00', '2024-01-15T24:00:00', '2024-01-15T10:60:30', '2024-1-15T10:20:30', '2024-01-15 10:20:30', '２024-01-15T10:20:30'),
    fc.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/),
  );
  const fraction = fc.oneof(fc.constant(''), fc.stringMatching(/^\.\d{0,11}$/), fc.constant('.x'));
  const zone = fc.oneof(fc.constantFrom('Z', '+00:00', '-00:00', '+18:00', '+18:01', '-05:30', '+05:60', '+0530', 'z', '', 'Z ', '+05:3'), fc.stringMatching(/^[+-]\d{2}:\d{2}$/));

  it('agrees with the ISO regex and the strict parser on canonical, odd and broken dates', () => {
    fc.assert(
      fc.property(piece, fraction, zone, fc.boolean(), (p, f, z, roundUp) => {
        const text = p + f + z;
        expect(parseIsoFastForTest(text, roundUp)).toBe(reference(text, roundUp));
      }),
      { numRuns: 3000 },
    );
  });
});
