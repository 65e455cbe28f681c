// The data of a CloudWatch metric alarm as Lookout keeps it: the configuration PutMetricAlarm stored
// (echoed by DescribeAlarms), the evaluated state, and history items. Plain JSON so the alarm store can
// journal it as is. Everything here is shared by the evaluator, the state machine, the store and the API.

import { awsArn } from '../../ingest/aws/aws-arn.ts';

/** CloudWatch's alarm states. */
export type StateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
export const STATE_VALUES: readonly StateValue[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];

export type ComparisonOperator = 'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';
export const COMPARISON_OPERATORS: readonly ComparisonOperator[] = ['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'];

export type TreatMissingData = 'missing' | 'notBreaching' | 'breaching' | 'ignore';
export const TREAT_MISSING_DATA: readonly TreatMissingData[] = ['missing', 'notBreaching', 'breaching', 'ignore'];

/** A dimension as the API carries it. */
export interface Dimension {
  Name: string;
  Value: string;
}

/** One element of a metric-math alarm's `Metrics` list, in the API's shape (echoed verbatim by DescribeAlarms). */
export interface AlarmMetricQuery {
  Id: string;
  MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions: Dimension[] }; Period: number; Stat: string; Unit?: string };
  Expression?: string;
  Label?: string;
  ReturnData?: boolean;
  Period?: number;
}

/** A metric alarm's configuration, member names as in PutMetricAlarm. */
export interface AlarmConfig {
  AlarmName: string;
  AlarmArn: string;
  AlarmDescription?: string;
  ActionsEnabled: boolean;
  OKActions: string[];
  AlarmActions: string[];
  InsufficientDataActions: string[];
  /** Single-metric alarms. */
  MetricName?: string;
  Namespace?: string;
  Statistic?: string;
  ExtendedStatistic?: string;
  Dimensions?: Dimension[];
  Unit?: string;
  /** Seconds; for metric-math alarms, the period of the returned query. */
  Period: number;
  /** Metric-math alarms. */
  Metrics?: AlarmMetricQuery[];
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  Threshold: number;
  ComparisonOperator: ComparisonOperator;
  TreatMissingData: TreatMissingData;
  EvaluateLowSampleCountPercentile?: 'evaluate' | 'ignore';
  Tags: Array<{ Key: string; Value: string }>;
  /** Epoch ms. */
  AlarmConfigurationUpdatedTimestamp: number;
}

/** A notification decided by a transition, kept until the notifier has accepted it (crash-safe resend). */
export interface PendingAction {
  arn: string;
  channelId: string | null;
  kind: 'trigger' | 'resolve' | 'no_data';
  idempotencyKey: string;
  /** The transition that decided it: previous state and time (epoch ms). */
  from: StateValue;
  time: number;
}

/** The evaluated state of an alarm, persisted on every change. */
export interface AlarmStatus {
  value: StateValue;
  reason: string;
  /** JSON text, as StateReasonData. */
  reasonData?: string;
  /** Epoch ms of the last change of value or reason (StateUpdatedTimestamp). */
  updatedAt: number;
  /** Epoch ms of the last change of value (StateTransitionedTimestamp). */
  transitionedAt: number;
  /** Anti-flap (`lookout:pending-seconds`): when the evaluation first asked for ALARM while not in ALARM. */
  breachSince?: number;
  /** Anti-flap (`lookout:cooldown-seconds`): when the evaluation first asked for OK while in ALARM. */
  okSince?: number;
  /** Whether a trigger was sent and no resolve yet: a resolve goes out on the next →OK. */
  incidentOpen?: boolean;
  /** Notifications decided by the last transition and not yet accepted by the notifier. */
  pendingActions?: PendingAction[];
}

export type HistoryItemType = 'ConfigurationUpdate' | 'StateUpdate' | 'Action';
export const HISTORY_ITEM_TYPES: readonly HistoryItemType[] = ['ConfigurationUpdate', 'StateUpdate', 'Action'];

/** One DescribeAlarmHistory item. */
export interface HistoryItem {
  AlarmName: string;
  AlarmType: 'MetricAlarm';
  /** Epoch ms. */
  Timestamp: number;
  HistoryItemType: HistoryItemType;
  HistorySummary: string;
  /** JSON text. */
  HistoryData: string;
}

/** The alarm's ARN (`AlarmArn`). */
export function alarmArn(name: string): string {
  return awsArn('cloudwatch', `alarm:${name}`);
}

/**
 * The notification channel an action ARN names: an SNS topic ARN whose topic name is the channel id
 * (`arn:aws:sns:us-east-1:000000000000:<channel-id>`). Null for any other kind of action.
 */
export function channelOfAction(arn: string): string | null {
  const m = /^arn:aws[a-z-]*:sns:[^:]*:[^:]*:([^:]+)$/.exec(arn);
  return m ? m[1] : null;
}

/** Lookout's anti-flap and notification options, read from the alarm's tags. */
export interface AlarmBehaviour {
  /** A breach must persist this long (ms) before the alarm goes to ALARM. */
  pendingMs: number;
  /** The alarm must evaluate OK this long (ms) before it resolves from ALARM. */
  cooldownMs: number;
  /** →INSUFFICIENT_DATA also notifies the AlarmActions channels (kind `no_data`). */
  notifyNoData: boolean;
}

export const TAG_PENDING = 'lookout:pending-seconds';
export const TAG_COOLDOWN = 'lookout:cooldown-seconds';
export const TAG_NOTIFY_NO_DATA = 'lookout:notify-no-data';

/** Reads the `lookout:*` tags (validated at PutMetricAlarm/TagResource, so parsing here cannot fail). */
export function alarmBehaviour(tags: Array<{ Key: string; Value: string }>): AlarmBehaviour {
  const tag = (k: string) => tags.find((t) => t.Key === k)?.Value;
  return {
    pendingMs: Number(tag(TAG_PENDING) ?? 0) * 1000 || 0,
    cooldownMs: Number(tag(TAG_COOLDOWN) ?? 0) * 1000 || 0,
    notifyNoData: tag(TAG_NOTIFY_NO_DATA) === 'true',
  };
}

/** M of "M out of N" (DatapointsToAlarm defaults to EvaluationPeriods). */
export function datapointsToAlarm(c: AlarmConfig): number {
  return c.DatapointsToAlarm ?? c.EvaluationPeriods;
}
