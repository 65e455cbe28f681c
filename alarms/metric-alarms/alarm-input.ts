// Reads and validates the inputs of the alarm operations (specs/aws.md §5.1) with AWS's error codes:
// MissingParameter for an absent member, ValidationError for a model constraint (worded as AWS's
// "1 validation error detected" messages), InvalidParameterValue / InvalidParameterCombination for the
// service's own rules. Works for awsJson and awsQuery inputs alike (ingest/aws/aws-input.ts).

import { AwsError, cloudWatchErrors } from '../../ingest/aws/aws-error.ts';
import { optBoolean, optList, optNumber, optString, type AwsInput } from '../../ingest/aws/aws-input.ts';
import {
  alarmArn,
  COMPARISON_OPERATORS,
  TAG_COOLDOWN,
  TAG_NOTIFY_NO_DATA,
  TAG_PENDING,
  TREAT_MISSING_DATA,
  type AlarmConfig,
  type AlarmMetricQuery,
  type ComparisonOperator,
  type Dimension,
  type TreatMissingData,
} from './alarm-types.ts';

const invalid = cloudWatchErrors.invalidParameterValue;

/** A model-constraint violation, as AWS words it. */
export function validationError(member: string, value: unknown, constraint: string): AwsError {
  const shown = value === undefined || value === null ? 'null' : `'${typeof value === 'object' ? JSON.stringify(value) : String(value)}'`;
  return new AwsError('ValidationException', `1 validation error detected: Value ${shown} at '${member[0].toLowerCase()}${member.slice(1)}' failed to satisfy constraint: ${constraint}`, 400, { queryCode: 'ValidationError' });
}

export function missing(member: string): AwsError {
  return cloudWatchErrors.missingParameter(`The request must contain the parameter ${member}`);
}

/** A list member; awsQuery sends an explicitly empty list as `Name=` (an empty string). */
export function list(input: AwsInput, name: string): unknown[] | undefined {
  return input[name] === '' ? [] : optList(input, name, invalid);
}

export function reqString(input: AwsInput, name: string): string {
  const v = optString(input, name, invalid);
  if (v === undefined) throw missing(name);
  return v;
}

export function checkLength(name: string, v: string | undefined, min: number, max: number): void {
  if (v === undefined) return;
  if (v.length < min) throw validationError(name, v, `Member must have length greater than or equal to ${min}`);
  if (v.length > max) throw validationError(name, v, `Member must have length less than or equal to ${max}`);
}

export function checkRange(name: string, v: number | undefined, min: number, max = Infinity): void {
  if (v === undefined) return;
  if (!Number.isInteger(v) && max !== Infinity) throw invalid(`The value ${v} for parameter ${name} is not a valid integer.`);
  if (v < min) throw validationError(name, v, `Member must have value greater than or equal to ${min}`);
  if (v > max) throw validationError(name, v, `Member must have value less than or equal to ${max}`);
}

/** A list of strings (≤ max members). */
export function stringList(input: AwsInput, name: string, max: number): string[] {
  const items = list(input, name) ?? [];
  if (items.length > max) throw validationError(name, items, `Member must have length less than or equal to ${max}`);
  return items.map((v) => {
    if (typeof v !== 'string') throw invalid(`The parameter ${name} must be a list of strings.`);
    return v;
  });
}

const STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'];
const ANOMALY_OPERATORS = ['LessThanLowerOrGreaterThanUpperThreshold', 'LessThanLowerThreshold', 'GreaterThanUpperThreshold'];
export const UNITS = [
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Bits', 'Kilobits', 'Megabits',
  'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second',
  'Bits/Second', 'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None',
];
/** `p99`, `p99.9`, `tm90`, `tc90`, `ts90`, `wm90`, `IQM`, `PR(10:20)`, `TM(10%:90%)`, … (specs/aws.md §5.1). */
const EXTENDED_STATISTIC = /^(?:(?:p|tm|tc|ts|wm)(?:100(?:\.0+)?|\d{1,2}(?:\.\d{1,10})?)|IQM|PR\(\d*(?:\.\d+)?:\d*(?:\.\d+)?\)|(?:TM|TC|TS|WM)\(\d{1,2}(?:\.\d+)?%?:\d{1,2}(?:\.\d+)?%?\))$/;

