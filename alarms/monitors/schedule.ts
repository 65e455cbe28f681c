// Monitor schedules as Alerting writes them: `{"period":{"interval":1,"unit":"MINUTES"}}` or
// `{"cron":{"expression":"0 9 * * 1-5","timezone":"Europe/Paris"}}` (5-field cron in a Java/IANA zone,
// via cron-parser). Pure functions of time, so the scheduler can run on a fake clock.

import { CronExpressionParser } from 'cron-parser';
import { illegalArgument } from '../../index/errors.ts';

export type Schedule =
  | { period: { interval: number; unit: 'SECONDS' | 'MINUTES' | 'HOURS' | 'DAYS' } }
  | { cron: { expression: string; timezone: string } };

const UNIT_MS: Record<string, number> = { SECONDS: 1000, MINUTES: 60_000, HOURS: 3_600_000, DAYS: 86_400_000 };

export function parseSchedule(raw: unknown): Schedule {
  if (!raw || typeof raw !== 'object') throw illegalArgument('schedule is required');
  const s = raw as Record<string, Record<string, unknown> | undefined>;
  if (s.period) {
    const { interval, unit } = s.period;
    const u = String(unit ?? 'MINUTES').toUpperCase();
    if (!(u in UNIT_MS)) throw illegalArgument(`schedule.period.unit [${String(unit)}] must be one of SECONDS, MINUTES, HOURS, DAYS`);
    if (typeof interval !== 'number' || !Number.isInteger(interval) || interval < 1) throw illegalArgument('schedule.period.interval must be a positive integer');
    return { period: { interval, unit: u as 'MINUTES' } };
  }
  if (s.cron) {
    const { expression, timezone } = s.cron;
    if (typeof expression !== 'string') throw illegalArgument('schedule.cron.expression is required');
    const tz = typeof timezone === 'string' ? timezone : 'UTC';
    if (expression.trim().split(/\s+/).length !== 5) throw illegalArgument(`schedule.cron.expression [${expression}] must have 5 fields (minute hour day-of-month month day-of-week)`);
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      CronExpressionParser.parse(expression, { tz });
    } catch (err) {
      throw illegalArgument(`invalid cron schedule [${expression}] in [${tz}]: ${(err as Error).message}`);
    }
    return { cron: { expression, timezone: tz } };
  }
  throw illegalArgument('schedule needs period or cron');
}

/** The interval of a period schedule in ms (undefined for cron). */
export function intervalMs(s: Schedule): number | undefined {
  return 'period' in s ? s.period.interval * UNIT_MS[s.period.unit] : undefined;
}

/**
 * The first run time strictly after `after`. Interval schedules are anchored at `anchor` (the
 * monitor's enabled_time) so runs keep their cadence across restarts.
 */
export function nextRunTime(s: Schedule, after: number, anchor = 0): number {
  if ('period' in s) {
    const ms = intervalMs(s)!;
    const k = Math.floor((after - anchor) / ms) + 1;
    return anchor + Math.max(1, k) * ms;
  }
  const it = CronExpressionParser.parse(s.cron.expression, { tz: s.cron.timezone, currentDate: new Date(after) });
  return it.next().getTime();
}

/** The period a run at `runTime` covers: [previous run time, runTime]. */
export function periodOf(s: Schedule, runTime: number): { start: number; end: number } {
  if ('period' in s) return { start: runTime - intervalMs(s)!, end: runTime };
  const it = CronExpressionParser.parse(s.cron.expression, { tz: s.cron.timezone, currentDate: new Date(runTime) });
  return { start: it.prev().getTime(), end: runTime };
}
