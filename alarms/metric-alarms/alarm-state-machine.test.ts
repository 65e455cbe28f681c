import { describe, expect, it } from 'vitest';
import { actionsForTransition } from './alarm-actions.ts';
import { antiFlapDeadline, applyEvaluation, applyManualState, initialStatus } from './alarm-state-machine.ts';
import { alarmArn, type AlarmBehaviour, type AlarmConfig, type AlarmStatus, type StateValue } from './alarm-types.ts';
import { evaluateDatapoints, type Evaluation } from './datapoint-evaluation.ts';

/** A fake clock: minutes since an arbitrary epoch. */
const T0 = Date.UTC(2024, 0, 1);
const min = (n: number) => T0 + n * 60_000;
const plain: AlarmBehaviour = { pendingMs: 0, cooldownMs: 0, notifyNoData: false };

function ev(state: StateValue | 'keep'): Evaluation {
  return state === 'keep' ? { state, reason: 'ignored' } : { state, reason: `reason ${state}`, reasonData: '{}' };
}

/** Feeds one evaluation per minute and returns the state after each. */
function run(states: Array<StateValue | 'keep'>, behaviour: AlarmBehaviour, start: AlarmStatus = initialStatus(T0)): { values: StateValue[]; transitions: number } {
  let status = start;
  const values: StateValue[] = [];
  let transitions = 0;
  states.forEach((s, i) => {
    const step = applyEvaluation(status, ev(s), min(i + 1), behaviour);
    status = step.status;
    if (step.transition) transitions++;
    values.push(status.value);
  });
  return { values, transitions };
}

describe('applyEvaluation', () => {
  it('starts INSUFFICIENT_DATA with AWS reason', () => {
    expect(initialStatus(T0)).toMatchObject({ value: 'INSUFFICIENT_DATA', reason: 'Unchecked: Initial alarm creation' });
  });

  it('transitions on a different state, carrying the reason, and records both timestamps', () => {
    const step = applyEvaluation(initialStatus(T0), ev('ALARM'), min(1), plain);
    expect(step.transition).toEqual({ from: 'INSUFFICIENT_DATA', to: 'ALARM', reason: 'reason ALARM', reasonData: '{}', time: min(1) });
    expect(step.status).toMatchObject({ value: 'ALARM', updatedAt: min(1), transitionedAt: min(1) });
  });

  it('does nothing when the state is unchanged or the evaluation says keep', () => {
    const alarm = applyEvaluation(initialStatus(T0), ev('ALARM'), min(1), plain).status;
    expect(applyEvaluation(alarm, ev('ALARM'), min(2), plain)).toEqual({ status: alarm, changed: false });
    expect(applyEvaluation(alarm, ev('keep'), min(2), plain)).toEqual({ status: alarm, changed: false });
  });

  it('follows a flapping series without anti-flap options (one transition per change)', () => {
    const r = run(['ALARM', 'OK', 'ALARM', 'OK', 'ALARM', 'OK'], plain);
    expect(r.values).toEqual(['ALARM', 'OK', 'ALARM', 'OK', 'ALARM', 'OK']);
    expect(r.transitions).toBe(6);
  });

  it('pending: a breach must persist pendingMs before ALARM', () => {
    const b = { ...plain, pendingMs: 3 * 60_000 };
    // Breaching from minute 1: ALARM at minute 4 (3 minutes later), not before.
    expect(run(['ALARM', 'ALARM', 'ALARM', 'ALARM'], b).values).toEqual(['INSUFFICIENT_DATA', 'INSUFFICIENT_DATA', 'INSUFFICIENT_DATA', 'ALARM']);
  });

  it('pending: a flapping series never reaches ALARM and an OK in between restarts the clock', () => {
    const b = { ...plain, pendingMs: 2 * 60_000 };
    const r = run(['ALARM', 'OK', 'ALARM', 'OK', 'ALARM', 'OK', 'ALARM', 'ALARM', 'ALARM'], b);
    expect(r.values).toEqual(['INSUFFICIENT_DATA', 'OK', 'OK', 'OK', 'OK', 'OK', 'OK', 'OK', 'ALARM']);
    expect(r.transitions).toBe(2);
  });

  it('cooldown: must be OK for cooldownMs before resolving, and a breach meanwhile keeps the ALARM without a new trigger', () => {
    const b = { ...plain, cooldownMs: 2 * 60_000 };
    const r = run(['ALARM', 'OK', 'ALARM', 'OK', 'OK', 'OK'], b);
    expect(r.values).toEqual(['ALARM', 'ALARM', 'ALARM', 'ALARM', 'ALARM', 'OK']);
    expect(r.transitions).toBe(2);
  });

  it('cooldown does not delay leaving ALARM for INSUFFICIENT_DATA', () => {
    const b = { ...plain, cooldownMs: 10 * 60_000 };
    expect(run(['ALARM', 'INSUFFICIENT_DATA'], b).values).toEqual(['ALARM', 'INSUFFICIENT_DATA']);
  });

  it('exposes when an anti-flap timer expires so the scheduler can evaluate then', () => {
    const b = { ...plain, pendingMs: 90_000 };
    const step = applyEvaluation(initialStatus(T0), ev('ALARM'), min(1), b);
    expect(step.changed).toBe(true);
    expect(antiFlapDeadline(step.status, b)).toBe(min(1) + 90_000);
    expect(antiFlapDeadline(initialStatus(T0), b)).toBeUndefined();
  });

  it('no data: every datapoint missing goes to INSUFFICIENT_DATA (missing), keeps (ignore), ALARM (breaching)', () => {
    const none = [0, 1, 2, 3, 4].map((i) => ({ timestamp: min(i), value: null }));
    const ok = applyEvaluation(initialStatus(T0), ev('OK'), min(1), plain).status;
    const crit = { evaluationPeriods: 3, datapointsToAlarm: 3, threshold: 1, comparisonOperator: 'GreaterThanThreshold' as const, period: 60 };
    const at = (mode: 'missing' | 'ignore' | 'breaching') => applyEvaluation(ok, evaluateDatapoints(none, { ...crit, treatMissingData: mode }, ok.value, min(6)), min(6), plain).status.value;
    expect([at('missing'), at('ignore'), at('breaching')]).toEqual(['INSUFFICIENT_DATA', 'OK', 'ALARM']);
  });
});

