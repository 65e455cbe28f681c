// Where and how a CloudWatch metric datapoint is stored: one document per datapoint under `cwm-*`,
// the same for PutMetricData and for Metric Streams records arriving over Firehose. Reads (GetMetricData,
// alarms) aggregate these documents with the engine's columnar doc values.

import { utcDay } from '../utc-time.ts';
import type { DocumentSink } from '../document-sink.ts';

/** The index pattern every datapoint is under. */
export const METRIC_INDEX_PATTERN = 'cwm-*';

/**
 * A datapoint as stored. Exactly one of `value` or the statistic set (`sum`,`count`,`min`,`max`) is set.
 * A type, not an interface: so it is a `Record<string, unknown>` (a SinkDocument's source) as it is.
 */
export type DatapointDocument = {
  /** ISO-8601 UTC with milliseconds. */
  '@timestamp': string;
  namespace: string;
  metricName: string;
  /** Dimension name → value (stored as `dimensions.<Name>` keyword fields). */
  dimensions: Record<string, string>;
  /**
   * The metric's identity: namespace, name and dimensions sorted by name, joined by U+001F, so one
   * term query (or terms aggregation) selects exactly one metric. See `metricKey`.
   */
  metricKey: string;
  value?: number;
  /** For a `Values`/`Counts` entry: how many times `value` occurred (default 1 when absent). */
  count?: number;
  sum?: number;
  min?: number;
  max?: number;
  unit?: string;
  /** 1 (high resolution) or 60. */
  storageResolution?: number;
  /**
   * Metric Streams' additional statistics of the datapoint's minute (`{"p99": 95, "TM(10%:90%)": 33.5}`
   * as JSON text: names like `p99.9` would be object paths), which a period holding only this datapoint
   * answers with (see PeriodBuckets.streamed). Kept in `_source` only.
   */
  extendedStatistics?: string;
  /** How many `extendedStatistics` there are: a column the read path checks before reading `_source`. */
  extendedStatisticsCount?: number;
};

/**
 * The identity key of a metric (see DatapointDocument.metricKey). Each dimension is `name=value` with
 * `\` and `=` in the name escaped by a backslash: unescaped, a name `a=b` with value `c` and a name `a`
 * with value `b=c` made one key, two metrics merged into one. Values need no escaping (the first
 * unescaped `=` ends the name), and no part holds U+001F (names and values refuse control characters),
 * so keys of names without `\` or `=` are what they always were.
 */
export function metricKey(namespace: string, metricName: string, dimensions: Record<string, string>): string {
  const dims = Object.keys(dimensions).sort().map((k) => `${escapeDimensionName(k)}=${dimensions[k]}`);
  return [namespace, metricName, ...dims].join('\u001f');
}

function escapeDimensionName(name: string): string {
  return name.includes('\\') || name.includes('=') ? name.replace(/[\\=]/g, '\\$&') : name;
}

/** The daily index of datapoints: `cwm-<yyyy.mm.dd>` (UTC day of the datapoint's timestamp). */
export function metricIndexName(timestampMs: number): string {
  return `cwm-${utcDay(timestampMs)}`;
}

/** The composable template that gives every `cwm-*` index its mapping. */
export const METRIC_INDEX_TEMPLATE = {
  index_patterns: [METRIC_INDEX_PATTERN],
  priority: 100,
  template: {
    settings: { number_of_shards: 1, number_of_replicas: 0 },
    mappings: {
      dynamic: true,
      dynamic_templates: [{ dimensions: { path_match: 'dimensions.*', mapping: { type: 'keyword' } } }],
      properties: {
        '@timestamp': { type: 'date' },
        namespace: { type: 'keyword' },
        metricName: { type: 'keyword' },
        metricKey: { type: 'keyword' },
        value: { type: 'double' },
        count: { type: 'double' },
        sum: { type: 'double' },
        min: { type: 'double' },
        max: { type: 'double' },
        unit: { type: 'keyword' },
        storageResolution: { type: 'integer' },
        extendedStatistics: { type: 'keyword', index: false, doc_values: false },
        extendedStatisticsCount: { type: 'integer' },
      },
    },
  },
};

/** The name METRIC_INDEX_TEMPLATE is installed under (one name, so writers never race two templates of one priority). */
export const METRIC_TEMPLATE_NAME = 'lookout-cwm';

/** Installs (or replaces) the `cwm-*` template; every writer of datapoints calls this before its first write. */
export function ensureMetricIndexTemplate(sink: DocumentSink): Promise<void> {
  return sink.putIndexTemplate(METRIC_TEMPLATE_NAME, METRIC_INDEX_TEMPLATE as unknown as Record<string, unknown>);
}
