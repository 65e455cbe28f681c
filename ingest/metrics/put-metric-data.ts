// PutMetricData (specs/aws.md §4.2): validates a request against CloudWatch's limits and turns each
// datum into `cwm-*` documents. Storage keeps every statistic exact: a `Value` is one document, each
// `Values[i]`/`Counts[i]` pair one document with `value` and `count` (SampleCount/Sum/percentiles stay
// exact), and a `StatisticValues` set one document with `sum`/`count`/`min`/`max`.

import { cloudWatchErrors } from '../aws/aws-error.ts';
import { optList, optNumber, optString, optTimestamp, type AwsInput } from '../aws/aws-input.ts';
import type { DocumentSink, SinkDocument } from '../document-sink.ts';
import { metricIndexName, metricKey, type DatapointDocument } from './datapoint-document.ts';
import { checkName, checkNamespace, optUnit, parseDimensions, requireString } from './metric-params.ts';

const invalid = cloudWatchErrors.invalidParameterValue;
const combination = cloudWatchErrors.invalidParameterCombination;

export const MAX_DATUMS = 1000;
export const MAX_VALUES = 150;
const TWO_WEEKS_MS = 14 * 24 * 3600 * 1000;
const TWO_HOURS_MS = 2 * 3600 * 1000;
const MAX_MAGNITUDE = 2 ** 360;
const MIN_MAGNITUDE = 2 ** -260;

/** Validates a PutMetricData input and returns the documents to write. `now` is epoch ms. */
export function datapointDocuments(input: AwsInput, now: number): DatapointDocument[] {
  const namespace = requireString(input, 'Namespace');
  checkNamespace(namespace, 'Namespace', true);
  const data = optList(input, 'MetricData', invalid);
  const entity = optList(input, 'EntityMetricData', invalid) ?? [];
  if ((!data || data.length === 0) && entity.length === 0) throw cloudWatchErrors.missingParameter('The parameter MetricData is required.');
  const datums: Array<{ datum: unknown; param: string }> = (data ?? []).map((datum, i) => ({ datum, param: `MetricData.member.${i + 1}` }));
  entity.forEach((e, i) => {
    const list = e && typeof e === 'object' ? optList(e as AwsInput, 'MetricData', invalid) ?? [] : [];
    list.forEach((datum, j) => datums.push({ datum, param: `EntityMetricData.member.${i + 1}.MetricData.member.${j + 1}` }));
  });
  if (datums.length > MAX_DATUMS) throw invalid(`The collection MetricData must not have a size greater than ${MAX_DATUMS}.`);
  const docs: DatapointDocument[] = [];
  for (const { datum, param } of datums) {
    if (datum === null || typeof datum !== 'object' || Array.isArray(datum)) throw invalid(`The parameter ${param} must be a structure.`);
    datumDocuments(namespace, datum as AwsInput, param, now, docs);
  }
  return docs;
}

