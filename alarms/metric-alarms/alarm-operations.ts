// The CloudWatch alarm operations on `POST /` (both wire protocols; the AWS router handles the wire):
// PutMetricAlarm, DescribeAlarms, DescribeAlarmsForMetric, DeleteAlarms, SetAlarmState,
// DescribeAlarmHistory, Enable/DisableAlarmActions and the alarm tagging operations. Each reads its
// input (alarm-input.ts), calls the MetricAlarmService and shapes AWS's output (specs/aws.md §5.1).

import { AwsError, cloudWatchErrors } from '../../ingest/aws/aws-error.ts';
import { optNumber, optString, optTimestamp, type AwsInput } from '../../ingest/aws/aws-input.ts';
import { CLOUDWATCH_TARGET, type AwsRouter } from '../../server/aws/aws-router.ts';
import { checkLength, checkRange, checkUnit, dimensions, list, parsePutMetricAlarm, reqString, stringList, tags, validationError } from './alarm-input.ts';
import type { StoredAlarm } from './alarm-store.ts';
import { HISTORY_ITEM_TYPES, STATE_VALUES, type HistoryItem, type StateValue } from './alarm-types.ts';
import type { MetricAlarmService } from './metric-alarm-service.ts';

const invalid = cloudWatchErrors.invalidParameterValue;

export interface AlarmOperationOptions {
  /** PutMetricAlarm refuses new alarms beyond this many (LimitExceeded). */
  maxAlarms?: number;
}

