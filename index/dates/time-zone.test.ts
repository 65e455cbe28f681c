import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { civilFromDays, daysFromCivil, fieldsOf, isoWeekOf, plusMonths } from './civil.ts';
import { InvalidTimeZoneError, localToUtc, resolveTimeZone } from './time-zone.ts';

const H = 3_600_000;

describe('resolveTimeZone', () => {
  it.each([
    ['Z', 'Z', 0],
    ['+01:00', '+01:00', H],
    ['+1', '+01:00', H],
    ['-0530', '-05:30', -5.5 * H],
    ['+05:45:30', '+05:45:30', 5.75 * H + 30_000],
    ['+00:00', 'Z', 0],
    ['UTC', 'UTC', 0],
    ['GMT', 'GMT', 0],
    ['UTC+02:00', 'UTC+02:00', 2 * H],
    ['GMT-3', 'GMT-03:00', -3 * H],
  ])('resolves %s as a fixed offset', (id, canonical, offset) => {
    const z = resolveTimeZone(id);
    expect(z.id).toBe(canonical);
    expect(z.fixedOffset).toBe(offset);
  });

  it('resolves IANA regions with DST', () => {
    const paris = resolveTimeZone('Europe/Paris');
    expect(paris.fixedOffset).toBeUndefined();
    expect(paris.offsetAt(Date.UTC(2024, 0, 15))).toBe(H);
    expect(paris.offsetAt(Date.UTC(2024, 6, 15))).toBe(2 * H);
    expect(paris.offsetAt(Date.UTC(2024, 2, 31, 0, 59, 59, 999))).toBe(H);
    expect(paris.offsetAt(Date.UTC(2024, 2, 31, 1))).toBe(2 * H);
    expect(resolveTimeZone('Asia/Kathmandu').offsetAt(Date.UTC(2024, 0, 1))).toBe(5.75 * H);
    expect(resolveTimeZone('America/St_Johns').offsetAt(Date.UTC(2024, 0, 1))).toBe(-3.5 * H);
  });

  it.each(['Mars/Olympus', '+19:00', 'UTC+25', '', '+1:30'])('rejects %j', (id) => {
    expect(() => resolveTimeZone(id)).toThrow(InvalidTimeZoneError);
  });

  it('defaults to UTC', () => {
    expect(resolveTimeZone(undefined).id).toBe('Z');
  });
});

describe('localToUtc', () => {
  const ny = resolveTimeZone('America/New_York');
  const local = (y: number, m: number, d: number, h: number, mi = 0): number => Date.UTC(y, m - 1, d, h, mi);

  it('maps ordinary local times', () => {
    expect(localToUtc(local(2024, 1, 15, 10), ny)).toBe(Date.UTC(2024, 0, 15, 15));
    expect(localToUtc(local(2024, 7, 15, 10), ny)).toBe(Date.UTC(2024, 6, 15, 14));
  });

  it('moves gap times forward by the gap length', () => {
    expect(localToUtc(local(2024, 3, 10, 2, 30), ny)).toBe(Date.UTC(2024, 2, 10, 7, 30));
  });

  it('takes the earlier offset in an overlap unless another is preferred', () => {
    expect(localToUtc(local(2024, 11, 3, 1, 30), ny)).toBe(Date.UTC(2024, 10, 3, 5, 30));
    expect(localToUtc(local(2024, 11, 3, 1, 30), ny, -5 * H)).toBe(Date.UTC(2024, 10, 3, 6, 30));
  });
});

describe('civil calendar', () => {
  it('agrees with Date for every day in ±10000 years', () => {
    fc.assert(
      fc.property(fc.integer({ min: -4_000_000, max: 3_000_000 }), (day) => {
        const d = new Date(day * 86_400_000);
        expect(civilFromDays(day)).toEqual([d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()]);
        const [y, m, dd] = civilFromDays(day);
        expect(daysFromCivil(y, m, dd)).toBe(day);
      }),
    );
  });

  it('computes ISO weeks, week days and day of year', () => {
    expect(isoWeekOf(daysFromCivil(2021, 1, 3))).toEqual({ weekYear: 2020, week: 53 });
    expect(isoWeekOf(daysFromCivil(2024, 12, 30))).toEqual({ weekYear: 2025, week: 1 });
    const f = fieldsOf(Date.UTC(2024, 11, 31, 23, 59, 59, 999));
    expect([f.dayOfWeek, f.dayOfYear, f.hour, f.millis]).toEqual([2, 366, 23, 999]);
    expect(plusMonths(2024, 1, 31, 13)).toEqual([2025, 2, 28]);
    expect(plusMonths(2024, 3, 15, -15)).toEqual([2022, 12, 15]);
  });
});
