// `npm run demo`: simulated data-pipeline traffic into a local Lookout through its real ingest
// endpoints, so a newcomer sees live logs and metrics within a minute: Metric Streams records over the
// Firehose endpoint (AWS/Kinesis, Firehose, Lambda, Glue, EMR, S3), CloudWatch Logs through the AWS SDK
// (Lambda and Glue log groups), and application logs through `_bulk`. Seeded, so every run tells the
// same story (only the timestamps follow the clock). Starts a Lookout when nothing answers at --url.
//
//   npm run demo -- [--url http://127.0.0.1:9200] [--seed 7] [--interval 10] [--backfill-minutes 30]
//                   [--data-dir ./data] [--once]

import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { utcDay } from '../ingest/utc-time.ts';
import { Rng } from '../loadtest/generate.ts';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';

const args = process.argv.slice(2);
const flag = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : dflt;
};
const URL_ = flag('url', 'http://127.0.0.1:9200').replace(/\/$/, '');
const SEED = Number(flag('seed', '7'));
const INTERVAL_S = Number(flag('interval', '10'));
const BACKFILL_MIN = Number(flag('backfill-minutes', '30'));
const ONCE = args.includes('--once');
const say = (msg: string): void => console.log(`[demo] ${msg}`);

const rng = new Rng(SEED);
const rand = (): number => rng.float();
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const around = (mean: number, spread = 0.2): number => mean * (1 + (rand() * 2 - 1) * spread);

// ---- the simulated pipeline: Kinesis → Lambda → Firehose → S3, a nightly Glue job, an EMR cluster ----

const STREAMS = ['orders-stream', 'clickstream'];
const FUNCTIONS = ['orders-enricher', 'clicks-sessionizer'];
const DELIVERY_STREAMS = ['orders-to-s3', 'clicks-to-lookout'];
const BUCKET = 'acme-data-lake';
const GLUE_JOB = 'nightly-orders-etl';
const EMR_CLUSTER = 'j-2AXXXXXXGAPLF';

interface Metric { namespace: string; name: string; dims: Record<string, string>; unit: string; value: () => number; samples?: number }

