// PutMetricData (specs/aws.md §4.2): validates a request against CloudWatch's limits and turns each
// datum into `cwm-*` documents. Storage keeps every statistic exact: a `Value` is one document, each
// `Values[i]`/`Counts[i]` pair one document with `value` and `count` (SampleCount/Sum/percentiles stay
// exact), and a `StatisticValues` set one document with `sum`/`count`/`min`/`max`.

import { cloudWatchErrors } from '../aws/aws-error.ts';
import { optList, optNumber, optTimestamp, type AwsInput } from '../aws/aws-input.ts';
import { isoMillis } from '../utc-time.ts';
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
const DAY_MS = 86_400_000;
const MAX_REMEMBERED_PER_NAME = 32;

/** One datapoint to write, as the engine takes it: the document, its JSON (the stored `_source`), its daily index. */
export type DatapointWrite = SinkDocument & { source: DatapointDocument; json: string };

/**
 * A metric as one request names it: its validated members and the JSON of the members every datapoint
 * of it repeats. A batch of 1,000 datums usually names a few dozen metrics, so each is validated, keyed
 * (`metricKey` sorts the dimensions) and serialised once per request, not once per datum.
 */
interface MetricIdentity {
  metricName: string;
  dimensions: Record<string, string>;
  metricKey: string;
  unit: string;
  storageResolution: number;
  /** `"namespace":…,"storageResolution":N`: the document's members between `@timestamp` and the values. */
  json: string;
  /** The members as received (dimensions flattened; null when not all strings), to recognise the metric again. */
  raw: { unit: unknown; res: unknown; dims: string[] | null };
}

/** Validates a PutMetricData input and returns the datapoints to write. `now` is epoch ms. */
export function datapointDocuments(input: AwsInput, now: number): DatapointWrite[] {
  const namespace = requireString(input, 'Namespace');
  checkNamespace(namespace, 'Namespace', true);
  const data = optList(input, 'MetricData', invalid);
  const entity = optList(input, 'EntityMetricData', invalid) ?? [];
  if ((!data || data.length === 0) && entity.length === 0) throw cloudWatchErrors.missingParameter('The parameter MetricData is required.');
  const entityLists = entity.map((e) => (e && typeof e === 'object' ? optList(e as AwsInput, 'MetricData', invalid) ?? [] : []));
  const total = entityLists.reduce((n, list) => n + list.length, data?.length ?? 0);
  if (total > MAX_DATUMS) throw invalid(`The collection MetricData must not have a size greater than ${MAX_DATUMS}.`);
  // Where the datum being read is, spelled out (`MetricData.member.3`) only for an error message.
  let entityAt = 0;
  let datumAt = 0;
  const param = (): string => (entityAt === 0 ? `MetricData.member.${datumAt}` : `EntityMetricData.member.${entityAt}.MetricData.member.${datumAt}`);
  const batch = new DatapointBatch(namespace, now);
  const addAll = (list: unknown[]): void => {
    for (let i = 0; i < list.length; i++) {
      const datum = list[i];
      datumAt = i + 1;
      if (datum === null || typeof datum !== 'object' || Array.isArray(datum)) throw invalid(`The parameter ${param()} must be a structure.`);
      batch.add(datum as AwsInput, param);
    }
  };
  addAll(data ?? []);
  entityLists.forEach((list, e) => {
    entityAt = e + 1;
    addAll(list);
  });
  return batch.out;
}

/** The datapoints of one request, with its metrics' identities cached by their raw members. */
class DatapointBatch {
  readonly out: DatapointWrite[] = [];
  /** Validated metrics by name. */
  private readonly metrics = new Map<string, MetricIdentity[]>();
  private readonly nsJson: string;
  private indexDay = NaN;
  private indexName = '';

  constructor(
    private readonly namespace: string,
    private readonly now: number,
  ) {
    this.nsJson = `"namespace":${JSON.stringify(namespace)}`;
  }

