import { describe, expect, it } from 'vitest';
import { nextRunTime, parseSchedule, periodOf } from './schedule.ts';

describe('schedule', () => {
  it('interval schedules are anchored at enabled_time', () => {
    const s = parseSchedule({ period: { interval: 5, unit: 'MINUTES' } });
    const anchor = Date.UTC(2024, 0, 1, 0, 0, 7);
    expect(nextRunTime(s, anchor, anchor)).toBe(anchor + 5 * 60_000);
    expect(nextRunTime(s, anchor + 5 * 60_000, anchor)).toBe(anchor + 10 * 60_000);
    expect(nextRunTime(s, anchor + 12 * 60_000, anchor)).toBe(anchor + 15 * 60_000);
    expect(periodOf(s, anchor + 15 * 60_000)).toEqual({ start: anchor + 10 * 60_000, end: anchor + 15 * 60_000 });
  });

  it('cron runs in its time zone, across a DST change', () => {
    const s = parseSchedule({ cron: { expression: '0 9 * * 1-5', timezone: 'America/Los_Angeles' } });
    // Friday 2024-03-08 10:00 PST → next run Monday 2024-03-11 09:00 PDT (DST began on the 10th) = 16:00Z.
    const fri = Date.UTC(2024, 2, 8, 18, 0);
    expect(new Date(nextRunTime(s, fri)).toISOString()).toBe('2024-03-11T16:00:00.000Z');
    // Thursday 2024-03-07 08:00 PST → same day 09:00 PST = 17:00Z.
    expect(new Date(nextRunTime(s, Date.UTC(2024, 2, 7, 16, 0))).toISOString()).toBe('2024-03-07T17:00:00.000Z');
    const run = Date.parse('2024-03-11T16:00:00.000Z');
    expect(new Date(periodOf(s, run).start).toISOString()).toBe('2024-03-08T17:00:00.000Z');
  });

  it('rejects bad schedules', () => {
    expect(() => parseSchedule({ period: { interval: 0, unit: 'MINUTES' } })).toThrow(/interval/);
    expect(() => parseSchedule({ period: { interval: 1, unit: 'WEEKS' } })).toThrow(/unit/);
    expect(() => parseSchedule({ cron: { expression: '0 9 * *', timezone: 'UTC' } })).toThrow(/5 fields/);
    expect(() => parseSchedule({ cron: { expression: '0 9 * * *', timezone: 'Nowhere/City' } })).toThrow(/invalid cron/);
    expect(() => parseSchedule({})).toThrow(/period or cron/);
  });
});