export function checkUnit(unit: string | undefined): void {
  if (unit !== undefined && !UNITS.includes(unit)) throw validationError('Unit', unit, `Member must satisfy enum value set: [${UNITS.join(', ')}]`);
}

function checkPeriod(name: string, period: number): void {
  checkRange(name, period, 1);
  if (!Number.isInteger(period) || !(period === 10 || period === 20 || period === 30 || period % 60 === 0)) {
    throw invalid(`The parameter ${name} must be 10, 20, 30 or a multiple of 60.`);
  }
}

/** `[{Name, Value}]` (≤ 30). */
export function dimensions(input: AwsInput, name = 'Dimensions'): Dimension[] {
  const items = list(input, name) ?? [];
  if (items.length > 30) throw validationError(name, `${items.length} dimensions`, 'Member must have length less than or equal to 30');
  const seen = new Set<string>();
  return items.map((d) => {
    const o = (d ?? {}) as AwsInput;
    const n = reqString(o, 'Name');
    const v = reqString(o, 'Value');
    checkLength('Dimensions.member.Name', n, 1, 255);
    checkLength('Dimensions.member.Value', v, 1, 1024);
    if (seen.has(n)) throw cloudWatchErrors.invalidParameterCombination(`No Metric may specify the same dimension name twice: ${n}`);
    seen.add(n);
    return { Name: n, Value: v };
  });
}

const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d*:.+$/;

function actions(input: AwsInput, name: string): string[] {
  const list = stringList(input, name, 5);
  for (const arn of list) {
    checkLength(name, arn, 1, 1024);
    if (!ARN.test(arn)) throw validationError(name, arn, 'Member must be a valid ARN (arn:aws:sns:<region>:<account>:<topic>)');
  }
  return list;
}

/** Tags `[{Key, Value}]` (≤ 50), with Lookout's `lookout:*` options checked. */
export function tags(input: AwsInput, name = 'Tags'): Array<{ Key: string; Value: string }> {
  const items = list(input, name) ?? [];
  if (items.length > 50) throw validationError(name, `${items.length} tags`, 'Member must have length less than or equal to 50');
  return items.map((t) => {
    const o = (t ?? {}) as AwsInput;
    const key = reqString(o, 'Key');
    const value = optString(o, 'Value', invalid);
    if (value === undefined) throw missing('Value');
    checkLength('Tags.member.Key', key, 1, 128);
    checkLength('Tags.member.Value', value, 0, 256);
    checkLookoutTag(key, value);
    return { Key: key, Value: value };
  });
}

function checkLookoutTag(key: string, value: string): void {
  if (key === TAG_PENDING || key === TAG_COOLDOWN) {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 86_400) throw invalid(`The tag ${key} must be a number of seconds between 0 and 86400, not "${value}".`);
  }
  if (key === TAG_NOTIFY_NO_DATA && value !== 'true' && value !== 'false') throw invalid(`The tag ${key} must be "true" or "false", not "${value}".`);
}

