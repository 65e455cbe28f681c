import { describe, expect, it } from 'vitest';
import { compileDateFormat, DateParseError } from './date-format.ts';

const iso = (ms: number): string => new Date(ms).toISOString();

describe('java.time patterns', () => {
  // [pattern, input, instant (ISO, UTC), printed back in UTC]
  it.each([
    ['yyyy-MM-dd HH:mm:ss', '2024-01-15 10:20:30', '2024-01-15T10:20:30.000Z', '2024-01-15 10:20:30'],
    ['dd/MM/yyyy', '15/01/2024', '2024-01-15T00:00:00.000Z', '15/01/2024'],
    ['yyyy/MM/dd HH:mm:ss Z', '2024/01/15 10:20:30 +0100', '2024-01-15T09:20:30.000Z', '2024/01/15 09:20:30 +0000'],
    ['yyyy/MM/dd Z', '2024/01/15 -0500', '2024-01-15T05:00:00.000Z', '2024/01/15 +0000'],
    ['MMM dd, yyyy', 'Jan 15, 2024', '2024-01-15T00:00:00.000Z', 'Jan 15, 2024'],
    ['MMMM d, yyyy', 'January 5, 2024', '2024-01-05T00:00:00.000Z', 'January 5, 2024'],
    ['EEE, dd MMM yyyy HH:mm:ss z', 'Mon, 15 Jan 2024 10:20:30 GMT', '2024-01-15T10:20:30.000Z', 'Mon, 15 Jan 2024 10:20:30 Z'],
    ['EEEE', 'Thursday', '1970-01-01T00:00:00.000Z', 'Thursday'],
    ['uuuu', '2024', '2024-01-01T00:00:00.000Z', '2024'],
    ['yy-MM-dd', '24-01-15', '2024-01-15T00:00:00.000Z', '24-01-15'],
    ["yyyy-MM-dd'T'HH:mm:ss.SSSXXX", '2024-01-15T10:20:30.123+05:30', '2024-01-15T04:50:30.123Z', '2024-01-15T04:50:30.123Z'],
    ["yyyy-MM-dd'T'HH:mm:ss.SSSX", '2024-01-15T10:20:30.123-08', '2024-01-15T18:20:30.123Z', '2024-01-15T18:20:30.123Z'],
    ["yyyy-MM-dd'T'HH:mm:ssxxx", '2024-01-15T10:20:30+00:00', '2024-01-15T10:20:30.000Z', '2024-01-15T10:20:30+00:00'],
    ["yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'", '2024-01-15T10:20:30.123456Z', '2024-01-15T10:20:30.123Z', '2024-01-15T10:20:30.123456Z'],
    ['yyyyMMddHHmmss', '20240115102030', '2024-01-15T10:20:30.000Z', '20240115102030'],
    ['HHmmssSSS', '102030123', '1970-01-01T10:20:30.123Z', '102030123'],
    ['yyyy-MM-dd[ HH:mm[:ss]]', '2024-01-15 10:20', '2024-01-15T10:20:00.000Z', '2024-01-15 10:20:00'],
    ['yyyy-MM-dd[ HH:mm[:ss]]', '2024-01-15', '2024-01-15T00:00:00.000Z', '2024-01-15 00:00:00'],
    ["hh:mm a 'on' dd.MM.yyyy", '02:30 PM on 15.01.2024', '2024-01-15T14:30:00.000Z', '02:30 PM on 15.01.2024'],
    ["h 'o''clock' a", "12 o'clock AM", '1970-01-01T00:00:00.000Z', "12 o'clock AM"],
    ['yyyy-DDD', '2024-366', '2024-12-31T00:00:00.000Z', '2024-366'],
    ['YYYY-ww-e', '2024-03-1', '2024-01-15T00:00:00.000Z', '2024-03-1'],
    ['yyyy-MM-dd VV', '2024-07-15 Europe/Paris', '2024-07-14T22:00:00.000Z', '2024-07-14 Z'],
    ['dd.MM.yyyy HH:mm O', '15.01.2024 10:00 GMT+2', '2024-01-15T08:00:00.000Z', '15.01.2024 08:00 GMT'],
    ['G yyyy', 'BC 0044', '-000043-01-01T00:00:00.000Z', 'BC 0044'],
  ])('%s parses %s', (pattern, input, instant, printed) => {
    const f = compileDateFormat(pattern);
    const ms = f.parse(input);
    expect(iso(ms)).toBe(instant);
    expect(f.format(ms)).toBe(printed);
  });

  it('is case-sensitive for texts and strict about widths, as java.time', () => {
    const f = compileDateFormat('dd MMM yyyy');
    expect(() => f.parse('15 jan 2024')).toThrow(DateParseError);
    expect(() => compileDateFormat('yyyy-MM-dd').parse('2024-1-15')).toThrow(DateParseError);
    expect(() => compileDateFormat('yyyy-MM-dd').parse('2024-01-15 ')).toThrow(DateParseError);
    expect(compileDateFormat('yyyy-M-d').parse('2024-1-5')).toBe(Date.UTC(2024, 0, 5));
  });

  it('cross-checks a day of week against the date', () => {
    const f = compileDateFormat('EEE yyyy-MM-dd');
    expect(f.parse('Mon 2024-01-15')).toBe(Date.UTC(2024, 0, 15));
    expect(() => f.parse('Tue 2024-01-15')).toThrow(DateParseError);
  });

  it('rejects invalid calendar values', () => {
    const f = compileDateFormat('yyyy-MM-dd HH:mm');
    for (const bad of ['2023-02-29 10:00', '2024-04-31 10:00', '2024-01-01 24:00', '2024-00-10 10:00']) {
      expect(() => f.parse(bad)).toThrow(DateParseError);
    }
    expect(f.parse('2024-02-29 23:59')).toBe(Date.UTC(2024, 1, 29, 23, 59));
  });

  it('rejects malformed patterns with java.time messages', () => {
    const reason = (p: string): string => {
      try {
        compileDateFormat(p);
      } catch (e) {
        return (e as DateParseError).reason;
      }
      return '';
    };
    expect(reason('yyyy-MM-dd]')).toBe('Invalid format: [yyyy-MM-dd]]: Pattern invalid as it contains ] without previous [');
    expect(reason('yyyy#')).toBe("Invalid format: [yyyy#]: Pattern includes reserved character: '#'");
    expect(reason('HHH')).toBe('Invalid format: [HHH]: Too many pattern letters: H');
    expect(reason('V')).toBe('Invalid format: [V]: Pattern letter count must be 2: V');
  });
});