/** Registers the alarm operations on the CloudWatch service of the AWS router. */
export function registerAlarmOperations(router: AwsRouter, service: MetricAlarmService, opts: AlarmOperationOptions = {}): void {
  const maxAlarms = opts.maxAlarms ?? 100_000;
  router.addOperations(CLOUDWATCH_TARGET, {
    PutMetricAlarm: async (input) => {
      const config = parsePutMetricAlarm(input);
      if (!service.get(config.AlarmName) && service.store.alarms.size >= maxAlarms) {
        throw cloudWatchErrors.limitExceededFault(`The maximum number of metric alarms (${maxAlarms}) has been reached.`);
      }
      try {
        await service.validate(config);
      } catch (err) {
        if (!(err instanceof AwsError)) throw err;
        if (config.ExtendedStatistic) throw invalid(`The value ${config.ExtendedStatistic} for parameter ExtendedStatistic is not supported.`);
        throw invalid(`The metric math of alarm ${config.AlarmName} cannot be evaluated: ${err.message}`);
      }
      await service.put(config);
      return {};
    },

    DescribeAlarms: (input) => {
      const names = stringList(input, 'AlarmNames', 100);
      const prefix = optString(input, 'AlarmNamePrefix', invalid);
      checkLength('AlarmNamePrefix', prefix, 1, 255);
      if (names.length > 0 && prefix !== undefined) throw cloudWatchErrors.invalidParameterCombination('AlarmNames and AlarmNamePrefix cannot be specified together.');
      const state = stateValue(input, 'StateValue', false);
      const actionPrefix = optString(input, 'ActionPrefix', invalid);
      checkLength('ActionPrefix', actionPrefix, 1, 1024);
      const types = stringList(input, 'AlarmTypes', 3);
      for (const t of types) if (!['MetricAlarm', 'CompositeAlarm', 'LogAlarm'].includes(t)) throw validationError('AlarmTypes', t, 'Member must satisfy enum value set: [MetricAlarm, CompositeAlarm, LogAlarm]');
      const max = optNumber(input, 'MaxRecords', invalid) ?? 50;
      checkRange('MaxRecords', max, 1, 100);
      const after = pageToken(input);
      // Composite alarms do not exist here: relationships and composite-only type lists match nothing.
      const none = (types.length > 0 && !types.includes('MetricAlarm')) || input.ChildrenOfAlarmName !== undefined || input.ParentsOfAlarmName !== undefined;
      const nameSet = new Set(names);
      const matches = none
        ? []
        : [...service.store.alarms.values()]
            .filter(({ config: c, status: s }) => {
              if (nameSet.size > 0 && !nameSet.has(c.AlarmName)) return false;
              if (prefix !== undefined && !c.AlarmName.startsWith(prefix)) return false;
              if (state !== undefined && s.value !== state) return false;
              if (actionPrefix !== undefined && ![...c.AlarmActions, ...c.OKActions, ...c.InsufficientDataActions].some((a) => a.startsWith(actionPrefix))) return false;
              return after === undefined || c.AlarmName > after;
            })
            .sort((a, b) => (a.config.AlarmName < b.config.AlarmName ? -1 : 1));
      const page = matches.slice(0, max);
      const out: Record<string, unknown> = { MetricAlarms: page.map(renderAlarm), CompositeAlarms: [] };
      if (matches.length > max) out.NextToken = encodeToken({ after: page[page.length - 1].config.AlarmName });
      return out;
    },

    DescribeAlarmsForMetric: (input) => {
      const metricName = reqString(input, 'MetricName');
      const namespace = reqString(input, 'Namespace');
      const statistic = optString(input, 'Statistic', invalid);
      const extended = optString(input, 'ExtendedStatistic', invalid);
      const period = optNumber(input, 'Period', invalid);
      const unit = optString(input, 'Unit', invalid);
      checkUnit(unit);
      const dims = input.Dimensions === undefined || input.Dimensions === null ? undefined : dimensions(input);
      const sameDims = (d: Array<{ Name: string; Value: string }> | undefined) =>
        dims === undefined || ((d ?? []).length === dims.length && dims.every((x) => (d ?? []).some((y) => y.Name === x.Name && y.Value === x.Value)));
      const matches = [...service.store.alarms.values()].filter(({ config: c }) => {
        const stats = c.Metrics
          ? c.Metrics.filter((m) => m.MetricStat).map((m) => ({ name: m.MetricStat!.Metric.MetricName, ns: m.MetricStat!.Metric.Namespace, dims: m.MetricStat!.Metric.Dimensions, stat: m.MetricStat!.Stat, period: m.MetricStat!.Period, unit: m.MetricStat!.Unit }))
          : [{ name: c.MetricName, ns: c.Namespace, dims: c.Dimensions, stat: c.Statistic ?? c.ExtendedStatistic, period: c.Period, unit: c.Unit }];
        return stats.some(
          (s) =>
            s.name === metricName &&
            s.ns === namespace &&
            sameDims(s.dims) &&
            (statistic === undefined || s.stat === statistic) &&
            (extended === undefined || s.stat === extended) &&
            (period === undefined || s.period === period) &&
            (unit === undefined || s.unit === unit),
        );
      });
      return { MetricAlarms: matches.sort((a, b) => (a.config.AlarmName < b.config.AlarmName ? -1 : 1)).map(renderAlarm) };
    },

    DeleteAlarms: async (input) => {
      const names = alarmNames(input);
      await service.delete(names);
      return {};
    },

    SetAlarmState: async (input) => {
      const name = reqString(input, 'AlarmName');
      checkLength('AlarmName', name, 1, 255);
      const value = stateValue(input, 'StateValue', true)!;
      const reason = reqString(input, 'StateReason');
      checkLength('StateReason', reason, 0, 1023);
      const data = optString(input, 'StateReasonData', invalid);
      checkLength('StateReasonData', data, 0, 4000);
      if (data !== undefined) {
        try {
          JSON.parse(data);
        } catch {
          throw new AwsError('InvalidFormatFault', 'Invalid JSON for StateReasonData.', 400, { queryCode: 'InvalidFormat' });
        }
      }
      if (!(await service.setState(name, value, reason, data))) throw cloudWatchErrors.resourceNotFound(`Alarm ${name} not found`);
      return {};
    },

    DescribeAlarmHistory: (input) => {
      const name = optString(input, 'AlarmName', invalid);
      checkLength('AlarmName', name, 1, 255);
      const type = optString(input, 'HistoryItemType', invalid);
      const allTypes = [...HISTORY_ITEM_TYPES, 'AlarmContributorStateUpdate', 'AlarmContributorAction'];
      if (type !== undefined && !allTypes.includes(type)) throw validationError('HistoryItemType', type, `Member must satisfy enum value set: [${allTypes.join(', ')}]`);
      const types = stringList(input, 'AlarmTypes', 3);
      const start = optTimestamp(input, 'StartDate', invalid);
      const end = optTimestamp(input, 'EndDate', invalid);
      if (start !== undefined && end !== undefined && start > end) throw invalid('StartDate must be before EndDate.');
      const max = optNumber(input, 'MaxRecords', invalid) ?? 100;
      checkRange('MaxRecords', max, 1, 100);
      const scanBy = optString(input, 'ScanBy', invalid) ?? 'TimestampDescending';
      if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending') throw validationError('ScanBy', scanBy, 'Member must satisfy enum value set: [TimestampDescending, TimestampAscending]');
      const cursor = historyToken(input);
      const none = types.length > 0 && !types.includes('MetricAlarm');
      const items = none
        ? []
        : service.store.history.filter(
            (h) =>
              (name === undefined || h.AlarmName === name) &&
              (type === undefined || h.HistoryItemType === type) &&
              (start === undefined || h.Timestamp >= start) &&
              (end === undefined || h.Timestamp <= end),
          );
      // Stable order: by timestamp, then by the order the items were written.
      const ordered = items.map((h, i) => ({ h, i })).sort((a, b) => a.h.Timestamp - b.h.Timestamp || a.i - b.i).map((x) => x.h);
      if (scanBy === 'TimestampDescending') ordered.reverse();
      let from = 0;
      if (cursor !== undefined) {
        from = ordered.findIndex((h) => (scanBy === 'TimestampDescending' ? h.Timestamp <= cursor.t : h.Timestamp >= cursor.t));
        if (from < 0) from = ordered.length;
        for (let skip = cursor.skip; skip > 0 && from < ordered.length && ordered[from].Timestamp === cursor.t; skip--) from++;
      }
      const page = ordered.slice(from, from + max);
      const out: Record<string, unknown> = { AlarmHistoryItems: page.map(renderHistory) };
      if (from + max < ordered.length) {
        const last = page[page.length - 1].Timestamp;
        let skip = 0;
        for (let i = from + max - 1; i >= 0 && ordered[i].Timestamp === last; i--) skip++;
        out.NextToken = encodeToken({ t: last, skip });
      }
      return out;
    },

    EnableAlarmActions: async (input) => {
      await service.updateConfig(alarmNames(input), (c) => ({ ...c, ActionsEnabled: true }));
      return {};
    },

    DisableAlarmActions: async (input) => {
      await service.updateConfig(alarmNames(input), (c) => ({ ...c, ActionsEnabled: false }));
      return {};
    },

    ListTagsForResource: (input) => ({ Tags: alarmOfArn(service, input).config.Tags }),

    TagResource: async (input) => {
      const alarm = alarmOfArn(service, input);
      const added = tags(input);
      if (added.length === 0) throw cloudWatchErrors.missingParameter('The request must contain the parameter Tags');
      await service.updateConfig([alarm.config.AlarmName], (c) => {
        const byKey = new Map(c.Tags.map((t) => [t.Key, t]));
        for (const t of added) byKey.set(t.Key, t);
        if (byKey.size > 50) throw validationError('Tags', `${byKey.size} tags`, 'Member must have length less than or equal to 50');
        return { ...c, Tags: [...byKey.values()] };
      });
      return {};
    },

    UntagResource: async (input) => {
      const alarm = alarmOfArn(service, input);
      const keys = new Set(stringList(input, 'TagKeys', 50));
      await service.updateConfig([alarm.config.AlarmName], (c) => ({ ...c, Tags: c.Tags.filter((t) => !keys.has(t.Key)) }));
      return {};
    },
  });
}

