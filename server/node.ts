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
import { createMetricAlarms, type MetricAlarmService } from '../alarms/metric-alarms/metric-alarm-service.ts';
import { configValue } from './config.ts';
import { NotificationService } from '../alarms/notifications/notification-service.ts';
import { MonitorService } from '../alarms/monitors/monitor-service.ts';

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
  /** CloudWatch metric alarms (operations on `aws`, evaluation scheduler started with the node). */
  readonly metricAlarms: MetricAlarmService;
  /** Notification channels, mute windows and the durable delivery outbox (`Notifier`). */
  readonly notifier: NotificationService;
  /** OpenSearch-Alerting-style query and bucket monitors. */
  readonly monitors: MonitorService;
  /** Resolves once the notifier and monitors have loaded their state (set by start()). */
  alertingReady: Promise<void> = Promise.resolve();

  constructor(readonly config: LookoutConfig) {
    this.indices = new IndicesService(config.dataDir);
    this.docs = new DocumentService(this.indices);
    this.search = new SearchService(this.indices);
    this.sink = new EngineSink(this);
    this.aws = new AwsRouter(config.awsCredentials);
    const n = (key: string) => configValue(config.file, `notifications.${key}`) as number | undefined;
    this.notifier = new NotificationService({
      dataDir: config.dataDir,
      sink: this.sink,
      retry: { maxAttempts: n('retry.max_attempts'), initialBackoffMs: n('retry.initial_backoff_ms'), maxBackoffMs: n('retry.max_backoff_ms'), timeoutMs: n('retry.timeout_ms'), concurrency: n('concurrency') },
    });
    const linkBase = (configValue(config.file, 'notifications.public_url') as string | undefined) ?? `http://${config.host}:${config.port}`;
    this.monitors = new MonitorService({ sink: this.sink, notifier: this.notifier, linkBase });
    this.metrics = wireMetrics(this);
    this.metricAlarms = createMetricAlarms({
      dataDir: config.dataDir,
      router: this.aws,
      reader: this.metrics,
      notifier: this.notifier,
      evaluationLagMs: config.alarms?.evaluationLagMs,
      maxMetricAlarms: config.alarms?.maxMetricAlarms,
    });
  }

  start(): void {
    this.indices.start();
    // A failure here (e.g. a user template of the same priority) must not crash the node: PutMetricData retries it.
    ensureMetricIndexTemplate(this.sink).catch((err: Error) => process.emitWarning(`cwm-* index template not installed: ${err.message}`));
    // Alarms are readable and writable at once; their evaluation starts once the notifier can take pages.
    this.metricAlarms.store.open();
    this.alertingReady = (async () => {
      await this.notifier.start();
      this.metricAlarms.start();
      await this.monitors.start();
    })();
  }

  /** Stops alarm and monitor schedules, then lets in-flight deliveries finish and closes the outbox. */
  async stopAlerting(): Promise<void> {
    await this.alertingReady.catch(() => undefined);
    await this.metricAlarms.stop();
    await this.monitors.stop();
    await this.notifier.stop();
  }

  /** Flushes every shard and writes the cluster state. */
  stop(): void {
    void this.metricAlarms.stop();
    this.indices.stop();
  }
}
