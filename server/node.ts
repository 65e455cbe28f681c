// The services of one Lookout node, wired together: indices (engine), documents, search, tasks, and the
// AWS router that ingest/ and alarms/ register their operations on.
// Routes receive this object; tests build it through buildApp().

import { IndicesService } from '../index/indices/indices-service.ts';
import { DocumentService } from '../index/docs/document-service.ts';
import { SearchService } from '../index/search/search-service.ts';
import { TaskManager } from './tasks.ts';
import type { LookoutConfig } from './config.ts';
import { AwsRouter } from './aws/aws-router.ts';
import { EngineSink } from './engine-sink.ts';
import { wireMetrics } from '../ingest/metrics/metrics-wiring.ts';
import { ensureMetricIndexTemplate } from '../ingest/metrics/datapoint-document.ts';
import type { EngineMetricReader } from '../ingest/metrics/engine-metric-reader.ts';

export class LookoutNode {
  readonly indices: IndicesService;
  readonly docs: DocumentService;
  readonly search: SearchService;
  readonly tasks = new TaskManager();
  readonly startedAt = Date.now();
  /** The engine as ingest/ and alarms/ see it. */
  readonly sink: EngineSink;
  /** The AWS APIs on `POST /`; ingest/ and alarms/ register their operations here. */
  readonly aws: AwsRouter;
  /** CloudWatch metrics as alarms read them (a MetricDataReader over the `cwm-*` datapoints). */
  readonly metrics: EngineMetricReader;

  constructor(readonly config: LookoutConfig) {
    this.indices = new IndicesService(config.dataDir);
    this.docs = new DocumentService(this.indices);
    this.search = new SearchService(this.indices);
    this.sink = new EngineSink(this);
    this.aws = new AwsRouter(config.awsCredentials);
    this.metrics = wireMetrics(this);
  }

  start(): void {
    this.indices.start();
    void ensureMetricIndexTemplate(this.sink);
  }

  /** Flushes every shard and writes the cluster state. */
  stop(): void {
    this.indices.stop();
  }
}