describe('applyManualState (SetAlarmState)', () => {
  it('is a transition when the value differs, and the next evaluation restores the computed state', () => {
    const ok = applyEvaluation(initialStatus(T0), ev('OK'), min(1), plain).status;
    const set = applyManualState(ok, 'ALARM', 'testing', '{"a":1}', min(2));
    expect(set.transition).toMatchObject({ from: 'OK', to: 'ALARM', reason: 'testing' });
    expect(applyEvaluation(set.status, ev('OK'), min(3), plain).transition).toMatchObject({ from: 'ALARM', to: 'OK' });
  });
  it('only updates the reason when the value is the same', () => {
    const ok = applyEvaluation(initialStatus(T0), ev('OK'), min(1), plain).status;
    const set = applyManualState(ok, 'OK', 'again', undefined, min(2));
    expect(set.transition).toBeUndefined();
    expect(set.status).toMatchObject({ value: 'OK', reason: 'again', transitionedAt: min(1), updatedAt: min(2) });
  });
});

describe('actionsForTransition', () => {
  const topic = (id: string) => `arn:aws:sns:us-east-1:000000000000:${id}`;
  const config = (over: Partial<AlarmConfig> = {}): AlarmConfig => ({
    AlarmName: 'a',
    AlarmArn: alarmArn('a'),
    ActionsEnabled: true,
    OKActions: [topic('ok-chan')],
    AlarmActions: [topic('pager')],
    InsufficientDataActions: [],
    Period: 60,
    EvaluationPeriods: 1,
    Threshold: 1,
    ComparisonOperator: 'GreaterThanThreshold',
    TreatMissingData: 'missing',
    Tags: [],
    AlarmConfigurationUpdatedTimestamp: T0,
    ...over,
  });
  const t = (from: StateValue, to: StateValue) => ({ from, to, reason: 'r', time: min(1) });
  const status = (value: StateValue, incidentOpen = false): AlarmStatus => ({ ...initialStatus(T0), value, incidentOpen });

  it('triggers on →ALARM with the channel named by the topic, and opens an incident', () => {
    const r = actionsForTransition(config(), status('OK'), t('OK', 'ALARM'));
    expect(r.actions).toEqual([{ arn: topic('pager'), channelId: 'pager', kind: 'trigger', idempotencyKey: `${alarmArn('a')}:ALARM:${min(1)}:${topic('pager')}`, from: 'OK', time: min(1) }]);
    expect(r.incidentOpen).toBe(true);
  });
  it('resolves on ALARM→OK, and on →OK after ALARM→INSUFFICIENT_DATA, but not on a first OK', () => {
    expect(actionsForTransition(config(), status('ALARM', true), t('ALARM', 'OK')).actions.map((a) => a.kind)).toEqual(['resolve']);
    expect(actionsForTransition(config(), status('INSUFFICIENT_DATA', true), t('INSUFFICIENT_DATA', 'OK')).actions.map((a) => a.kind)).toEqual(['resolve']);
    expect(actionsForTransition(config(), status('INSUFFICIENT_DATA'), t('INSUFFICIENT_DATA', 'OK')).actions).toEqual([]);
  });
  it('sends no_data on →INSUFFICIENT_DATA only when configured', () => {
    expect(actionsForTransition(config(), status('OK'), t('OK', 'INSUFFICIENT_DATA')).actions).toEqual([]);
    const tagged = config({ Tags: [{ Key: 'lookout:notify-no-data', Value: 'true' }] });
    expect(actionsForTransition(tagged, status('OK'), t('OK', 'INSUFFICIENT_DATA')).actions.map((a) => [a.kind, a.channelId])).toEqual([['no_data', 'pager']]);
    const listed = config({ InsufficientDataActions: [topic('nodata')] });
    expect(actionsForTransition(listed, status('OK'), t('OK', 'INSUFFICIENT_DATA')).actions.map((a) => a.channelId)).toEqual(['nodata']);
  });
  it('sends nothing when actions are disabled', () => {
    expect(actionsForTransition(config({ ActionsEnabled: false }), status('OK'), t('OK', 'ALARM')).actions).toEqual([]);
  });
});
