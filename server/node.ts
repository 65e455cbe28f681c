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
import { configValue } from './config.ts';
import { LookoutMetrics } from './observability/lookout-metrics.ts';
import { MetricsRecorder } from './observability/metrics-recorder.ts';
import { registerLogs, type LogsRuntime } from '../ingest/logs/register-logs.ts';

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
  /** Lookout's own metrics (`GET /_metrics`), stored every minute as `Lookout` datapoints. */
  readonly metrics = new LookoutMetrics(this.startedAt);
  readonly metricsRecorder: MetricsRecorder;
  /** CloudWatch Logs (operations on `aws`, retention sweep). */
  readonly logs: LogsRuntime;

  constructor(readonly config: LookoutConfig) {
    this.indices = new IndicesService(config.dataDir);
    this.docs = new DocumentService(this.indices);
    this.search = new SearchService(this.indices);
    this.sink = new EngineSink(this);
    this.aws = new AwsRouter(config.awsCredentials);
    const seconds = Number(configValue(config.file, 'observability.record_interval_seconds') ?? 60);
    this.metricsRecorder = new MetricsRecorder(this.metrics, this.sink, seconds * 1000);
    this.logs = registerLogs(this);
  }

  start(): void {
    this.indices.start();
    this.metricsRecorder.start();
    this.logs.start();
  }

  /** Flushes every shard and writes the cluster state. */
  stop(): void {
    this.metricsRecorder.stop();
    this.logs.stop();
    this.indices.stop();
  }
}
