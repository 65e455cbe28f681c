import { describe, expect, it } from 'vitest';
import { compileDateFormat, DateParseError } from './date-format.ts';
import { NAMED_FORMATS } from './named-formats.ts';

const iso = (ms: number): string => new Date(ms).toISOString();

// [format, input, instant it means (ISO, UTC), how the format prints that instant in UTC]
const CASES: Array<[string, string, string, string]> = [
  ['basic_date', '20240115', '2024-01-15T00:00:00.000Z', '20240115'],
  ['basic_date_time', '20240115T102030.123Z', '2024-01-15T10:20:30.123Z', '20240115T102030.123Z'],
  ['basic_date_time', '20240115T102030.1+0100', '2024-01-15T09:20:30.100Z', '20240115T092030.100Z'],
  ['basic_date_time_no_millis', '20240115T102030Z', '2024-01-15T10:20:30.000Z', '20240115T102030Z'],
  ['basic_ordinal_date', '2024015', '2024-01-15T00:00:00.000Z', '2024015'],
  ['basic_ordinal_date_time', '2024015T102030.123Z', '2024-01-15T10:20:30.123Z', '2024015T102030.123Z'],
  ['basic_ordinal_date_time_no_millis', '2024015T102030Z', '2024-01-15T10:20:30.000Z', '2024015T102030Z'],
  ['basic_time', '102030.123Z', '1970-01-01T10:20:30.123Z', '102030.123Z'],
  ['basic_time_no_millis', '102030+01:00', '1970-01-01T09:20:30.000Z', '092030Z'],
  ['basic_t_time', 'T102030.123Z', '1970-01-01T10:20:30.123Z', 'T102030.123Z'],
  ['basic_t_time_no_millis', 'T102030Z', '1970-01-01T10:20:30.000Z', 'T102030Z'],
  ['basic_week_date', '2024W031', '2024-01-15T00:00:00.000Z', '2024W031'],
  ['basic_week_date_time', '2024W031T102030.123Z', '2024-01-15T10:20:30.123Z', '2024W031T102030.123Z'],
  ['basic_week_date_time_no_millis', '2024W031T102030Z', '2024-01-15T10:20:30.000Z', '2024W031T102030Z'],
  ['date', '2024-01-15', '2024-01-15T00:00:00.000Z', '2024-01-15'],
  ['date', '2024-1-5', '2024-01-05T00:00:00.000Z', '2024-01-05'],
  ['date_hour', '2024-01-15T10', '2024-01-15T10:00:00.000Z', '2024-01-15T10'],
  ['date_hour_minute', '2024-01-15T10:20', '2024-01-15T10:20:00.000Z', '2024-01-15T10:20'],
  ['date_hour_minute_second', '2024-01-15T10:20:30', '2024-01-15T10:20:30.000Z', '2024-01-15T10:20:30'],
  ['date_hour_minute_second_fraction', '2024-01-15T10:20:30.123', '2024-01-15T10:20:30.123Z', '2024-01-15T10:20:30.123'],
  ['date_hour_minute_second_millis', '2024-01-15T10:20:30.1', '2024-01-15T10:20:30.100Z', '2024-01-15T10:20:30.100'],
  ['date_optional_time', '2024-1-5T1:2:3.4Z', '2024-01-05T01:02:03.400Z', '2024-01-05T01:02:03.400Z'],
  ['date_optional_time', '2024-01-15', '2024-01-15T00:00:00.000Z', '2024-01-15T00:00:00.000Z'],
  ['date_time', '2024-01-15T10:20:30.123Z', '2024-01-15T10:20:30.123Z', '2024-01-15T10:20:30.123Z'],
  ['date_time', '2024-01-15T10:20+0100', '2024-01-15T09:20:00.000Z', '2024-01-15T09:20:00.000Z'],
  ['date_time_no_millis', '2024-01-15T10:20:30Z', '2024-01-15T10:20:30.000Z', '2024-01-15T10:20:30Z'],
  ['date_time_no_millis', '2024-01-15T10:20:30', '2024-01-15T10:20:30.000Z', '2024-01-15T10:20:30Z'],
  ['hour', '10', '1970-01-01T10:00:00.000Z', '10'],
  ['hour_minute', '10:20', '1970-01-01T10:20:00.000Z', '10:20'],
  ['hour_minute_second', '10:20:30', '1970-01-01T10:20:30.000Z', '10:20:30'],
  ['hour_minute_second_fraction', '10:20:30.123456', '1970-01-01T10:20:30.123Z', '10:20:30.123'],
  ['hour_minute_second_millis', '10:20:30.123', '1970-01-01T10:20:30.123Z', '10:20:30.123'],
  ['ordinal_date', '2024-015', '2024-01-15T00:00:00.000Z', '2024-015'],
  ['ordinal_date_time', '2024-015T10:20:30.123Z', '2024-01-15T10:20:30.123Z', '2024-015T10:20:30.123Z'],
  ['ordinal_date_time_no_millis', '2024-015T10:20:30Z', '2024-01-15T10:20:30.000Z', '2024-015T10:20:30Z'],
  ['time', '10:20:30.123Z', '1970-01-01T10:20:30.123Z', '10:20:30.123Z'],
  ['time_no_millis', '10:20:30Z', '1970-01-01T10:20:30.000Z', '10:20:30Z'],
  ['t_time', 'T10:20:30.123Z', '1970-01-01T10:20:30.123Z', 'T10:20:30.123Z'],
  ['t_time_no_millis', 'T10:20:30Z', '1970-01-01T10:20:30.000Z', 'T10:20:30Z'],
  ['week_date', '2024-W03-1', '2024-01-15T00:00:00.000Z', '2024-W03-1'],
  ['week_date_time', '2024-W03-1T10:20:30.123Z', '2024-01-15T10:20:30.123Z', '2024-W03-1T10:20:30.123Z'],
  ['week_date_time_no_millis', '2024-W03-1T10:20:30Z', '2024-01-15T10:20:30.000Z', '2024-W03-1T10:20:30Z'],
  ['weekyear', '2024', '2024-01-01T00:00:00.000Z', '2024'],
  ['weekyear', '2026', '2026-01-05T00:00:00.000Z', '2026'],
  ['weekyear_week', '2024-W03', '2024-01-15T00:00:00.000Z', '2024-W03'],
  ['weekyear_week_day', '2024-W03-3', '2024-01-17T00:00:00.000Z', '2024-W03-3'],
  ['year', '2024', '2024-01-01T00:00:00.000Z', '2024'],
  ['year_month', '2024-01', '2024-01-01T00:00:00.000Z', '2024-01'],
  ['year_month_day', '2024-01-15', '2024-01-15T00:00:00.000Z', '2024-01-15'],
  ['epoch_millis', '1705314030123', '2024-01-15T10:20:30.123Z', '1705314030123'],
  ['epoch_second', '1705314030', '2024-01-15T10:20:30.000Z', '1705314030'],
  ['iso8601', '2024-01-15T10:20:30.123Z', '2024-01-15T10:20:30.123Z', '2024-01-15T10:20:30.123Z'],
  ['rfc3339_lenient', '2024-01-15T10:20:30+01:00', '2024-01-15T09:20:30.000Z', '2024-01-15T09:20:30.000Z'],
  ['strict_basic_week_date', '2024W031', '2024-01-15T00:00:00.000Z', '2024W031'],
  ['strict_basic_week_date_time', '2024W031T102030.123Z', '2024-01-15T10:20:30.123Z', '2024W031T102030.123Z'],
  ['strict_basic_week_date_time_no_millis', '2024W031T102030Z', '2024-01-15T10:20:30.000Z', '2024W031T102030Z'],
  ['strict_date', '2024-01-15', '2024-01-15T00:00:00.000Z', '2024-01-15'],
  ['strict_date', '2024-02-30', '2024-03-01T00:00:00.000Z', '2024-03-01'],
  ['strict_date_hour', '2024-01-15T10', '2024-01-15T10:00:00.000Z', '2024-01-15T10'],
  ['strict_date_hour_minute', '2024-01-15T10:20', '2024-01-15T10:20:00.000Z', '2024-01-15T10:20'],
  ['strict_date_hour_minute_second', '2024-01-15T10:20:30', '2024-01-15T10:20:30.000Z', '2024-01-15T10:20:30'],
  ['strict_date_hour_minute_second_fraction', '2024-01-15T10:20:30.5', '2024-01-15T10:20:30.500Z', '2024-01-15T10:20:30.500'],
  ['strict_date_hour_minute_second_millis', '2024-01-15T10:20:30.123', '2024-01-15T10:20:30.123Z', '2024-01-15T10:20:30.123'],
  ['strict_date_optional_time', '2024-01-15T10:20:30.123Z', '2024-01-15T10:20:30.123Z', '2024-01-15T10:20:30.123Z'],
  ['strict_date_optional_time_nanos', '2024-01-15T10:20:30.123456789Z', '2024-01-15T10:20:30.123Z', '2024-01-15T10:20:30.123457Z'],
  ['strict_date_time', '2024-01-15T10:20:30.123+01:00', '2024-01-15T09:20:30.123Z', '2024-01-15T09:20:30.123Z'],
  ['strict_date_time_no_millis', '2024-01-15T10:20:30Z', '2024-01-15T10:20:30.000Z', '2024-01-15T10:20:30Z'],
  ['strict_hour', '10', '1970-01-01T10:00:00.000Z', '10'],
  ['strict_hour_minute', '10:20', '1970-01-01T10:20:00.000Z', '10:20'],
  ['strict_hour_minute_second', '10:20:30', '1970-01-01T10:20:30.000Z', '10:20:30'],
  ['strict_hour_minute_second_fraction', '10:20:30.1', '1970-01-01T10:20:30.100Z', '10:20:30.100'],
  ['strict_hour_minute_second_millis', '10:20:30.123', '1970-01-01T10:20:30.123Z', '10:20:30.123'],
  ['strict_ordinal_date', '2024-015', '2024-01-15T00:00:00.000Z', '2024-015'],
  ['strict_ordinal_date_time', '2024-015T10:20:30.123Z', '2024-01-15T10:20:30.123Z', '2024-015T10:20:30.123Z'],
  ['strict_ordinal_date_time_no_millis', '2024-015T10:20:30Z', '2024-01-15T10:20:30.000Z', '2024-015T10:20:30Z'],
  ['strict_time', '10:20:30.123Z', '1970-01-01T10:20:30.123Z', '10:20:30.123Z'],
  ['strict_time_no_millis', '10:20:30Z', '1970-01-01T10:20:30.000Z', '10:20:30Z'],
  ['strict_t_time', 'T10:20:30.123Z', '1970-01-01T10:20:30.123Z', 'T10:20:30.123Z'],
  ['strict_t_time_no_millis', 'T10:20:30Z', '1970-01-01T10:20:30.000Z', 'T10:20:30Z'],
  ['strict_week_date', '2024-W03-1', '2024-01-15T00:00:00.000Z', '2024-W03-1'],
  ['strict_week_date_time', '2024-W03-1T10:20:30.123Z', '2024-01-15T10:20:30.123Z', '2024-W03-1T10:20:30.123Z'],
  ['strict_week_date_time_no_millis', '2024-W03-1T10:20:30Z', '2024-01-15T10:20:30.000Z', '2024-W03-1T10:20:30Z'],
  ['strict_weekyear', '2024', '2024-01-01T00:00:00.000Z', '2024'],
  ['strict_weekyear_week', '2024-W03', '2024-01-15T00:00:00.000Z', '2024-W03'],
  ['strict_weekyear_week_day', '2024-W03-1', '2024-01-15T00:00:00.000Z', '2024-W03-1'],
  ['strict_year', '2024', '2024-01-01T00:00:00.000Z', '2024'],
  ['strict_year_month', '2024-01', '2024-01-01T00:00:00.000Z', '2024-01'],
  ['strict_year_month_day', '2024-01-15', '2024-01-15T00:00:00.000Z', '2024-01-15'],
];