/** A MetricAlarm as DescribeAlarms returns it (timestamps as Date: the router renders them per protocol). */
export function renderAlarm({ config: c, status: s }: StoredAlarm): Record<string, unknown> {
  return {
    AlarmName: c.AlarmName,
    AlarmArn: c.AlarmArn,
    AlarmDescription: c.AlarmDescription,
    AlarmConfigurationUpdatedTimestamp: new Date(c.AlarmConfigurationUpdatedTimestamp),
    ActionsEnabled: c.ActionsEnabled,
    OKActions: c.OKActions,
    AlarmActions: c.AlarmActions,
    InsufficientDataActions: c.InsufficientDataActions,
    StateValue: s.value,
    StateReason: s.reason,
    StateReasonData: s.reasonData,
    StateUpdatedTimestamp: new Date(s.updatedAt),
    MetricName: c.MetricName,
    Namespace: c.Namespace,
    Statistic: c.Statistic,
    ExtendedStatistic: c.ExtendedStatistic,
    Dimensions: c.Metrics ? undefined : (c.Dimensions ?? []),
    Period: c.Metrics ? undefined : c.Period,
    Unit: c.Unit,
    EvaluationPeriods: c.EvaluationPeriods,
    DatapointsToAlarm: c.DatapointsToAlarm,
    Threshold: c.Threshold,
    ComparisonOperator: c.ComparisonOperator,
    TreatMissingData: c.TreatMissingData,
    EvaluateLowSampleCountPercentile: c.EvaluateLowSampleCountPercentile,
    Metrics: c.Metrics,
    StateTransitionedTimestamp: new Date(s.transitionedAt),
  };
}

