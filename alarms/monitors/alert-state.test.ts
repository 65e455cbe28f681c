import { describe, expect, it } from 'vitest';
import { acknowledge, stepAlert, type Alert, type AlertSeed } from './alert-state.ts';
import type { TriggerLookout } from './monitor-model.ts';

const seed = (): AlertSeed => ({
  id: 'a1', schema_version: 5, monitor_id: 'm', monitor_name: 'm', monitor_version: 1, monitor_user: null,
  trigger_id: 't', trigger_name: 't', severity: '1', dedup_key: 'monitor:m:t',
});

/** Feeds verdicts one minute apart; returns the states and events. */
function run(verdicts: boolean[], cfg?: TriggerLookout): Array<[string | undefined, string | undefined]> {
  let alert: Alert | undefined;
  const out: Array<[string | undefined, string | undefined]> = [];
  verdicts.forEach((v, i) => {
    const r = stepAlert(alert, v, i * 60_000, cfg, seed);
    alert = r.alert && r.alert.state !== 'COMPLETED' ? r.alert : undefined;
    out.push([r.alert?.state, r.event]);
  });
  return out;
}

describe('alert state machine', () => {
  it('opens ACTIVE on the first breach and completes on the first clear (Alerting default)', () => {
    expect(run([false, true, true, false])).toEqual([[undefined, undefined], ['ACTIVE', 'new'], ['ACTIVE', 'deduped'], ['COMPLETED', 'completed']]);
  });

  it('pending_seconds: stays PENDING (no page) until the condition held long enough', () => {
    expect(run([true, true, true, false], { pending_seconds: 120 })).toEqual([['PENDING', undefined], ['PENDING', undefined], ['ACTIVE', 'new'], ['COMPLETED', 'completed']]);
    // A blip shorter than pending_seconds never pages.
    expect(run([true, false, true, false], { pending_seconds: 120 }).map((x) => x[1])).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('cooldown_seconds: a flapping condition does not resolve and re-page', () => {
    const r = run([true, false, true, false, false, false], { cooldown_seconds: 120 });
    expect(r.map((x) => x[1])).toEqual(['new', undefined, 'deduped', undefined, undefined, 'completed']);
  });

  it('M of N: fires at 2 of the last 3 breaches and recovers below it', () => {
    const r = run([true, false, true, true, false, false], { datapoints_to_alarm: 2, evaluation_periods: 3 });
    expect(r.map((x) => x[1])).toEqual([undefined, undefined, 'new', 'deduped', 'deduped', 'completed']);
    expect(r[0][0]).toBe('PENDING');
  });

  it('only ACTIVE alerts can be acknowledged; acknowledged alerts still complete', () => {
    const a = stepAlert(undefined, true, 0, undefined, seed).alert!;
    const acked = acknowledge(a, 10)!;
    expect(acked.state).toBe('ACKNOWLEDGED');
    expect(acknowledge(acked, 20)).toBeUndefined();
    expect(stepAlert(acked, true, 30, undefined, seed).alert!.state).toBe('ACKNOWLEDGED');
    expect(stepAlert(acked, false, 30, undefined, seed)).toMatchObject({ event: 'completed', alert: { state: 'COMPLETED', end_time: 30 } });
  });
});
