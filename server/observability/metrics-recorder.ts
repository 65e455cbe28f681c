// Stores Lookout's own metrics as CloudWatch-style datapoints every minute (namespace `Lookout` in
// `cwm-*`, the shape of ingest/metrics/datapoint-document.ts), so dashboards and alarms chart and watch
// Lookout with the same tools as any other metric. Counters become per-interval deltas (unit Count or
// Bytes); query latency becomes a statistic set (sum, count, min, max in Milliseconds).

import { createHash } from 'node:crypto';
import type { DocumentSink, SinkDocument } from '../../ingest/document-sink.ts';
import { ensureMetricIndexTemplate, metricIndexName, metricKey, type DatapointDocument } from '../../ingest/metrics/datapoint-document.ts';
import type { Counter } from './metrics-registry.ts';
import type { LookoutMetrics } from './lookout-metrics.ts';

export const LOOKOUT_NAMESPACE = 'Lookout';

/** Something that logs warnings (pino or fastify's logger). */
interface WarnLogger {
  warn(obj: object, msg: string): void;
}

/** Writes LookoutMetrics as `Lookout` datapoints on an interval (and on demand, for tests). */
export class MetricsRecorder {
  private timer: NodeJS.Timeout | null = null;
  /** Counter values at the last recording, by metric name and label key. */
  private last = new Map<string, number>();
  private templateInstalled = false;

  constructor(
    private readonly metrics: LookoutMetrics,
    private readonly sink: DocumentSink,
    private readonly intervalMs: number,
    private readonly log: WarnLogger = console,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records every interval until stop(); an interval of 0 disables recording. */
  start(): void {
    if (this.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      this.record().catch((err: Error) => this.log.warn({ err: err.message }, 'metrics recorder: datapoints not stored'));
    }, this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Writes one datapoint per series for the interval that just ended; returns the documents written. */
  async record(): Promise<SinkDocument[]> {
    const t = Math.floor(this.now() / 1000) * 1000;
    const docs: SinkDocument[] = [];
    const m = this.metrics;
    this.deltas(m.ingestDocuments, 'IngestDocuments', 'Count', t, docs, (l) => ({ API: l[0] }));
    this.deltas(m.ingestBytes, 'IngestBytes', 'Bytes', t, docs, (l) => ({ API: l[0] }));
    this.deltas(m.ingestRequests, 'IngestRequests', 'Count', t, docs, (l) => ({ API: l[0], Outcome: l[1] }));
    this.deltas(m.queryRequests, 'QueryRequests', 'Count', t, docs, (l) => ({ API: l[0], Outcome: l[1] }));
    for (const [api, s] of m.drainQueryLatency()) {
      const dims = { API: api };
      docs.push(datapoint('QueryLatency', dims, t, { sum: s.sum, count: s.count, min: s.min, max: s.max, unit: 'Milliseconds' }));
    }
    if (docs.length === 0) return docs;
    if (!this.templateInstalled) {
      await ensureMetricIndexTemplate(this.sink).catch(() => undefined); // a user template of the same priority may hold cwm-*
      this.templateInstalled = true;
    }
    const results = await this.sink.write(docs);
    const failed = results.filter((r) => r.error);
    if (failed.length > 0) this.log.warn({ failed: failed.length, first: failed[0].error }, 'metrics recorder: some datapoints refused');
    return docs;
  }

  private deltas(c: Counter, metricName: string, unit: string, t: number, docs: SinkDocument[], dims: (labels: readonly string[]) => Record<string, string>): void {
    for (const { labels, value } of c.values()) {
      const k = `${c.name}\u0000${labels.join('\u0000')}`;
      const delta = value - (this.last.get(k) ?? 0);
      this.last.set(k, value);
      docs.push(datapoint(metricName, dims(labels), t, { value: delta, unit }));
    }
  }
}

function datapoint(metricName: string, dimensions: Record<string, string>, t: number, v: Partial<DatapointDocument>): SinkDocument {
  const key = metricKey(LOOKOUT_NAMESPACE, metricName, dimensions);
  const source: DatapointDocument = { '@timestamp': new Date(t).toISOString(), namespace: LOOKOUT_NAMESPACE, metricName, dimensions, metricKey: key, ...v, storageResolution: 60 };
  const id = createHash('sha1').update(`${key}\u001f${t}`).digest('base64url');
  return { index: metricIndexName(t), id, source: source as unknown as Record<string, unknown> };
}