/** Each metric's per-minute statistic: `value()` draws one sample; `samples` of them make the statistic set. */
function metrics(minute: number): Metric[] {
  // A slow wave over the hour, plus an incident every 20 minutes (errors, iterator age and failed tasks rise).
  const load = 1 + 0.4 * Math.sin((minute / 60) * 2 * Math.PI);
  const incident = minute % 20 >= 15;
  const out: Metric[] = [];
  for (const s of STREAMS) {
    const rate = s === 'clickstream' ? 4000 : 600;
    out.push({ namespace: 'AWS/Kinesis', name: 'IncomingRecords', dims: { StreamName: s }, unit: 'Count', value: () => Math.round(around(rate * load)), samples: 1 });
    out.push({ namespace: 'AWS/Kinesis', name: 'IncomingBytes', dims: { StreamName: s }, unit: 'Bytes', value: () => Math.round(around(rate * load * 850)), samples: 1 });
    out.push({ namespace: 'AWS/Kinesis', name: 'GetRecords.IteratorAgeMilliseconds', dims: { StreamName: s }, unit: 'Milliseconds', value: () => Math.round(incident ? around(45_000, 0.5) : around(300, 0.5)), samples: 12 });
    out.push({ namespace: 'AWS/Kinesis', name: 'WriteProvisionedThroughputExceeded', dims: { StreamName: s }, unit: 'Count', value: () => (incident && s === 'clickstream' ? Math.round(around(40)) : 0), samples: 1 });
  }
  for (const f of FUNCTIONS) {
    out.push({ namespace: 'AWS/Lambda', name: 'Invocations', dims: { FunctionName: f }, unit: 'Count', value: () => Math.round(around(120 * load)), samples: 1 });
    out.push({ namespace: 'AWS/Lambda', name: 'Errors', dims: { FunctionName: f }, unit: 'Count', value: () => (incident ? Math.round(around(9)) : rand() < 0.2 ? 1 : 0), samples: 1 });
    out.push({ namespace: 'AWS/Lambda', name: 'Duration', dims: { FunctionName: f }, unit: 'Milliseconds', value: () => around(f === 'orders-enricher' ? 180 : 45, 0.6), samples: 20 });
    out.push({ namespace: 'AWS/Lambda', name: 'Throttles', dims: { FunctionName: f }, unit: 'Count', value: () => 0, samples: 1 });
    out.push({ namespace: 'AWS/Lambda', name: 'ConcurrentExecutions', dims: { FunctionName: f }, unit: 'Count', value: () => Math.round(around(6 * load)), samples: 6 });
  }
  for (const d of DELIVERY_STREAMS) {
    out.push({ namespace: 'AWS/Firehose', name: 'IncomingRecords', dims: { DeliveryStreamName: d }, unit: 'Count', value: () => Math.round(around(2000 * load)), samples: 1 });
    out.push({ namespace: 'AWS/Firehose', name: 'DeliveryToS3.Success', dims: { DeliveryStreamName: d }, unit: 'Count', value: () => (incident && d === 'orders-to-s3' ? 0 : 1), samples: 4 });
    out.push({ namespace: 'AWS/Firehose', name: 'DeliveryToS3.DataFreshness', dims: { DeliveryStreamName: d }, unit: 'Seconds', value: () => Math.round(incident ? around(600, 0.3) : around(70, 0.3)), samples: 4 });
    out.push({ namespace: 'AWS/Firehose', name: 'DeliveryToS3.Records', dims: { DeliveryStreamName: d }, unit: 'Count', value: () => Math.round(around(2000 * load)), samples: 1 });
  }
  const glue = { JobName: GLUE_JOB, JobRunId: 'ALL', Type: 'count' };
  out.push({ namespace: 'AWS/Glue', name: 'glue.driver.aggregate.numCompletedTasks', dims: glue, unit: 'Count', value: () => Math.round(around(140)), samples: 1 });
  out.push({ namespace: 'AWS/Glue', name: 'glue.driver.aggregate.numFailedTasks', dims: glue, unit: 'Count', value: () => (incident ? Math.round(around(6)) : 0), samples: 1 });
  out.push({ namespace: 'AWS/Glue', name: 'glue.driver.aggregate.elapsedTime', dims: { ...glue, Type: 'gauge' }, unit: 'Milliseconds', value: () => Math.round(around(95_000)), samples: 1 });
  out.push({ namespace: 'AWS/ElasticMapReduce', name: 'AppsRunning', dims: { JobFlowId: EMR_CLUSTER }, unit: 'Count', value: () => Math.round(around(3 * load)), samples: 5 });
  out.push({ namespace: 'AWS/ElasticMapReduce', name: 'AppsPending', dims: { JobFlowId: EMR_CLUSTER }, unit: 'Count', value: () => (incident ? 4 : 0), samples: 5 });
  out.push({ namespace: 'AWS/ElasticMapReduce', name: 'HDFSUtilization', dims: { JobFlowId: EMR_CLUSTER }, unit: 'Percent', value: () => around(62, 0.05), samples: 5 });
  out.push({ namespace: 'AWS/ElasticMapReduce', name: 'IsIdle', dims: { JobFlowId: EMR_CLUSTER }, unit: 'None', value: () => 0, samples: 5 });
  out.push({ namespace: 'AWS/S3', name: 'NumberOfObjects', dims: { BucketName: BUCKET, StorageType: 'AllStorageTypes' }, unit: 'Count', value: () => 1_250_000 + minute * 40, samples: 1 });
  out.push({ namespace: 'AWS/S3', name: 'BucketSizeBytes', dims: { BucketName: BUCKET, StorageType: 'StandardStorage' }, unit: 'Bytes', value: () => 8.2e12 + minute * 3.1e7, samples: 1 });
  out.push({ namespace: 'AWS/S3', name: 'PutRequests', dims: { BucketName: BUCKET, FilterId: 'EntireBucket' }, unit: 'Count', value: () => Math.round(around(40 * load)), samples: 1 });
  out.push({ namespace: 'AWS/S3', name: '4xxErrors', dims: { BucketName: BUCKET, FilterId: 'EntireBucket' }, unit: 'Count', value: () => (rand() < 0.1 ? 1 : 0), samples: 1 });
  return out;
}

/** One Metric Streams JSON line per metric for one minute (the statistic set of its samples). */
function metricLines(minuteMs: number): string[] {
  return metrics(Math.floor(minuteMs / 60_000)).map((m) => {
    const xs = Array.from({ length: m.samples ?? 1 }, m.value);
    return JSON.stringify({
      metric_stream_name: 'demo-metric-stream', account_id: '123456789012', region: 'us-east-1', namespace: m.namespace, metric_name: m.name,
      dimensions: m.dims, timestamp: minuteMs, value: { max: Math.max(...xs), min: Math.min(...xs), sum: xs.reduce((a, b) => a + b, 0), count: xs.length }, unit: m.unit,
    });
  });
}