  add(d: AwsInput, param: () => string): void {
    const metric = this.identity(d, param);
    const ts = optTimestamp(d, 'Timestamp', invalid) ?? this.now;
    if (ts < this.now - TWO_WEEKS_MS) throw invalid(`The parameter ${param()}.Timestamp must specify a time no more than two weeks in the past.`);
    if (ts > this.now + TWO_HOURS_MS) throw invalid(`The parameter ${param()}.Timestamp must specify a time no more than two hours in the future.`);

    const value = number(d, 'Value', param, '.Value');
    const stats = d.StatisticValues;
    const values = optList(d, 'Values', invalid);
    const counts = optList(d, 'Counts', invalid);
    const given = (value !== undefined ? 1 : 0) + (stats !== undefined && stats !== null ? 1 : 0) + (values !== undefined ? 1 : 0);
    if (given > 1) {
      const p = param();
      throw combination(`The parameters ${p}.Value, ${p}.StatisticValues and ${p}.Values are mutually exclusive and you have specified more than one.`);
    }
    if (given === 0) {
      const p = param();
      throw combination(`One of the parameters ${p}.Value, ${p}.StatisticValues or ${p}.Values must be specified.`);
    }
    if (counts !== undefined && values === undefined) throw combination(`The parameter ${param()}.Counts requires ${param()}.Values.`);

    const iso = isoMillis(ts);
    const index = this.indexOf(ts);
    const head = `{"@timestamp":"${iso}",${metric.json}`;
    // Documents list their members in the order of the JSON written beside them (tests hold the two equal).
    if (value !== undefined) {
      const doc: DatapointDocument = { '@timestamp': iso, namespace: this.namespace, metricName: metric.metricName, dimensions: metric.dimensions, metricKey: metric.metricKey, unit: metric.unit, storageResolution: metric.storageResolution, value };
      this.out.push({ source: doc, json: `${head},"value":${value}}`, index });
    } else if (values !== undefined) {
      if (values.length > MAX_VALUES) throw invalid(`The collection ${param()}.Values must not have a size greater than ${MAX_VALUES}.`);
      if (counts !== undefined && counts.length !== values.length) throw combination(`The parameters ${param()}.Values and ${param()}.Counts must be of the same size.`);
      for (let i = 0; i < values.length; i++) {
        const v = number(values, i, param, `.Values.member.${i + 1}`)!;
        const c = counts === undefined ? 1 : number(counts, i, param, `.Counts.member.${i + 1}`)!;
        if (c < 0) throw invalid(`The value ${c} for parameter ${param()}.Counts.member.${i + 1} must not be negative.`);
        if (c === 0) continue;
        const doc: DatapointDocument = { '@timestamp': iso, namespace: this.namespace, metricName: metric.metricName, dimensions: metric.dimensions, metricKey: metric.metricKey, unit: metric.unit, storageResolution: metric.storageResolution, value: v, count: c };
        this.out.push({ source: doc, json: `${head},"value":${v},"count":${c}}`, index });
      }
    } else {
      if (typeof stats !== 'object' || Array.isArray(stats)) throw invalid(`The parameter ${param()}.StatisticValues must be a structure.`);
      const s = stats as AwsInput;
      const req = (n: string) => {
        const x = number(s, n, param, `.StatisticValues.${n}`);
        if (x === undefined) throw cloudWatchErrors.missingParameter(`The parameter ${param()}.StatisticValues.${n} is required.`);
        return x;
      };
      const count = req('SampleCount'), sum = req('Sum'), min = req('Minimum'), max = req('Maximum');
      if (count <= 0) throw invalid(`The parameter ${param()}.StatisticValues.SampleCount must be greater than 0.`);
      if (min > max) throw invalid(`The parameter ${param()}.StatisticValues.Minimum must not be greater than ${param()}.StatisticValues.Maximum.`);
      const doc: DatapointDocument = { '@timestamp': iso, namespace: this.namespace, metricName: metric.metricName, dimensions: metric.dimensions, metricKey: metric.metricKey, unit: metric.unit, storageResolution: metric.storageResolution, sum, count, min, max };
      this.out.push({ source: doc, json: `${head},"sum":${sum},"count":${count},"min":${min},"max":${max}}`, index });
    }
  }

