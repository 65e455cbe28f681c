// Wires CloudWatch metrics into a node: the PutMetricData, GetMetricData, GetMetricStatistics and
// ListMetrics operations on the CloudWatch service of the AWS router, and the MetricDataReader that
// alarms read through (`node.metrics`).

import type { IndicesService } from '../../index/indices/indices-service.ts';
import type { DocumentSink } from '../document-sink.ts';
import { CLOUDWATCH_TARGET, type AwsRouter } from '../../server/aws/aws-router.ts';
import { ensureMetricIndexTemplate } from './datapoint-document.ts';
import { DatapointScanner } from './datapoint-scan.ts';
import { EngineMetricReader } from './engine-metric-reader.ts';
import { getMetricDataOperation } from './get-metric-data.ts';
import { getMetricStatisticsOperation } from './get-metric-statistics.ts';
import { listMetricsOperation } from './list-metrics.ts';
import { putMetricDataOperation } from './put-metric-data.ts';

/** Registers the metric operations and returns the reader (install the template with ensureMetricIndexTemplate on start). */
export function wireMetrics(node: { indices: IndicesService; sink: DocumentSink; aws: AwsRouter }, clock: () => number = Date.now): EngineMetricReader {
  const scanner = new DatapointScanner(node.indices);
  const reader = new EngineMetricReader(scanner);
  let templateReady: Promise<void> | undefined;
  const put = putMetricDataOperation(node.sink, clock);
  node.aws.addOperations(CLOUDWATCH_TARGET, {
    PutMetricData: async (input) => {
      // Installed once per process before the first write (also on node start), in case the template was removed.
      await (templateReady ??= ensureMetricIndexTemplate(node.sink).catch((err) => {
        templateReady = undefined; // try again on the next call
        throw err;
      }));
      return put(input);
    },
    GetMetricData: getMetricDataOperation(reader, clock),
    GetMetricStatistics: getMetricStatisticsOperation(reader, clock),
    ListMetrics: listMetricsOperation(scanner, clock),
  });
  return reader;
}
