// The prebuilt "Pipeline overview" dashboard: the first metrics an on-call person looks at for a
// Kinesis → Firehose → Lambda/Glue/EMR → S3 pipeline, read from CloudWatch datapoints in `cwm-*`
// (statistic sets from Metric Streams: `sum`/`max`/`min` fields, split by `dimensions.<Name>`), Lambda
// log errors from `cwl-*`, and Lookout's own ingest and query rates (namespace `Lookout`). Created as
// saved objects with fixed ids the first time the Dashboards app opens, and left alone after that so
// edits are kept.

import { ApiError, savedObjects } from '../api/client.ts';
import { toAttributes } from '../dashboards/dashboard-state.ts';
import type { DashboardState, Panel } from '../dashboards/dashboard-state.ts';
import type { VariableDef } from '../dashboards/variables.ts';
import { toVisAttributes, VIS_TYPE } from '../visualize/saved-visualizations.ts';
import type { BucketAgg, ChartType, MetricAgg, VisState } from '../visualize/specs/vis-state.ts';

export const PIPELINE_DASHBOARD_ID = 'pipeline-overview';

export interface PrebuiltVis { id: string; title: string; description: string; state: VisState; w: number; h: number }

const overTime: BucketAgg = { id: 'b1', type: 'date_histogram', role: 'x', field: '@timestamp', interval: 'auto' };
const seriesBy = (field: string, size = 5): BucketAgg => ({ id: 'b2', type: 'terms', role: 'series', field, size, orderBy: '_count' });

function metricVis(
  id: string, title: string, description: string, type: ChartType, query: string, metric: MetricAgg, series: BucketAgg | null, w = 6, h = 7,
): PrebuiltVis {
  return {
    id: `pipeline-${id}`, title, description, w, h,
    state: {
      type, index: 'cwm-*', timeField: '@timestamp', query,
      metrics: [metric], buckets: series ? [series, overTime] : [overTime],
      options: { mode: 'stacked', legend: 'bottom' },
    },
  };
}

const sum = (label: string): MetricAgg => ({ id: 'm1', type: 'sum', field: 'sum', label });
const max = (label: string): MetricAgg => ({ id: 'm1', type: 'max', field: 'max', label });
const min = (label: string): MetricAgg => ({ id: 'm1', type: 'min', field: 'min', label });

/** The dashboard variable: Lambda function, from the FunctionName dimension. */
export const FUNCTION_VARIABLE: VariableDef = {
  name: 'function', label: 'Lambda function', index: 'cwm-*', field: 'dimensions.FunctionName', timeField: '@timestamp', size: 100,
};

