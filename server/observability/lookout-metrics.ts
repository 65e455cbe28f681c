// Lookout's own metrics: ingest (requests, documents, bytes per API) and queries (requests, latency per
// API), fed by one fastify onResponse hook, served as Prometheus text on `GET /_metrics` and read every
// minute by the metrics recorder (metrics-recorder.ts) to store them as CloudWatch-style datapoints.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, MetricsRegistry } from './metrics-registry.ts';
import { classify, countDocuments, countFromInput, type IngestApi } from './request-classifier.ts';

/** Seconds; from 1 ms to 10 s, enough to tell an index-time fsync from a slow aggregation. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A latency statistic set over one recording interval (milliseconds). */
export interface IntervalStats {
  sum: number;
  count: number;
  min: number;
  max: number;
}

/** What a handler knows better than the body: how many documents a request really stored. */
const notes = new WeakMap<FastifyRequest, { docs: number; failed: number }>();

/**
 * Lets a route report the documents it stored and those it kept aside as failures (the Firehose route
 * does: `.firehose-errors`); other routes are counted from their bodies.
 */
export function noteIngest(req: FastifyRequest, docs: number, failed = 0): void {
  notes.set(req, { docs, failed });
}

/**
 * What ingest counting needs of the JSON inputs the AWS router parsed, by request: their counts, taken
 * at once, so the parsed input itself is not kept alive until the response.
 */
const awsInputs = new WeakMap<FastifyRequest, Record<'PutLogEvents' | 'PutMetricData', number>>();
export function noteAwsInput(req: FastifyRequest, input: unknown): void {
  awsInputs.set(req, { PutLogEvents: countFromInput('PutLogEvents', input), PutMetricData: countFromInput('PutMetricData', input) });
}

/** The registry of Lookout's own counters and histograms (`node.selfMetrics`). */
export class LookoutMetrics {
  readonly registry = new MetricsRegistry();
  readonly ingestRequests = this.registry.register(new Counter('lookout_ingest_requests_total', 'Ingest requests answered, by API and outcome (success = 2xx).', ['api', 'outcome']));
  readonly ingestDocuments = this.registry.register(new Counter('lookout_ingest_documents_total', 'Documents carried by successful ingest requests, by API.', ['api']));
  readonly ingestFailed = this.registry.register(new Counter('lookout_ingest_failed_documents_total', 'Records a successful ingest request could not store and kept aside (Firehose: .firehose-errors), by API.', ['api']));
  readonly ingestBytes = this.registry.register(new Counter('lookout_ingest_bytes_total', 'Request body bytes (as received) of successful ingest requests, by API.', ['api']));
  readonly ingestDuration = this.registry.register(new Histogram('lookout_ingest_duration_seconds', 'Ingest request latency (durable write included), by API.', ['api'], LATENCY_BUCKETS));
  readonly queryRequests = this.registry.register(new Counter('lookout_query_requests_total', 'Query requests answered, by API and outcome (success = 2xx).', ['api', 'outcome']));
  readonly queryDuration = this.registry.register(new Histogram('lookout_query_duration_seconds', 'Query request latency, by API.', ['api'], LATENCY_BUCKETS));
  readonly httpRequests = this.registry.register(new Counter('lookout_http_requests_total', 'Every HTTP request answered, by status class.', ['code']));
  /** Query latency per API since the recorder last drained it (ms). */
  private interval = new Map<string, IntervalStats>();

  constructor(startedAt = Date.now()) {
    this.registry.register(new Gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', () => process.memoryUsage.rss()));
    this.registry.register(new Gauge('process_start_time_seconds', 'Start time of the process since the Unix epoch, in seconds.', () => Math.floor(startedAt / 1000)));
    this.registry.register(new Gauge('nodejs_heap_used_bytes', 'V8 heap in use, in bytes.', () => process.memoryUsage().heapUsed));
    this.registry.register(new Gauge('nodejs_heap_size_total_bytes', 'V8 heap reserved by the main thread, in bytes.', () => process.memoryUsage().heapTotal));
    this.registry.register(new Gauge('nodejs_external_memory_bytes', 'Memory outside the V8 heap held by JavaScript objects (typed arrays, buffers), in bytes.', () => process.memoryUsage().external));
  }

  /** The onResponse hook: classifies the request and counts it. */
  observe(req: FastifyRequest, reply: FastifyReply): void {
    const status = reply.statusCode;
    this.httpRequests.inc([`${Math.floor(status / 100)}xx`]);
    const target = req.headers['x-amz-target'];
    const body = Buffer.isBuffer(req.body) ? req.body : undefined;
    const c = classify(req.method, req.routeOptions.url, typeof target === 'string' ? target : undefined, body);
    if (c.kind === 'other') return;
    const ok = status >= 200 && status < 300;
    const seconds = reply.elapsedTime / 1000;
    if (c.kind === 'ingest') {
      this.ingestRequests.inc([c.api, ok ? 'success' : 'error']);
      this.ingestDuration.observe([c.api], seconds);
      if (ok) this.countIngest(req, c.api, body);
      return;
    }
    this.queryRequests.inc([c.api, ok ? 'success' : 'error']);
    this.queryDuration.observe([c.api], seconds);
    const ms = reply.elapsedTime;
    const s = this.interval.get(c.api);
    if (s) {
      s.sum += ms;
      s.count++;
      s.min = Math.min(s.min, ms);
      s.max = Math.max(s.max, ms);
    } else this.interval.set(c.api, { sum: ms, count: 1, min: ms, max: ms });
  }

  /** Query latency per API since the last call (and resets it). */
  drainQueryLatency(): Map<string, IntervalStats> {
    const out = this.interval;
    this.interval = new Map();
    return out;
  }

  private countIngest(req: FastifyRequest, api: IngestApi, body: Buffer | undefined): void {
    const noted = notes.get(req);
    const enc = req.headers['content-encoding'];
    const input = awsInputs.get(req);
    const docs = noted
      ? noted.docs
      : input !== undefined && (api === 'PutLogEvents' || api === 'PutMetricData')
        ? input[api]
        : countDocuments(api, body, typeof enc === 'string' ? enc.toLowerCase() : undefined);
    this.ingestDocuments.inc([api], docs);
    if (noted?.failed) this.ingestFailed.inc([api], noted.failed);
    this.ingestBytes.inc([api], body?.length ?? 0);
  }
}