function renderHistory(h: HistoryItem): Record<string, unknown> {
  return { ...h, Timestamp: new Date(h.Timestamp) };
}

function stateValue(input: AwsInput, name: string, required: boolean): StateValue | undefined {
  const v = required ? reqString(input, name) : optString(input, name, invalid);
  if (v !== undefined && !STATE_VALUES.includes(v as StateValue)) throw validationError(name, v, `Member must satisfy enum value set: [${STATE_VALUES.join(', ')}]`);
  return v as StateValue | undefined;
}

function alarmNames(input: AwsInput): string[] {
  if (list(input, 'AlarmNames') === undefined) throw cloudWatchErrors.missingParameter('The request must contain the parameter AlarmNames');
  const names = stringList(input, 'AlarmNames', 100);
  for (const n of names) checkLength('AlarmNames.member', n, 1, 255);
  return names;
}

function alarmOfArn(service: MetricAlarmService, input: AwsInput): StoredAlarm {
  const arn = reqString(input, 'ResourceARN');
  const m = /^arn:aws[a-z-]*:cloudwatch:[^:]*:[^:]*:alarm:(.+)$/.exec(arn);
  const alarm = m ? service.get(m[1]) : undefined;
  if (!alarm) throw new AwsError('ResourceNotFoundException', `The resource ${arn} does not exist.`, 404, { queryCode: 'ResourceNotFoundException' });
  return alarm;
}

function encodeToken(v: unknown): string {
  return Buffer.from(JSON.stringify(v)).toString('base64url');
}

function decodeToken(input: AwsInput): Record<string, unknown> | undefined {
  const token = optString(input, 'NextToken', invalid);
  if (token === undefined) return undefined;
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (v && typeof v === 'object') return v as Record<string, unknown>;
  } catch {
    /* fall through */
  }
  throw cloudWatchErrors.invalidNextToken('The service couldn\'t process the NextToken (it is invalid or expired).');
}

function pageToken(input: AwsInput): string | undefined {
  const t = decodeToken(input);
  if (t === undefined) return undefined;
  if (typeof t.after !== 'string') throw cloudWatchErrors.invalidNextToken('The service couldn\'t process the NextToken (it is invalid or expired).');
  return t.after;
}

function historyToken(input: AwsInput): { t: number; skip: number } | undefined {
  const t = decodeToken(input);
  if (t === undefined) return undefined;
  if (typeof t.t !== 'number' || typeof t.skip !== 'number') throw cloudWatchErrors.invalidNextToken('The service couldn\'t process the NextToken (it is invalid or expired).');
  return { t: t.t, skip: t.skip };
}