  /** The datum's metric: from the cache when an earlier datum had the same raw members (so they are valid). */
  private identity(d: AwsInput, param: () => string): MetricIdentity {
    const name = d.MetricName;
    const seen = typeof name === 'string' ? this.metrics.get(name) : undefined;
    if (seen) {
      for (let i = 0; i < seen.length; i++) if (sameRawMembers(seen[i]!, d)) return seen[i]!;
    }
    const metricName = requireString(d, 'MetricName', `${param()}.MetricName`);
    checkName(metricName, `${param()}.MetricName`, 255);
    const dimensions = parseDimensions(d, 'Dimensions', `${param()}.Dimensions`) as Record<string, string>;
    const unit = optUnit(d, 'Unit', `${param()}.Unit`) ?? 'None';
    const res = optNumber(d, 'StorageResolution', invalid) ?? 60;
    if (res !== 1 && res !== 60) throw invalid(`The value ${res} for parameter ${param()}.StorageResolution is invalid: it must be 1 or 60.`);
    const mk = metricKey(this.namespace, metricName, dimensions);
    const json = `${this.nsJson},"metricName":${JSON.stringify(metricName)},"dimensions":${JSON.stringify(dimensions)},"metricKey":${JSON.stringify(mk)},"unit":${JSON.stringify(unit)},"storageResolution":${res}`;
    const metric: MetricIdentity = { metricName, dimensions, metricKey: mk, unit, storageResolution: res, json, raw: { unit: d.Unit, res: d.StorageResolution, dims: rawDimensions(d) } };
    // Only plain-string dimension lists are remembered; anything else is validated every time.
    // A name with very many dimension sets is searched linearly: past a few dozen, validate instead.
    if (metric.raw.dims !== null) {
      const list = this.metrics.get(metricName);
      if (!list) this.metrics.set(metricName, [metric]);
      else if (list.length < MAX_REMEMBERED_PER_NAME) list.push(metric);
    }
    return metric;
  }

  private indexOf(ts: number): string {
    const day = Math.floor(ts / DAY_MS);
    if (day !== this.indexDay) {
      this.indexDay = day;
      this.indexName = metricIndexName(ts);
    }
    return this.indexName;
  }
}

/** A datum's dimensions as received, as [name, value, name, value, …]; null unless all are strings. */
function rawDimensions(d: AwsInput): string[] | null {
  const dims = d.Dimensions;
  if (dims === undefined || dims === null) return [];
  if (!Array.isArray(dims)) return null;
  const out: string[] = [];
  for (const dim of dims) {
    if (dim === null || typeof dim !== 'object') return null;
    const { Name: n, Value: v } = dim as AwsInput;
    if (typeof n !== 'string' || typeof v !== 'string') return null;
    out.push(n, v);
  }
  return out;
}

/** Whether a datum names a metric with exactly the raw members an earlier, validated datum had. */
function sameRawMembers(m: MetricIdentity, d: AwsInput): boolean {
  if (d.Unit !== m.raw.unit || d.StorageResolution !== m.raw.res) return false;
  const want = m.raw.dims!;
  const dims = d.Dimensions;
  if (dims === undefined || dims === null) return want.length === 0;
  if (!Array.isArray(dims) || dims.length * 2 !== want.length) return false;
  for (let i = 0; i < dims.length; i++) {
    const dim = dims[i] as AwsInput | null;
    if (dim === null || typeof dim !== 'object' || dim.Name !== want[2 * i] || dim.Value !== want[2 * i + 1]) return false;
  }
  return true;
}

/** A finite number within CloudWatch's range (NaN, ±Infinity, > 2^360 are refused); `suffix` completes the parameter name. */
function number(obj: AwsInput | unknown[], name: string | number, param: () => string, suffix: string): number | undefined {
  const raw = (obj as Record<string | number, unknown>)[name];
  if (raw === undefined || raw === null) return undefined;
  let v: number;
  if (typeof raw === 'number') {
    v = raw;
    if (!Number.isFinite(v)) throw invalid(`The value ${String(raw)} for parameter ${param()}${suffix} is invalid: NaN and Infinity are not supported.`);
  } else {
    if (raw === 'NaN' || raw === 'Infinity' || raw === '-Infinity') {
      throw invalid(`The value ${String(raw)} for parameter ${param()}${suffix} is invalid: NaN and Infinity are not supported.`);
    }
    v = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
    if (!Number.isFinite(v)) throw invalid(`The value ${String(raw)} for parameter ${param()}${suffix} is not a valid number.`);
  }
  const a = Math.abs(v);
  if (a > MAX_MAGNITUDE || (a !== 0 && a < MIN_MAGNITUDE)) throw invalid(`The value ${v} for parameter ${param()}${suffix} is outside the range CloudWatch accepts (2^-260 to 2^360).`);
  return v;
}

/** The operation: validate, write durably (fsync before the reply), reply `{}`. */
export function putMetricDataOperation(sink: DocumentSink, clock: () => number = Date.now) {
  // Not an async frame: nothing here holds the datapoints while the write waits for its fsync.
  return (input: AwsInput): Promise<Record<string, never>> => {
    return sink.write(datapointDocuments(input, clock())).then((results) => {
      const failed = results.find((r) => r.error);
      // A mapping conflict (e.g. a dimension named like an existing dimension's parent path): report it as the bad value.
      if (failed) throw invalid(`A datapoint could not be stored: ${failed.error!.reason}`);
      return {};
    });
  };
}

