import { describe, expect, it } from 'vitest';
import { MonitorScheduler, type Clock } from './monitor-scheduler.ts';
import { parseSchedule } from './schedule.ts';

/** A fake clock: timers fire only when the test advances time. */
class FakeClock implements Clock {
  t: number;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private seq = 0;
  constructor(start: number) {
    this.t = start;
  }
  now() {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number) {
    const id = ++this.seq;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  }
  clearTimeout(h: unknown) {
    this.timers = this.timers.filter((x) => x.id !== h);
  }
  /** Advances to `until`, firing due timers in order and letting async runs settle. */
  async advanceTo(until: number) {
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > until) break;
      this.timers.shift();
      this.t = Math.max(this.t, next.at);
      next.fn();
      for (let i = 0; i < 5; i++) await Promise.resolve();
      await new Promise((r) => setImmediate(r));
    }
    this.t = until;
  }
}

describe('MonitorScheduler', () => {
  it('runs a cron monitor at its time-zone run times on a fake clock', async () => {
    const start = Date.parse('2024-03-07T12:00:00Z');
    const clock = new FakeClock(start);
    const sched = new MonitorScheduler(clock);
    const runs: string[] = [];
    sched.schedule('m', parseSchedule({ cron: { expression: '30 9 * * *', timezone: 'Europe/Paris' } }), start, async (t) => {
      runs.push(new Date(t).toISOString());
    });
    await clock.advanceTo(Date.parse('2024-04-02T00:00:00Z'));
    // 09:30 Paris = 08:30Z in winter (CET), 07:30Z after the 2024-03-31 switch to CEST.
    expect(runs[0]).toBe('2024-03-08T08:30:00.000Z');
    expect(runs).toContain('2024-03-30T08:30:00.000Z');
    expect(runs).toContain('2024-03-31T07:30:00.000Z');
    expect(runs.at(-1)).toBe('2024-04-01T07:30:00.000Z');
    expect(runs).toHaveLength(25);
    sched.stop();
  });

  it('runs interval monitors on cadence, and a slow run does not stack runs', async () => {
    const start = 1_000_000;
    const clock = new FakeClock(start);
    const sched = new MonitorScheduler(clock);
    const runs: number[] = [];
    sched.schedule('m', parseSchedule({ period: { interval: 1, unit: 'MINUTES' } }), start, async (t) => {
      runs.push(t);
    });
    await clock.advanceTo(start + 3 * 60_000);
    expect(runs).toEqual([start + 60_000, start + 120_000, start + 180_000]);
    expect(sched.nextRun('m')).toBe(start + 240_000);
    sched.unschedule('m');
    await clock.advanceTo(start + 10 * 60_000);
    expect(runs).toHaveLength(3);
  });
});
