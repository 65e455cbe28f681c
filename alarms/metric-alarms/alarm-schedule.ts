// When an alarm is evaluated next: every period for high-resolution alarms (period < 60 s), every
// minute otherwise, at period boundaries plus a small lag for late data — and also when an anti-flap
// timer (pending/cooldown) expires, so the transition it holds back happens on time.

import { antiFlapDeadline } from './alarm-state-machine.ts';
import { alarmBehaviour, type AlarmConfig, type AlarmStatus } from './alarm-types.ts';

/** How often an alarm is evaluated (ms). */
export function evaluationIntervalMs(period: number): number {
  return period < 60 ? period * 1000 : 60_000;
}

/** The first evaluation time after `now`: the next interval boundary + lag, or an earlier anti-flap deadline. */
export function nextDueTime(config: AlarmConfig, status: AlarmStatus, now: number, lagMs: number): number {
  const step = evaluationIntervalMs(config.Period);
  const due = (Math.floor((now - lagMs) / step) + 1) * step + lagMs;
  const deadline = antiFlapDeadline(status, alarmBehaviour(config.Tags));
  return deadline !== undefined && deadline > now && deadline < due ? deadline : due;
}