function metricQueries(input: AwsInput): { metrics: AlarmMetricQuery[]; period: number } {
  const items = list(input, 'Metrics')!;
  if (items.length === 0) throw validationError('Metrics', '[]', 'Member must have length greater than or equal to 1');
  if (items.length > 10) throw invalid('Metric math alarms can use at most 10 metrics and expressions.');
  const ids = new Set<string>();
  const metrics = items.map((raw) => {
    const o = (raw ?? {}) as AwsInput;
    const id = reqString(o, 'Id');
    if (!/^[a-z][a-zA-Z0-9_]*$/.test(id)) throw validationError('Metrics.member.Id', id, 'Member must start with a lowercase letter and contain only letters, numbers and underscores');
    checkLength('Metrics.member.Id', id, 1, 255);
    if (ids.has(id)) throw invalid(`The value ${id} for parameter Metrics.member.Id is used more than once.`);
    ids.add(id);
    const q: AlarmMetricQuery = { Id: id };
    const label = optString(o, 'Label', invalid);
    if (label !== undefined) q.Label = label;
    const ret = optBoolean(o, 'ReturnData', invalid);
    if (ret !== undefined) q.ReturnData = ret;
    const period = optNumber(o, 'Period', invalid);
    if (period !== undefined) {
      checkPeriod('Metrics.member.Period', period);
      q.Period = period;
    }
    const expression = optString(o, 'Expression', invalid);
    const stat = o.MetricStat as AwsInput | undefined;
    if ((expression === undefined) === (stat === undefined || stat === null)) throw cloudWatchErrors.invalidParameterCombination(`Exactly one of MetricStat and Expression must be specified for the metric ${id}.`);
    if (expression !== undefined) {
      checkLength('Metrics.member.Expression', expression, 1, 2048);
      q.Expression = expression;
    } else {
      const metric = (stat!.Metric ?? {}) as AwsInput;
      const p = optNumber(stat!, 'Period', invalid);
      if (p === undefined) throw missing('Metrics.member.MetricStat.Period');
      checkPeriod('Metrics.member.MetricStat.Period', p);
      const s = reqString(stat!, 'Stat');
      if (!STATISTICS.includes(s) && !EXTENDED_STATISTIC.test(s)) throw invalid(`The value ${s} for parameter Metrics.member.MetricStat.Stat is not supported.`);
      const unit = optString(stat!, 'Unit', invalid);
      checkUnit(unit);
      q.MetricStat = { Metric: { Namespace: reqString(metric, 'Namespace'), MetricName: reqString(metric, 'MetricName'), Dimensions: dimensions(metric) }, Period: p, Stat: s };
      if (unit !== undefined) q.MetricStat.Unit = unit;
    }
    return q;
  });
  const returned = metrics.filter((m) => m.ReturnData !== false);
  if (returned.length !== 1) throw invalid('Exactly one element of the metrics list should return data (ReturnData=true).');
  for (const m of metrics) {
    if (m.Expression === undefined) continue;
    for (const ref of m.Expression.match(/\b[a-z][A-Za-z0-9_]*\b/g) ?? []) {
      if (!ids.has(ref)) throw invalid(`The expression ${m.Expression} refers to an unknown metric id ${ref}.`);
    }
  }
  const r = returned[0];
  const period = r.MetricStat?.Period ?? r.Period ?? metrics.find((m) => m.MetricStat)?.MetricStat?.Period;
  if (period === undefined) throw missing('Metrics.member.Period');
  return { metrics, period };
}