/** Sends the minutes' Metric Streams records to `/_firehose/metric-stream` as Firehose would. */
async function sendMetricStreams(minutes: number[]): Promise<number> {
  const records = minutes.map((m) => ({ data: Buffer.from(metricLines(m).join('\n') + '\n').toString('base64') }));
  const requestId = randomUUID();
  const r = await fetch(`${URL_}/_firehose/metric-stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-amz-firehose-protocol-version': '1.0', 'x-amz-firehose-request-id': requestId, 'x-amz-firehose-source-arn': 'arn:aws:firehose:us-east-1:123456789012:deliverystream/metric-stream' },
    body: JSON.stringify({ requestId, timestamp: Date.now(), records }),
  });
  if (r.status !== 200) throw new Error(`Firehose delivery answered ${r.status}: ${await r.text()}`);
  return minutes.length * metrics(0).length;
}

// ---- CloudWatch Logs through the AWS SDK ----

const logs = new CloudWatchLogsClient({ endpoint: URL_, region: 'us-east-1', credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' } });
const GROUPS: Record<string, string> = {
  '/aws/lambda/orders-enricher': '2026/01/01/[$LATEST]4f1c0a9e',
  '/aws/lambda/clicks-sessionizer': '2026/01/01/[$LATEST]9b2d77c3',
  '/aws-glue/jobs/output': 'jr_6f0e1d2c',
  '/aws-glue/jobs/error': 'jr_6f0e1d2c',
};

async function ensureLogStreams(): Promise<void> {
  for (const [group, stream] of Object.entries(GROUPS)) {
    for (const cmd of [new CreateLogGroupCommand({ logGroupName: group }), new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream })]) {
      try {
        await logs.send(cmd as never);
      } catch (err) {
        if ((err as Error).name !== 'ResourceAlreadyExistsException') throw err;
      }
    }
  }
}

/** Log events of one group over [from, to): Lambda START/END/REPORT and JSON app lines, Glue driver output. */
function logEvents(group: string, from: number, to: number): { timestamp: number; message: string }[] {
  const events: { timestamp: number; message: string }[] = [];
  const incident = (t: number) => Math.floor(t / 60_000) % 20 >= 15;
  const step = group.startsWith('/aws/lambda') ? 2000 : 7000;
  for (let t = from; t < to; t += Math.round(around(step, 0.5))) {
    if (group.startsWith('/aws/lambda')) {
      const id = randomUuidFrom();
      const ms = around(group.includes('orders') ? 180 : 45, 0.6);
      const failed = incident(t) ? rand() < 0.3 : rand() < 0.01;
      events.push({ timestamp: t, message: `START RequestId: ${id} Version: $LATEST` });
      events.push({ timestamp: t + 1, message: JSON.stringify(failed
        ? { level: 'ERROR', requestId: id, msg: 'enrichment failed', error: pick(['ProvisionedThroughputExceededException', 'TimeoutError: upstream pricing-service', 'ValidationError: missing customer_id']) }
        : { level: 'INFO', requestId: id, msg: 'batch processed', records: Math.round(around(100)), shardId: `shardId-00000000000${Math.floor(rand() * 4)}` }) });
      events.push({ timestamp: t + 2, message: `END RequestId: ${id}` });
      events.push({ timestamp: t + 3, message: `REPORT RequestId: ${id}\tDuration: ${ms.toFixed(2)} ms\tBilled Duration: ${Math.ceil(ms)} ms\tMemory Size: 512 MB\tMax Memory Used: ${Math.round(around(180))} MB` });
    } else if (group.endsWith('/output')) {
      events.push({ timestamp: t, message: `INFO [Executor task launch worker] executor.Executor: Finished task ${Math.floor(rand() * 200)}.0 in stage ${Math.floor(rand() * 8)}.0 (TID ${Math.floor(rand() * 5000)}). ${Math.round(around(2400))} bytes result sent to driver` });
    } else if (incident(t) && rand() < 0.5) {
      events.push({ timestamp: t, message: `ERROR [task-result-getter-1] scheduler.TaskSetManager: Lost task ${Math.floor(rand() * 200)}.0 in stage 3.0: java.io.IOException: Failed to read s3://${BUCKET}/raw/orders/part-${Math.floor(rand() * 999)}.parquet` });
    }
  }
  return events;
}