function datumDocuments(namespace: string, d: AwsInput, param: string, now: number, out: DatapointDocument[]): void {
  const metricName = requireString(d, 'MetricName', `${param}.MetricName`);
  checkName(metricName, `${param}.MetricName`, 255);
  const dimensions = parseDimensions(d, 'Dimensions', `${param}.Dimensions`) as Record<string, string>;
  const ts = optTimestamp(d, 'Timestamp', invalid) ?? now;
  if (ts < now - TWO_WEEKS_MS) throw invalid(`The parameter ${param}.Timestamp must specify a time no more than two weeks in the past.`);
  if (ts > now + TWO_HOURS_MS) throw invalid(`The parameter ${param}.Timestamp must specify a time no more than two hours in the future.`);
  const unit = optUnit(d, 'Unit', `${param}.Unit`) ?? 'None';
  const res = optNumber(d, 'StorageResolution', invalid) ?? 60;
  if (res !== 1 && res !== 60) throw invalid(`The value ${res} for parameter ${param}.StorageResolution is invalid: it must be 1 or 60.`);

  const value = number(d, 'Value', `${param}.Value`);
  const stats = d.StatisticValues;
  const values = optList(d, 'Values', invalid);
  const counts = optList(d, 'Counts', invalid);
  const given = [value !== undefined, stats !== undefined && stats !== null, values !== undefined].filter(Boolean).length;
  if (given > 1) throw combination(`The parameters ${param}.Value, ${param}.StatisticValues and ${param}.Values are mutually exclusive and you have specified more than one.`);
  if (given === 0) throw combination(`One of the parameters ${param}.Value, ${param}.StatisticValues or ${param}.Values must be specified.`);
  if (counts !== undefined && values === undefined) throw combination(`The parameter ${param}.Counts requires ${param}.Values.`);

  const base = {
    '@timestamp': new Date(ts).toISOString(),
    namespace,
    metricName,
    dimensions,
    metricKey: metricKey(namespace, metricName, dimensions),
    unit,
    storageResolution: res,
  };
  if (value !== undefined) {
    out.push({ ...base, value });
  } else if (values !== undefined) {
    if (values.length > MAX_VALUES) throw invalid(`The collection ${param}.Values must not have a size greater than ${MAX_VALUES}.`);
    if (counts !== undefined && counts.length !== values.length) throw combination(`The parameters ${param}.Values and ${param}.Counts must be of the same size.`);
    values.forEach((_, i) => {
      const v = number({ v: values[i] }, 'v', `${param}.Values.member.${i + 1}`)!;
      const c = counts === undefined ? 1 : number({ c: counts[i] }, 'c', `${param}.Counts.member.${i + 1}`)!;
      if (c < 0) throw invalid(`The value ${c} for parameter ${param}.Counts.member.${i + 1} must not be negative.`);
      if (c > 0) out.push({ ...base, value: v, count: c });
    });
  } else {
    if (typeof stats !== 'object' || Array.isArray(stats)) throw invalid(`The parameter ${param}.StatisticValues must be a structure.`);
    const s = stats as AwsInput;
    const req = (n: string) => {
      const x = number(s, n, `${param}.StatisticValues.${n}`);
      if (x === undefined) throw cloudWatchErrors.missingParameter(`The parameter ${param}.StatisticValues.${n} is required.`);
      return x;
    };
    const count = req('SampleCount'), sum = req('Sum'), min = req('Minimum'), max = req('Maximum');
    if (count <= 0) throw invalid(`The parameter ${param}.StatisticValues.SampleCount must be greater than 0.`);
    if (min > max) throw invalid(`The parameter ${param}.StatisticValues.Minimum must not be greater than ${param}.StatisticValues.Maximum.`);
    out.push({ ...base, sum, count, min, max });
  }
}

/** A finite number within CloudWatch's range (NaN, ±Infinity, > 2^360 are refused). */
function number(obj: AwsInput, name: string, param: string): number | undefined {
  const raw = obj[name];
  if (raw === undefined || raw === null) return undefined;
  if (raw === 'NaN' || raw === 'Infinity' || raw === '-Infinity' || (typeof raw === 'number' && !Number.isFinite(raw))) {
    throw invalid(`The value ${String(raw)} for parameter ${param} is invalid: NaN and Infinity are not supported.`);
  }
  const v = optNumber(obj, name, (m) => invalid(m.replace(name, param)));
  if (v === undefined) return undefined;
  const a = Math.abs(v);
  if (a > MAX_MAGNITUDE || (a !== 0 && a < MIN_MAGNITUDE)) throw invalid(`The value ${v} for parameter ${param} is outside the range CloudWatch accepts (2^-260 to 2^360).`);
  return v;
}

/** The operation: validate, write durably (fsync before the reply), reply `{}`. */
export function putMetricDataOperation(sink: DocumentSink, clock: () => number = Date.now) {
  return async (input: AwsInput): Promise<Record<string, never>> => {
    const docs = datapointDocuments(input, clock());
    const writes: SinkDocument[] = docs.map((doc) => ({ index: metricIndexName(Date.parse(doc['@timestamp'])), source: doc as unknown as Record<string, unknown> }));
    const results = await sink.write(writes);
    const failed = results.find((r) => r.error);
    if (failed) {
      // A mapping conflict (e.g. a dimension named like an existing dimension's parent path): report it as the bad value.
      throw invalid(`A datapoint could not be stored: ${failed.error!.reason}`);
    }
    return {};
  };
}