/** The visualizations, in dashboard order. */
export const PIPELINE_VISUALIZATIONS: PrebuiltVis[] = [
  metricVis('kinesis-incoming', 'Kinesis: incoming records', 'Sum of IncomingRecords per stream (AWS/Kinesis)', 'area',
    'namespace:"AWS/Kinesis" and metricName:"IncomingRecords"', sum('Incoming records'), seriesBy('dimensions.StreamName')),
  metricVis('kinesis-iterator-age', 'Kinesis: iterator age (consumer lag)', 'Max GetRecords.IteratorAgeMilliseconds per stream: how far consumers are behind',
    'line', 'namespace:"AWS/Kinesis" and metricName:"GetRecords.IteratorAgeMilliseconds"', max('Iterator age (ms)'), seriesBy('dimensions.StreamName')),
  metricVis('firehose-s3-success', 'Firehose: delivery to S3 success', 'Min DeliveryToS3.Success per delivery stream (1 = every delivery succeeded)',
    'line', 'namespace:"AWS/Firehose" and metricName:"DeliveryToS3.Success"', min('Success ratio'), seriesBy('dimensions.DeliveryStreamName')),
  metricVis('firehose-freshness', 'Firehose: data freshness', 'Max DeliveryToS3.DataFreshness (seconds the oldest record waited)',
    'line', 'namespace:"AWS/Firehose" and metricName:"DeliveryToS3.DataFreshness"', max('Data freshness (s)'), seriesBy('dimensions.DeliveryStreamName')),
  metricVis('lambda-errors', 'Lambda: errors and throttles', 'Sum of Errors and Throttles ($function)', 'bar',
    'namespace:"AWS/Lambda" and metricName:("Errors" or "Throttles") and dimensions.FunctionName:$function', sum('Count'), seriesBy('metricName')),
  metricVis('lambda-duration', 'Lambda: duration (max)', 'Max Duration per function ($function)', 'line',
    'namespace:"AWS/Lambda" and metricName:"Duration" and dimensions.FunctionName:$function', max('Duration (ms)'), seriesBy('dimensions.FunctionName')),
  {
    id: 'pipeline-lambda-log-errors', title: 'Lambda: error log lines', description: 'Log events with ERROR, Exception, Traceback or "Task timed out" in /aws/lambda/* log groups',
    w: 6, h: 7,
    state: {
      type: 'bar', index: 'cwl-*', timeField: '@timestamp',
      // What Lambda runtimes print on failure: ERROR lines, Python tracebacks, timeouts.
      query: 'logGroup:/aws/lambda/$function* and (message:ERROR or message:Exception or message:Traceback or message:"Task timed out")',
      metrics: [{ id: 'm1', type: 'count', label: 'Error lines' }],
      buckets: [{ id: 'b2', type: 'terms', role: 'series', field: 'logGroup', size: 5, orderBy: '_count' }, overTime],
      options: { mode: 'stacked', legend: 'bottom' },
    },
  },
  // Glue job metrics are published under `Glue` (and arrive as `AWS/Glue` from some metric streams).
  metricVis('glue-failed-tasks', 'Glue: failed tasks', 'Sum of glue.driver.aggregate.numFailedTasks per job', 'bar',
    'namespace:("Glue" or "AWS/Glue") and metricName:"glue.driver.aggregate.numFailedTasks"', sum('Failed tasks'), seriesBy('dimensions.JobName')),
  metricVis('emr-apps-failed', 'EMR: applications failed and pending', 'Max AppsFailed and AppsPending (AWS/ElasticMapReduce)', 'bar',
    'namespace:"AWS/ElasticMapReduce" and metricName:("AppsFailed" or "AppsPending")', max('Applications'), seriesBy('metricName')),
  metricVis('s3-errors', 'S3: 4xx and 5xx errors', 'Sum of 4xxErrors and 5xxErrors (request metrics)', 'bar',
    'namespace:"AWS/S3" and metricName:("4xxErrors" or "5xxErrors")', sum('Errors'), seriesBy('metricName')),
  // Lookout's own metrics (server/observability): per-minute counter deltas in `value`, latency as sets.
  {
    id: 'pipeline-lookout-ingest', title: 'Lookout: documents ingested per minute', description: 'IngestDocuments by API (namespace Lookout)',
    w: 4, h: 7,
    state: {
      type: 'area', index: 'cwm-*', timeField: '@timestamp', query: 'namespace:"Lookout" and metricName:"IngestDocuments"',
      metrics: [{ id: 'm1', type: 'sum', field: 'value', label: 'Documents' }],
      buckets: [seriesBy('dimensions.API'), overTime], options: { mode: 'stacked', legend: 'bottom' },
    },
  },
  {
    id: 'pipeline-lookout-queries', title: 'Lookout: queries per minute', description: 'QueryRequests by API and outcome (namespace Lookout)',
    w: 4, h: 7,
    state: {
      type: 'bar', index: 'cwm-*', timeField: '@timestamp', query: 'namespace:"Lookout" and metricName:"QueryRequests"',
      metrics: [{ id: 'm1', type: 'sum', field: 'value', label: 'Queries' }],
      buckets: [seriesBy('dimensions.API'), overTime], options: { mode: 'stacked', legend: 'bottom' },
    },
  },
  {
    id: 'pipeline-lookout-latency', title: 'Lookout: query latency (max)', description: 'Max QueryLatency by API (namespace Lookout)',
    w: 4, h: 7,
    state: {
      type: 'line', index: 'cwm-*', timeField: '@timestamp', query: 'namespace:"Lookout" and metricName:"QueryLatency"',
      metrics: [{ id: 'm1', type: 'max', field: 'max', label: 'Latency (ms)' }],
      buckets: [seriesBy('dimensions.API'), overTime], options: { legend: 'bottom' },
    },
  },
];

/** The dashboard state, panels packed in order. */
export function pipelineDashboard(): DashboardState {
  let x = 0;
  let y = 0;
  let rowH = 0;
  const panels: Panel[] = PIPELINE_VISUALIZATIONS.map((v, i) => {
    if (x + v.w > 12) { x = 0; y += rowH; rowH = 0; }
    const p: Panel = { panelId: `p${i + 1}`, type: 'visualization', id: v.id, gridData: { x, y, w: v.w, h: v.h } };
    x += v.w;
    rowH = Math.max(rowH, v.h);
    return p;
  });
  return {
    title: 'Pipeline overview',
    description: 'Kinesis, Firehose, Lambda, Glue, EMR and S3 health from CloudWatch metrics and logs, plus Lookout\'s own rates',
    panels, timeRange: { from: 'now-3h', to: 'now' }, refreshIntervalMs: 60_000, query: '', filters: [], variables: [FUNCTION_VARIABLE],
  };
}

/** A saved object to create, in the saved objects API's import shape. */
export interface PrebuiltObject { type: string; id: string; attributes: Record<string, unknown>; references: Array<{ name: string; type: string; id: string }> }

/** Every object of the prebuilt dashboard (visualizations first), ready for `_import` or create calls. */
export function pipelineSavedObjects(): PrebuiltObject[] {
  const d = pipelineDashboard();
  return [
    ...PIPELINE_VISUALIZATIONS.map((v) => ({ type: VIS_TYPE, id: v.id, attributes: { ...toVisAttributes(v.title, v.description, v.state) }, references: [] })),
    {
      type: 'dashboard', id: PIPELINE_DASHBOARD_ID, attributes: { ...toAttributes(d) },
      references: d.panels.map((p) => ({ name: p.panelId, type: p.type, id: p.id })),
    },
  ];
}

let ensured: Promise<boolean> | null = null;

/** Creates the dashboard and its visualizations unless the dashboard exists; true when it created them. */
export function ensurePipelineDashboard(): Promise<boolean> {
  ensured ??= (async () => {
    try {
      await savedObjects.get('dashboard', PIPELINE_DASHBOARD_ID);
      return false;
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 404) throw e;
    }
    // The dashboard last, so a half-done creation is retried on the next visit.
    for (const o of pipelineSavedObjects()) {
      await savedObjects.create(o.type, o.attributes, { id: o.id, overwrite: true, references: o.references });
    }
    return true;
  })().catch((e) => { ensured = null; throw e; });
  return ensured;
}