function randomUuidFrom(): string {
  const h = () => Math.floor(rand() * 0x10000).toString(16).padStart(4, '0');
  return `${h()}${h()}-${h()}-4${h().slice(1)}-a${h().slice(1)}-${h()}${h()}${h()}`;
}

async function sendLogs(from: number, to: number): Promise<number> {
  let n = 0;
  for (const [group, stream] of Object.entries(GROUPS)) {
    const events = logEvents(group, from, to);
    for (let i = 0; i < events.length; i += 5000) {
      await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: events.slice(i, i + 5000) }));
    }
    n += events.length;
  }
  return n;
}

// ---- application logs through _bulk ----

async function sendAppLogs(from: number, to: number): Promise<number> {
  const lines: string[] = [];
  for (let t = from; t < to; t += Math.round(around(400, 0.8))) {
    const status = pick([200, 200, 200, 200, 201, 204, 304, 400, 404, 500]);
    const d = new Date(t);
    lines.push(JSON.stringify({ index: { _index: `app-logs-${utcDay(t)}` } }));
    lines.push(JSON.stringify({
      '@timestamp': d.toISOString(), service: pick(['checkout', 'catalog', 'orders-api', 'auth']), level: status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info',
      method: pick(['GET', 'GET', 'POST', 'PUT']), path: pick(['/api/orders', '/api/cart', '/api/products/{id}', '/login', '/api/checkout']), status,
      latency_ms: Math.round(around(status >= 500 ? 900 : 60, 0.7)), host: `web-${Math.floor(rand() * 4) + 1}`,
      message: status >= 500 ? 'upstream timeout talking to orders-stream producer' : 'request completed',
    }));
  }
  if (lines.length === 0) return 0;
  const r = await fetch(`${URL_}/_bulk`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: lines.join('\n') + '\n' });
  if (r.status !== 200) throw new Error(`_bulk answered ${r.status}: ${await r.text()}`);
  return lines.length / 2;
}

// ---- the loop ----

async function reachable(): Promise<boolean> {
  try {
    return (await fetch(`${URL_}/`)).ok;
  } catch {
    return false;
  }
}

async function startLookout(): Promise<ChildProcess> {
  const u = new URL(URL_);
  const root = resolve(import.meta.dirname, '..');
  say(`nothing answers at ${URL_}: starting Lookout (data in ${flag('data-dir', './data')})`);
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--host', u.hostname, '--port', u.port || '9200', '--data-dir', resolve(flag('data-dir', './data'))], { cwd: root, stdio: 'inherit' });
  for (let i = 0; i < 600 && !(await reachable()); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await reachable())) throw new Error('Lookout did not start');
  return child;
}

async function tick(from: number, to: number, minutes: number[]): Promise<void> {
  const [dps, events, docs] = [await sendMetricStreams(minutes), await sendLogs(from, to), await sendAppLogs(from, to)];
  say(`${new Date(to).toISOString()}  ${dps} datapoints (Firehose Metric Streams)  ${events} log events (PutLogEvents)  ${docs} app logs (_bulk)`);
}

async function main(): Promise<void> {
  const child = (await reachable()) ? undefined : await startLookout();
  const stop = () => {
    child?.kill('SIGTERM');
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await ensureLogStreams();
  const now = Date.now();
  const minute = (t: number) => Math.floor(t / 60_000) * 60_000;
  const backfill = Array.from({ length: BACKFILL_MIN }, (_, i) => minute(now) - (BACKFILL_MIN - i) * 60_000);
  say(`backfilling ${BACKFILL_MIN} minutes (seed ${SEED})`);
  await tick(now - BACKFILL_MIN * 60_000, now, [...backfill, minute(now)]);
  say(`look: ${URL_}/_dashboards/  ·  curl '${URL_}/cwm-*/_search?q=namespace:"AWS/Lambda"&size=1'  ·  curl '${URL_}/cwl-*/_search?q=message:ERROR'`);
  if (ONCE) return stop();
  let last = now;
  setInterval(() => {
    const t = Date.now();
    const from = last;
    last = t;
    tick(from, t, [minute(t)]).catch((err: Error) => say(`tick failed: ${err.message}`));
  }, INTERVAL_S * 1000);
}

main().catch((err: Error) => {
  console.error(`[demo] ${err.message}`);
  process.exit(1);
});
