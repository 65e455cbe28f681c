// Runs each enabled monitor at its schedule's run times. One timer per monitor; the next run time is
// computed from the previous scheduled time (no drift), and runs missed while the process was busy or
// down are not replayed one by one — the next run covers the time since. The clock is injectable so the
// scheduler is tested on a fake clock.

import { nextRunTime, type Schedule } from './schedule.ts';

/** Time and timers; `realClock` in production, a fake in tests. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** Node timers cannot wait longer than 2^31-1 ms; longer waits re-arm. */
const MAX_TIMER_MS = 2_147_483_647;

interface Job {
  schedule: Schedule;
  anchor: number;
  run: (runTime: number) => Promise<void>;
  handle?: unknown;
  nextAt: number;
  running?: Promise<void>;
}

/** Timers that run each scheduled monitor at its run times (one job per monitor id). */
export class MonitorScheduler {
  private readonly jobs = new Map<string, Job>();
  private stopped = false;

  constructor(private readonly clock: Clock = realClock) {}

  /** (Re)schedules a monitor. `anchor` (enabled_time) keeps an interval's cadence across restarts. */
  schedule(id: string, schedule: Schedule, anchor: number, run: (runTime: number) => Promise<void>): void {
    this.unschedule(id);
    const job: Job = { schedule, anchor, run, nextAt: nextRunTime(schedule, this.clock.now(), anchor) };
    this.jobs.set(id, job);
    this.arm(id, job);
  }

  unschedule(id: string): void {
    const job = this.jobs.get(id);
    if (job?.handle !== undefined) this.clock.clearTimeout(job.handle);
    this.jobs.delete(id);
  }

  /** The next scheduled run of a monitor (epoch ms), if scheduled. */
  nextRun(id: string): number | undefined {
    return this.jobs.get(id)?.nextAt;
  }

  stop(): void {
    this.stopped = true;
    for (const id of [...this.jobs.keys()]) this.unschedule(id);
  }

  /** Waits for running jobs (graceful shutdown, tests). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.jobs.values()].map((j) => j.running));
  }

  private arm(id: string, job: Job): void {
    if (this.stopped) return;
    const wait = Math.max(0, job.nextAt - this.clock.now());
    job.handle = this.clock.setTimeout(() => {
      if (this.jobs.get(id) !== job) return;
      if (job.nextAt > this.clock.now()) return this.arm(id, job); // a long wait was split
      const runTime = job.nextAt;
      job.running = job.run(runTime).catch(() => undefined).finally(() => {
        job.running = undefined;
        if (this.jobs.get(id) !== job) return;
        job.nextAt = nextRunTime(job.schedule, Math.max(runTime, this.clock.now()), job.anchor);
        this.arm(id, job);
      });
    }, Math.min(wait, MAX_TIMER_MS));
  }
}