describe('built-in date formats', () => {
  it.each(CASES)('%s parses %s and prints it back', (format, input, instant, printed) => {
    const f = compileDateFormat(format);
    const ms = f.parse(input);
    expect(iso(ms)).toBe(instant);
    expect(f.format(ms)).toBe(printed);
  });

  it('covers every named format', () => {
    const tested = new Set(CASES.map((c) => c[0]));
    const missing = NAMED_FORMATS.filter((n) => !tested.has(n) && n !== 'week_year');
    expect(missing).toEqual([]);
  });

  it.each([
    ['strict_date', '2024-1-15'],
    ['strict_year', '24'],
    ['strict_date_time', '2024-01-15T10:20:30.123'],
    ['strict_date_time_no_millis', '2024-01-15T10:20:30.123Z'],
    ['date_time', '2024-01-15T10:20:30Z'],
    ['strict_hour_minute', '1:20'],
    ['basic_date', '2024-01-15'],
    ['strict_week_date', '2024-W54-1'],
    ['strict_ordinal_date', '2023-366'],
  ])('%s rejects %s', (format, input) => {
    expect(() => compileDateFormat(format).parse(input)).toThrow(DateParseError);
  });

  it('prints in a time zone', () => {
    const ms = Date.UTC(2024, 0, 15, 10, 20, 30, 123);
    expect(compileDateFormat('strict_date_time').format(ms, 'America/Los_Angeles')).toBe('2024-01-15T02:20:30.123-08:00');
    expect(compileDateFormat('date_time_no_millis').format(ms, 'Europe/Paris')).toBe('2024-01-15T11:20:30Europe/Paris');
    expect(compileDateFormat('basic_time').format(ms, '+05:30')).toBe('155030.123+05:30');
  });
});
