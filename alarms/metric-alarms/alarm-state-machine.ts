// The alarm state machine: a pure function of (previous status, evaluation, now) that applies an
// evaluation's decision, with Lookout's anti-flap options — a breach must persist `pendingMs` before
// ALARM, and an alarm must evaluate OK for `cooldownMs` before it resolves. Tested with a fake clock.

import type { AlarmBehaviour, AlarmStatus, StateValue } from './alarm-types.ts';
import type { Evaluation } from './datapoint-evaluation.ts';

/** A change of state value, with the reason the new state carries. */
export interface Transition {
  from: StateValue;
  to: StateValue;
  reason: string;
  reasonData?: string;
  /** Epoch ms. */
  time: number;
}

export interface Step {
  status: AlarmStatus;
  /** Set when the value changed. */
  transition?: Transition;
  /** Whether anything persisted changed (a transition, or an anti-flap timer started or cleared). */
  changed: boolean;
}

/** The status of a new alarm (AWS: INSUFFICIENT_DATA, "Unchecked: Initial alarm creation"). */
export function initialStatus(now: number): AlarmStatus {
  return { value: 'INSUFFICIENT_DATA', reason: 'Unchecked: Initial alarm creation', updatedAt: now, transitionedAt: now };
}

/** Applies one evaluation at `now`. */
export function applyEvaluation(prev: AlarmStatus, evaluation: Evaluation, now: number, behaviour: AlarmBehaviour): Step {
  if (evaluation.state === 'keep') return { status: prev, changed: false };
  const target = evaluation.state;
  if (target === prev.value) return settle(prev, undefined, undefined);
  if (target === 'ALARM' && behaviour.pendingMs > 0) {
    const since = prev.breachSince ?? now;
    if (now - since < behaviour.pendingMs) return settle(prev, since, undefined);
  }
  if (target === 'OK' && prev.value === 'ALARM' && behaviour.cooldownMs > 0) {
    const since = prev.okSince ?? now;
    if (now - since < behaviour.cooldownMs) return settle(prev, undefined, since);
  }
  return transition(prev, target, evaluation.reason, evaluation.reasonData, now);
}

/** SetAlarmState: the state is set as given; a different value is a transition (actions fire). */
export function applyManualState(prev: AlarmStatus, value: StateValue, reason: string, reasonData: string | undefined, now: number): Step {
  if (value === prev.value) {
    const status: AlarmStatus = { ...prev, reason, reasonData, updatedAt: now, breachSince: undefined, okSince: undefined };
    return { status, changed: true };
  }
  return transition(prev, value, reason, reasonData, now);
}

function transition(prev: AlarmStatus, to: StateValue, reason: string, reasonData: string | undefined, now: number): Step {
  const status: AlarmStatus = { value: to, reason, reasonData, updatedAt: now, transitionedAt: now, incidentOpen: prev.incidentOpen, pendingActions: prev.pendingActions };
  return { status, transition: { from: prev.value, to, reason, reasonData, time: now }, changed: true };
}

/** Stays in the same state, starting or clearing the anti-flap timers. */
function settle(prev: AlarmStatus, breachSince: number | undefined, okSince: number | undefined): Step {
  if (prev.breachSince === breachSince && prev.okSince === okSince) return { status: prev, changed: false };
  return { status: { ...prev, breachSince, okSince }, changed: true };
}

/** When the anti-flap timers of a status expire (epoch ms), so the scheduler can evaluate then. */
export function antiFlapDeadline(status: AlarmStatus, behaviour: AlarmBehaviour): number | undefined {
  if (status.breachSince !== undefined) return status.breachSince + behaviour.pendingMs;
  if (status.okSince !== undefined) return status.okSince + behaviour.cooldownMs;
  return undefined;
}
