import { describe, expect, it } from 'vitest';
import { compileDateFormat, DateParseError, DEFAULT_DATE_FORMAT } from './date-format.ts';
import { type DateMathOptions, parseDateMath } from './date-math.ts';

const format = compileDateFormat(DEFAULT_DATE_FORMAT);
const NOW = Date.UTC(2001, 0, 1, 12, 0, 0);
const iso = (ms: number): string => new Date(Math.floor(ms)).toISOString();
const math = (expr: string, o: Partial<DateMathOptions> = {}): string => iso(parseDateMath(expr, { now: NOW, format, roundUp: false, ...o }));

function mathError(expr: string, o: Partial<DateMathOptions> = {}): DateParseError {
  try {
    parseDateMath(expr, { now: NOW, format, roundUp: false, ...o });
  } catch (e) {
    if (e instanceof DateParseError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('parseDateMath', () => {
  // The examples of OpenSearch's date math documentation (now = 2001-01-01 12:00:00).
  it.each([
    ['now', '2001-01-01T12:00:00.000Z'],
    ['now+1h', '2001-01-01T13:00:00.000Z'],
    ['now-1h', '2001-01-01T11:00:00.000Z'],
    ['now-1h/d', '2001-01-01T00:00:00.000Z'],
    ['now-15m/m', '2001-01-01T11:45:00.000Z'],
    ['now+1d', '2001-01-02T12:00:00.000Z'],
    ['now-1w', '2000-12-25T12:00:00.000Z'],
    ['now-1M', '2000-12-01T12:00:00.000Z'],
    ['now-1y', '2000-01-01T12:00:00.000Z'],
    ['now+90s', '2001-01-01T12:01:30.000Z'],
    ['now+2H', '2001-01-01T14:00:00.000Z'],
    ['now/w', '2001-01-01T00:00:00.000Z'],
    ['now-1d/w', '2000-12-25T00:00:00.000Z'],
    ['now/M', '2001-01-01T00:00:00.000Z'],
    ['now/y', '2001-01-01T00:00:00.000Z'],
    ['now-1d+2h-30m', '2000-12-31T13:30:00.000Z'],
    ['2001-02-01||+1M/d', '2001-03-01T00:00:00.000Z'],
    ['2024-01-31||+1M', '2024-02-29T00:00:00.000Z'],
    ['2024-02-29||+1y', '2025-02-28T00:00:00.000Z'],
    ['2024-01-15T10:20:30Z||/h', '2024-01-15T10:00:00.000Z'],
    ['1705314030123||-1d', '2024-01-14T10:20:30.123Z'],
  ])('%s', (expr, expected) => {
    expect(math(expr)).toBe(expected);
  });

  it('supports other formats before ||', () => {
    expect(math('2001.02.01||+1M/d', { format: compileDateFormat('yyyy.MM.dd') })).toBe('2001-03-01T00:00:00.000Z');
  });

  // OpenSearch's range rounding table for "2014-11-18||/M".
  it.each([
    ['gt', true, '2014-11-30T23:59:59.999Z'],
    ['gte', false, '2014-11-01T00:00:00.000Z'],
    ['lt', false, '2014-11-01T00:00:00.000Z'],
    ['lte', true, '2014-11-30T23:59:59.999Z'],
  ])('rounds for %s as OpenSearch', (_op, roundUp, expected) => {
    expect(math('2014-11-18||/M', { roundUp })).toBe(expected);
  });

  it('rounds up every unit to its last millisecond', () => {
    expect(math('now/d', { roundUp: true })).toBe('2001-01-01T23:59:59.999Z');
    expect(math('now/w', { roundUp: true })).toBe('2001-01-07T23:59:59.999Z');
    expect(math('now/y', { roundUp: true })).toBe('2001-12-31T23:59:59.999Z');
    expect(math('now/h', { roundUp: true })).toBe('2001-01-01T12:59:59.999Z');
    expect(math('now/m', { roundUp: true })).toBe('2001-01-01T12:00:59.999Z');
    expect(math('now/s', { roundUp: true })).toBe('2001-01-01T12:00:00.999Z');
    expect(math('2024-02-10||/M', { roundUp: true })).toBe('2024-02-29T23:59:59.999Z');
  });

  it('rounds up plain dates with missing fields (lte on a date)', () => {
    expect(math('2024-01-15', { roundUp: true })).toBe('2024-01-15T23:59:59.999Z');
    expect(math('2024-01-15', { roundUp: false })).toBe('2024-01-15T00:00:00.000Z');
    // The date before || is never rounded up.
    expect(math('2024-01-15||+1d', { roundUp: true })).toBe('2024-01-16T00:00:00.000Z');
  });

  it('applies the time zone to rounding and to zone-less dates, not to now itself', () => {
    expect(math('now', { timeZone: '+01:00' })).toBe('2001-01-01T12:00:00.000Z');
    expect(math('now/d', { timeZone: '+01:00' })).toBe('2000-12-31T23:00:00.000Z');
    expect(math('now/d', { timeZone: 'America/New_York' })).toBe('2001-01-01T05:00:00.000Z');
    expect(math('2020-01-01T00:00:00', { timeZone: '+01:00' })).toBe('2019-12-31T23:00:00.000Z');
    expect(math('2020-01-01T00:00:00Z', { timeZone: '+01:00' })).toBe('2020-01-01T00:00:00.000Z');
    expect(math('2020-01-01||/d', { timeZone: 'Europe/Paris', roundUp: true })).toBe('2020-01-01T22:59:59.999Z');
  });

  it('handles DST in rounding and day arithmetic', () => {
    const paris = { timeZone: 'Europe/Paris' };
    // 2024-03-31 has 23 hours in Paris; 2024-10-27 has 25.
    expect(math('2024-03-31T12:00:00||/d', paris)).toBe('2024-03-30T23:00:00.000Z');
    expect(math('2024-03-31T12:00:00||/d', { ...paris, roundUp: true })).toBe('2024-03-31T21:59:59.999Z');
    expect(math('2024-10-27T12:00:00||/d', { ...paris, roundUp: true })).toBe('2024-10-27T22:59:59.999Z');
    expect(math('2024-03-30T12:00:00||+1d', paris)).toBe('2024-03-31T10:00:00.000Z');
    expect(math('2024-03-30T12:00:00||+24h', paris)).toBe('2024-03-31T11:00:00.000Z');
  });

  it.each([
    ['now*1d', 'operator not supported for date math [*1d]'],
    ['now-', 'truncated date math [-]'],
    ['now-1', 'truncated date math [-1]'],
    ['now/2d', 'rounding `/` can only be used on single unit types [/2d]'],
    ['now-1x', 'unit [x] not supported for date math [-1x]'],
    ['nowish', 'operator not supported for date math [ish]'],
  ])('rejects %s', (expr, reason) => {
    const e = mathError(expr);
    expect(e.reason).toBe(reason);
    expect(e.type).toBe('parse_exception');
  });

  it('wraps date parse failures as OpenSearch does', () => {
    const e = mathError('2024-13-45||+1d');
    expect(e.type).toBe('parse_exception');
    expect(e.reason).toBe(
      'failed to parse date field [2024-13-45] with format [strict_date_optional_time||epoch_millis]: [failed to parse date field [2024-13-45] with format [strict_date_optional_time||epoch_millis]]',
    );
    expect(mathError('||+1d').reason).toBe('cannot parse empty date');
  });
});
