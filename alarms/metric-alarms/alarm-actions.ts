// Which notifications a transition sends: AWS fires the action list of the new state on every
// transition when ActionsEnabled (specs/aws.md §5.3); Lookout maps SNS-topic ARNs to notification
// channels and names the kind — trigger on →ALARM, resolve on →OK after an ALARM, no_data on
// →INSUFFICIENT_DATA when InsufficientDataActions or `lookout:notify-no-data` ask for it.

import type { AlertNotification } from '../notifications/notifier.ts';
import { alarmBehaviour, channelOfAction, type AlarmConfig, type AlarmStatus, type PendingAction } from './alarm-types.ts';
import type { Transition } from './alarm-state-machine.ts';

/** The notifications of one transition, and whether an incident is open afterwards. */
export function actionsForTransition(config: AlarmConfig, prev: AlarmStatus, t: Transition): { actions: PendingAction[]; incidentOpen: boolean } {
  const open = prev.incidentOpen === true;
  if (!config.ActionsEnabled) return { actions: [], incidentOpen: t.to === 'OK' ? false : open };
  let arns: string[] = [];
  let kind: PendingAction['kind'];
  let incidentOpen = open;
  switch (t.to) {
    case 'ALARM':
      kind = 'trigger';
      arns = config.AlarmActions;
      incidentOpen = arns.length > 0;
      break;
    case 'OK':
      kind = 'resolve';
      // A resolve closes an incident: after ALARM (or after an ALARM that went through INSUFFICIENT_DATA).
      if (t.from === 'ALARM' || open) arns = config.OKActions;
      incidentOpen = false;
      break;
    case 'INSUFFICIENT_DATA': {
      kind = 'no_data';
      const extra = alarmBehaviour(config.Tags).notifyNoData ? config.AlarmActions : [];
      arns = [...new Set([...config.InsufficientDataActions, ...extra])];
      break;
    }
    default: {
      const never: never = t.to;
      throw new Error(`unknown state ${String(never)}`);
    }
  }
  const actions = arns.map((arn) => ({ arn, channelId: channelOfAction(arn), kind, idempotencyKey: `${config.AlarmArn}:${t.to}:${t.time}:${arn}`, from: t.from, time: t.time }));
  return { actions, incidentOpen };
}

/** The notification handed to the Notifier for one action of a transition. */
export function notificationFor(config: AlarmConfig, status: AlarmStatus, action: PendingAction): AlertNotification {
  return {
    channelId: action.channelId!,
    kind: action.kind,
    source: 'metric_alarm',
    name: config.AlarmName,
    dedupKey: config.AlarmArn,
    idempotencyKey: action.idempotencyKey,
    // The state the transition went to (the alarm may have moved on when this is a re-send after a restart).
    state: action.kind === 'trigger' ? 'ALARM' : action.kind === 'resolve' ? 'OK' : 'INSUFFICIENT_DATA',
    previousState: action.from,
    reason: status.reason,
    time: action.time,
    severity: config.Tags.find((t) => t.Key === 'severity' || t.Key === 'lookout:severity')?.Value,
    link: `/_dashboards/app/alarms/${encodeURIComponent(config.AlarmName)}`,
    details: {
      AlarmArn: config.AlarmArn,
      AlarmDescription: config.AlarmDescription,
      StateReasonData: status.reasonData ? safeJson(status.reasonData) : undefined,
      Trigger: trigger(config),
    },
  };
}

/** The `Trigger` object of AWS's SNS alarm message. */
function trigger(c: AlarmConfig): Record<string, unknown> {
  return {
    MetricName: c.MetricName,
    Namespace: c.Namespace,
    StatisticType: c.ExtendedStatistic ? 'ExtendedStatistic' : 'Statistic',
    Statistic: c.Statistic?.toUpperCase(),
    ExtendedStatistic: c.ExtendedStatistic,
    Unit: c.Unit ?? null,
    Dimensions: (c.Dimensions ?? []).map((d) => ({ value: d.Value, name: d.Name })),
    Metrics: c.Metrics,
    Period: c.Period,
    EvaluationPeriods: c.EvaluationPeriods,
    DatapointsToAlarm: c.DatapointsToAlarm ?? c.EvaluationPeriods,
    ComparisonOperator: c.ComparisonOperator,
    Threshold: c.Threshold,
    TreatMissingData: c.TreatMissingData,
    EvaluateLowSampleCountPercentile: c.EvaluateLowSampleCountPercentile ?? '',
  };
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}
