// GetMetricData on the wire (specs/aws.md §4.2): validates the queries, answers them through the
// MetricDataReader, orders datapoints (ScanBy) and pages them (MaxDatapoints, NextToken). A page holds
// up to MaxDatapoints datapoints across the returned queries in query order; a query with datapoints
// left for later pages is `PartialData`.

import { createHash } from 'node:crypto';
import { cloudWatchErrors } from '../aws/aws-error.ts';
import { optBoolean, optList, optNumber, optString, optTimestamp, type AwsInput } from '../aws/aws-input.ts';
import type { AwsCallContext } from '../../server/aws/aws-router.ts';
import type { EngineMetricReader } from './engine-metric-reader.ts';
import { parseExpression, referencedIds } from './metric-math.ts';
import type { MetricDataQuery } from './metric-data-reader.ts';
import { checkName, checkNamespace, checkPeriod, optUnit, parseDimensions, parseStat, requirePeriod, requireString } from './metric-params.ts';

const invalid = cloudWatchErrors.invalidParameterValue;
export const MAX_QUERIES = 500;
export const DEFAULT_MAX_DATAPOINTS = 100_800;

/**
 * Reads and validates a time range: StartTime inclusive (rounded as CloudWatch rounds it, see
 * roundStartTime), EndTime exclusive, epoch ms.
 */