/** PutMetricAlarm's input as a configuration (without the update timestamp). */
export function parsePutMetricAlarm(input: AwsInput): Omit<AlarmConfig, 'AlarmConfigurationUpdatedTimestamp'> {
  const name = reqString(input, 'AlarmName');
  checkLength('AlarmName', name, 1, 255);
  const description = optString(input, 'AlarmDescription', invalid);
  checkLength('AlarmDescription', description, 0, 1024);
  if (input.EvaluationCriteria !== undefined || input.ThresholdMetricId !== undefined) throw invalid('Anomaly detection and PromQL alarms (ThresholdMetricId, EvaluationCriteria) are not supported.');
  const evaluationPeriods = optNumber(input, 'EvaluationPeriods', invalid);
  if (evaluationPeriods === undefined) throw missing('EvaluationPeriods');
  checkRange('EvaluationPeriods', evaluationPeriods, 1, 100_000);
  const datapoints = optNumber(input, 'DatapointsToAlarm', invalid);
  checkRange('DatapointsToAlarm', datapoints, 1, 100_000);
  if (datapoints !== undefined && datapoints > evaluationPeriods) throw invalid('DatapointsToAlarm must be less than or equal to EvaluationPeriods.');
  const op = reqString(input, 'ComparisonOperator');
  if (ANOMALY_OPERATORS.includes(op)) throw invalid(`The comparison operator ${op} needs an anomaly detection band, which is not supported.`);
  if (!COMPARISON_OPERATORS.includes(op as ComparisonOperator)) {
    throw validationError('ComparisonOperator', op, `Member must satisfy enum value set: [${[...COMPARISON_OPERATORS, ...ANOMALY_OPERATORS].join(', ')}]`);
  }
  const threshold = optNumber(input, 'Threshold', invalid);
  if (threshold === undefined) throw missing('Threshold');
  const treat = optString(input, 'TreatMissingData', invalid) ?? 'missing';
  checkLength('TreatMissingData', treat, 1, 255);
  if (!TREAT_MISSING_DATA.includes(treat as TreatMissingData)) {
    throw invalid(`Option '${treat}' is not a valid value for TreatMissingData. Valid values are: ${TREAT_MISSING_DATA.join(', ')}.`);
  }
  const lowSample = optString(input, 'EvaluateLowSampleCountPercentile', invalid);

  const single = ['MetricName', 'Namespace', 'Statistic', 'ExtendedStatistic', 'Dimensions', 'Period', 'Unit'].filter((k) => input[k] !== undefined && input[k] !== null);
  const config: Omit<AlarmConfig, 'AlarmConfigurationUpdatedTimestamp'> = {
    AlarmName: name,
    AlarmArn: alarmArn(name),
    ActionsEnabled: optBoolean(input, 'ActionsEnabled', invalid) ?? true,
    OKActions: actions(input, 'OKActions'),
    AlarmActions: actions(input, 'AlarmActions'),
    InsufficientDataActions: actions(input, 'InsufficientDataActions'),
    Period: 0,
    EvaluationPeriods: evaluationPeriods,
    Threshold: threshold,
    ComparisonOperator: op as ComparisonOperator,
    TreatMissingData: treat as TreatMissingData,
    Tags: tags(input),
  };
  if (description !== undefined) config.AlarmDescription = description;
  if (datapoints !== undefined) config.DatapointsToAlarm = datapoints;

  if (input.Metrics !== undefined && input.Metrics !== null) {
    if (single.length > 0) throw cloudWatchErrors.invalidParameterCombination(`The parameters ${single.join(', ')} cannot be specified together with Metrics.`);
    const { metrics, period } = metricQueries(input);
    config.Metrics = metrics;
    config.Period = period;
  } else {
    const metricName = reqString(input, 'MetricName');
    const namespace = reqString(input, 'Namespace');
    checkLength('MetricName', metricName, 1, 255);
    checkLength('Namespace', namespace, 1, 255);
    const statistic = optString(input, 'Statistic', invalid);
    const extended = optString(input, 'ExtendedStatistic', invalid);
    if (statistic !== undefined && extended !== undefined) throw cloudWatchErrors.invalidParameterCombination('Statistic and ExtendedStatistic cannot both be specified.');
    if (statistic === undefined && extended === undefined) throw missing('Statistic or ExtendedStatistic');
    if (statistic !== undefined && !STATISTICS.includes(statistic)) throw validationError('Statistic', statistic, `Member must satisfy enum value set: [${STATISTICS.join(', ')}]`);
    if (extended !== undefined && !EXTENDED_STATISTIC.test(extended)) throw invalid(`The value ${extended} for parameter ExtendedStatistic is not supported.`);
    const period = optNumber(input, 'Period', invalid);
    if (period === undefined) throw missing('Period');
    checkPeriod('Period', period);
    const unit = optString(input, 'Unit', invalid);
    checkUnit(unit);
    Object.assign(config, { MetricName: metricName, Namespace: namespace, Dimensions: dimensions(input), Period: period });
    if (statistic !== undefined) config.Statistic = statistic;
    if (extended !== undefined) config.ExtendedStatistic = extended;
    if (unit !== undefined) config.Unit = unit;
  }
  if (config.Period * evaluationPeriods > 86_400) throw invalid('The product of Period and EvaluationPeriods must be less than or equal to 86400 seconds (1 day).');
  if (lowSample !== undefined) {
    if (lowSample !== 'evaluate' && lowSample !== 'ignore') throw invalid(`Option '${lowSample}' is not a valid value for EvaluateLowSampleCountPercentile. Valid values are: evaluate, ignore.`);
    if (!config.ExtendedStatistic || !config.ExtendedStatistic.startsWith('p')) throw cloudWatchErrors.invalidParameterCombination('EvaluateLowSampleCountPercentile can only be used with a percentile ExtendedStatistic.');
    config.EvaluateLowSampleCountPercentile = lowSample;
  }
  return config;
}
