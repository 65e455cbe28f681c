import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addCalendarUnits, type CalendarUnit, roundDownToCalendarUnit } from './calendar.ts';

const iso = (ms: number): string => new Date(ms).toISOString();
const T = Date.UTC(2024, 7, 14, 15, 37, 42, 123); // Wednesday 2024-08-14

describe('roundDownToCalendarUnit', () => {
  it.each([
    ['second', '2024-08-14T15:37:42.000Z'],
    ['minute', '2024-08-14T15:37:00.000Z'],
    ['hour', '2024-08-14T15:00:00.000Z'],
    ['day', '2024-08-14T00:00:00.000Z'],
    ['week', '2024-08-12T00:00:00.000Z'],
    ['month', '2024-08-01T00:00:00.000Z'],
    ['quarter', '2024-07-01T00:00:00.000Z'],
    ['year', '2024-01-01T00:00:00.000Z'],
  ] as Array<[CalendarUnit, string]>)('rounds to the %s in UTC (weeks start on Monday)', (unit, expected) => {
    expect(iso(roundDownToCalendarUnit(T, unit))).toBe(expected);
  });

  it('rounds in fixed-offset and region zones', () => {
    expect(iso(roundDownToCalendarUnit(T, 'day', '+05:30'))).toBe('2024-08-13T18:30:00.000Z');
    expect(iso(roundDownToCalendarUnit(T, 'hour', '+05:30'))).toBe('2024-08-14T15:30:00.000Z');
    expect(iso(roundDownToCalendarUnit(T, 'day', 'America/Los_Angeles'))).toBe('2024-08-14T07:00:00.000Z');
    expect(iso(roundDownToCalendarUnit(T, 'month', 'Asia/Tokyo'))).toBe('2024-07-31T15:00:00.000Z');
    expect(iso(roundDownToCalendarUnit(Date.UTC(2024, 0, 1, 3), 'year', 'America/New_York'))).toBe('2023-01-01T05:00:00.000Z');
  });

  it('keeps the two 02:00 hours of a fall-back night apart', () => {
    // Europe/Paris 2024-10-27: 02:00-03:00 happens twice (00:00Z-01:00Z CEST, 01:00Z-02:00Z CET).
    expect(iso(roundDownToCalendarUnit(Date.UTC(2024, 9, 27, 0, 30), 'hour', 'Europe/Paris'))).toBe('2024-10-27T00:00:00.000Z');
    expect(iso(roundDownToCalendarUnit(Date.UTC(2024, 9, 27, 1, 30), 'hour', 'Europe/Paris'))).toBe('2024-10-27T01:00:00.000Z');
    expect(iso(roundDownToCalendarUnit(Date.UTC(2024, 9, 27, 1, 30), 'day', 'Europe/Paris'))).toBe('2024-10-26T22:00:00.000Z');
  });

  it('starts days that begin in a DST gap at the end of the gap', () => {
    // America/Havana skips midnight: 2024-03-10 00:00 → 01:00.
    expect(iso(roundDownToCalendarUnit(Date.UTC(2024, 2, 10, 12), 'day', 'America/Havana'))).toBe('2024-03-10T05:00:00.000Z');
  });

  it('is idempotent and never later than its input', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -2e12, max: 4e12 }),
        fc.constantFrom<CalendarUnit>('minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'),
        fc.constantFrom(undefined, '-03:00', 'Europe/Paris', 'America/New_York', 'Asia/Kathmandu'),
        (ms, unit, zone) => {
          const r = roundDownToCalendarUnit(ms, unit, zone);
          expect(r).toBeLessThanOrEqual(ms);
          expect(roundDownToCalendarUnit(r, unit, zone)).toBe(r);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('addCalendarUnits', () => {
  it('adds and subtracts calendar units', () => {
    expect(iso(addCalendarUnits(T, 'minute', 30))).toBe('2024-08-14T16:07:42.123Z');
    expect(iso(addCalendarUnits(T, 'day', -14))).toBe('2024-07-31T15:37:42.123Z');
    expect(iso(addCalendarUnits(T, 'week', 1))).toBe('2024-08-21T15:37:42.123Z');
    expect(iso(addCalendarUnits(T, 'quarter', 2))).toBe('2025-02-14T15:37:42.123Z');
    expect(iso(addCalendarUnits(T, 'year', -24))).toBe('2000-08-14T15:37:42.123Z');
  });

  it('clamps month ends like java.time', () => {
    expect(iso(addCalendarUnits(Date.UTC(2024, 0, 31), 'month', 1))).toBe('2024-02-29T00:00:00.000Z');
    expect(iso(addCalendarUnits(Date.UTC(2023, 0, 31), 'month', 1))).toBe('2023-02-28T00:00:00.000Z');
    expect(iso(addCalendarUnits(Date.UTC(2024, 2, 31), 'month', -1))).toBe('2024-02-29T00:00:00.000Z');
    expect(iso(addCalendarUnits(Date.UTC(2024, 1, 29), 'year', 1))).toBe('2025-02-28T00:00:00.000Z');
  });

  it('keeps the wall clock across DST for days, not for hours', () => {
    const start = Date.UTC(2024, 2, 30, 23); // 2024-03-31 00:00 in Paris (CET)
    expect(iso(addCalendarUnits(start, 'day', 1, 'Europe/Paris'))).toBe('2024-03-31T22:00:00.000Z');
    expect(iso(addCalendarUnits(start, 'hour', 24, 'Europe/Paris'))).toBe('2024-03-31T23:00:00.000Z');
    expect(iso(addCalendarUnits(Date.UTC(2024, 9, 26, 22), 'day', 1, 'Europe/Paris'))).toBe('2024-10-27T23:00:00.000Z');
  });

  it('steps through daily buckets of a DST year without drift', () => {
    let t = roundDownToCalendarUnit(Date.UTC(2024, 0, 1), 'day', 'Europe/Paris');
    for (let i = 0; i < 366; i++) {
      const next = addCalendarUnits(t, 'day', 1, 'Europe/Paris');
      expect(roundDownToCalendarUnit(next, 'day', 'Europe/Paris')).toBe(next);
      expect([23, 24, 25]).toContain((next - t) / 3_600_000);
      t = next;
    }
  });
});