export function requireRange(input: AwsInput, nowMs: number): { startMs: number; endMs: number } {
  const startMs = optTimestamp(input, 'StartTime', invalid);
  const endMs = optTimestamp(input, 'EndTime', invalid);
  if (startMs === undefined) throw cloudWatchErrors.missingParameter('The parameter StartTime is required.');
  if (endMs === undefined) throw cloudWatchErrors.missingParameter('The parameter EndTime is required.');
  if (startMs >= endMs) throw invalid('The parameter StartTime must be less than the parameter EndTime.');
  return { startMs: roundStartTime(startMs, nowMs), endMs };
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * StartTime as CloudWatch rounds it (API reference, GetMetricData and GetMetricStatistics): down to
 * the minute when under 15 days ago, to 5 minutes from 15 to 63 days, to the hour beyond. The query's
 * periods start there.
 */
export function roundStartTime(startMs: number, nowMs: number): number {
  const age = nowMs - startMs;
  const unit = age > 63 * DAY_MS ? 60 * MINUTE_MS : age > 15 * DAY_MS ? 5 * MINUTE_MS : MINUTE_MS;
  return Math.floor(startMs / unit) * unit;
}

/**
 * The period (s) a query's periods must be a multiple of for its StartTime's age, as CloudWatch keeps
 * data (API reference: sub-minute periods only within 3 hours, then minutes to 15 days, 5 minutes to 63
 * days, hours beyond); a query with a finer period gets no datapoints, not an error.
 */
export function finestPeriodS(startMs: number, nowMs: number): number {
  const age = nowMs - startMs;
  return age > 63 * DAY_MS ? 3600 : age > 15 * DAY_MS ? 300 : age > 3 * 60 * MINUTE_MS ? 60 : 1;
}

/** Parses MetricDataQueries into the reader's model. */
export function parseQueries(input: AwsInput): MetricDataQuery[] {
  const list = optList(input, 'MetricDataQueries', invalid);
  if (!list || list.length === 0) throw cloudWatchErrors.missingParameter('The parameter MetricDataQueries is required.');
  if (list.length > MAX_QUERIES) throw invalid(`The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`);
  const seen = new Set<string>();
  const queries = list.map((raw, i): MetricDataQuery => {
    const p = `MetricDataQueries.member.${i + 1}`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw invalid(`The parameter ${p} must be a structure.`);
    const q = raw as AwsInput;
    const id = requireString(q, 'Id', `${p}.Id`);
    if (!/^[a-z][a-zA-Z0-9_]{0,254}$/.test(id)) throw invalid(`The value ${id} for parameter ${p}.Id is not valid: it must start with a lowercase letter and contain only letters, numbers and underscores.`);
    if (seen.has(id)) throw invalid(`The value ${id} for parameter ${p}.Id is a duplicate: every query id must be unique.`);
    seen.add(id);
    const label = optString(q, 'Label', invalid);
    const returnData = optBoolean(q, 'ReturnData', invalid);
    const period = optNumber(q, 'Period', invalid);
    if (period !== undefined) checkPeriod(period, `${p}.Period`);
    const expression = optString(q, 'Expression', invalid);
    const hasStat = q.MetricStat !== undefined && q.MetricStat !== null;
    if (hasStat === (expression !== undefined)) {
      throw cloudWatchErrors.invalidParameterCombination(`Exactly one of ${p}.MetricStat and ${p}.Expression must be specified.`);
    }
    if (expression !== undefined) {
      if (expression.length < 1 || expression.length > 2048) throw invalid(`The parameter ${p}.Expression must be between 1 and 2048 characters long.`);
      return { id, expression, period, label, returnData };
    }
    const ms = q.MetricStat as AwsInput;
    const metric = (ms.Metric ?? undefined) as AwsInput | undefined;
    if (!metric || typeof metric !== 'object') throw cloudWatchErrors.missingParameter(`The parameter ${p}.MetricStat.Metric is required.`);
    const namespace = requireString(metric, 'Namespace', `${p}.MetricStat.Metric.Namespace`);
    checkNamespace(namespace, `${p}.MetricStat.Metric.Namespace`);
    const metricName = requireString(metric, 'MetricName', `${p}.MetricStat.Metric.MetricName`);
    checkName(metricName, `${p}.MetricStat.Metric.MetricName`, 255);
    const dimensions = parseDimensions(metric, 'Dimensions', `${p}.MetricStat.Metric.Dimensions`) as Record<string, string>;
    const statPeriod = requirePeriod(ms, 'Period', `${p}.MetricStat.Period`);
    const stat = requireString(ms, 'Stat', `${p}.MetricStat.Stat`);
    if (!parseStat(stat)) throw invalid(`The value ${stat} for parameter ${p}.MetricStat.Stat is not supported (Average, Sum, Minimum, Maximum, SampleCount, pNN, IQM, tmNN, wmNN, tcNN, tsNN, TM(a:b), WM(a:b), TC(a:b), TS(a:b), PR(a:b)).`);
    const unit = optUnit(ms, 'Unit', `${p}.MetricStat.Unit`);
    return { id, metricStat: { metric: { namespace, metricName, dimensions }, period: statPeriod, stat, unit }, label, returnData };
  });
  for (const [i, q] of queries.entries()) {
    if (q.expression === undefined) continue;
    for (const ref of referencedIds(parseExpression(q.expression, `MetricDataQueries.member.${i + 1}.Expression`))) {
      if (!seen.has(ref)) throw invalid(`Error in expression ${q.id}: Unrecognized metric ${ref}.`);
      if (ref === q.id) throw invalid(`Error in expression ${q.id}: an expression cannot refer to itself.`);
    }
  }
  return queries;
}

/** The operation. */
export function getMetricDataOperation(reader: EngineMetricReader, clock: () => number = Date.now) {
  return async (input: AwsInput, ctx?: Pick<AwsCallContext, 'protocol'>) => {
    // JSON carries timestamps as epoch seconds: emit the numbers directly (10,080 Date objects cost
    // more than the rest of the reply); the XML of awsQuery needs Dates to render ISO-8601.
    const asDates = ctx?.protocol === 'awsQuery';
    const queries = parseQueries(input);
    const now = clock();
    const { startMs, endMs } = requireRange(input, now);
    const scanBy = optString(input, 'ScanBy', invalid) ?? 'TimestampDescending';
    if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending') throw invalid(`The value ${scanBy} for parameter ScanBy is not valid (TimestampDescending, TimestampAscending).`);
    const maxDatapoints = optNumber(input, 'MaxDatapoints', invalid) ?? DEFAULT_MAX_DATAPOINTS;
    if (!Number.isInteger(maxDatapoints) || maxDatapoints < 1) throw invalid('The parameter MaxDatapoints must be a positive integer.');
    const fingerprint = createHash('sha1')
      .update(JSON.stringify([input.MetricDataQueries, startMs, endMs, scanBy, maxDatapoints]))
      .digest('base64url')
      .slice(0, 12);
    const token = optString(input, 'NextToken', invalid);
    let offset = 0;
    if (token !== undefined) {
      const m = /^([A-Za-z0-9_-]{12})\.(\d+)$/.exec(token);
      if (!m || m[1] !== fingerprint) throw cloudWatchErrors.invalidNextToken('The NextToken is invalid or does not belong to this request.');
      offset = Number(m[2]);
    }

    const results = reader.getMetricDataSync(queries, startMs, endMs, 'start', finestPeriodS(startMs, now));
    const failed = results.find((r) => r.statusCode === 'InternalError');
    if (failed?.messages?.[0]?.code === 'InvalidParameterCombination') throw cloudWatchErrors.invalidParameterCombination(failed.messages[0].value);
    if (failed?.messages?.[0]) throw invalid(`Error in query ${failed.id}: ${failed.messages[0].value}`);
    const pageEnd = offset + maxDatapoints;
    let pos = 0;
    const MetricDataResults = results.map((r) => {
      const n = r.timestamps.length;
      const from = Math.min(n, Math.max(0, offset - pos));
      const to = Math.min(n, Math.max(0, pageEnd - pos));
      pos += n;
      const order = scanBy === 'TimestampDescending';
      const idx = (k: number) => (order ? n - 1 - k : k);
      const Timestamps: Array<Date | number> = [];
      const Values: number[] = [];
      for (let k = from; k < to; k++) {
        const t = r.timestamps[idx(k)];
        Timestamps.push(asDates ? new Date(t) : t / 1000);
        Values.push(r.values[idx(k)]);
      }
      return { Id: r.id, Label: r.label, Timestamps, Values, StatusCode: to < n ? 'PartialData' : r.statusCode };
    });
    return { MetricDataResults, NextToken: pos > pageEnd ? `${fingerprint}.${pageEnd}` : undefined, Messages: [] };
  };
}
