// PutLogEvents ingest: batches of generated ~200-byte log events over HTTP (raw
// awsJson 1.1 requests, or the real SDK with --sdk), 2–4 calls in flight, one log stream per worker,
// durability `request` (each acknowledged batch is fsynced). Reports events/s beside the same run's
// JSON.parse throughput of the same request bodies, request latencies, and checks every event landed
// in `cwl-*`. The figure is the sustained rate: events acknowledged after the first MAX_BACKLOG_DOCS
// (which the engine may take faster than it indexes them, see `sustainedRate`), so runs are long. A call may carry at most 1 MiB counted as Σ(message bytes + 26) (specs/aws.md §3.2), so
// 10,000 events of 200 bytes (2.26 MB) are refused as AWS refuses them; the default batch is the
// largest that fits — 10,000 events only with messages of ≤ 78 bytes (`--message-bytes 78`).
//
//   npx tsx loadtest/put-log-events.ts [--events 600000] [--batch <largest that fits, ≤ 10000>] [--concurrency 3]
//        [--message-bytes 200] [--seed S] [--sdk] [--url http://127.0.0.1:PORT] [--work-dir DIR] [--keep]
//
// --url targets a server you started yourself (e.g. `node --cpu-prof --import tsx server/main.ts
// --port 9400 --data-dir /tmp/d` to profile it; node refuses --cpu-prof in NODE_OPTIONS).

import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { parseFlags } from './lib/args.ts';
import { makeGenerator, type LogGenerator } from './generate.ts';
import { median, percentiles, rssOf, sustainedRate, type Ack } from './lib/measure.ts';
import { MAX_BACKLOG_DOCS } from '../index/shard/shard.ts';
import { machineInfo, writeResults, type Figure, type ScenarioResult } from './lib/results.ts';
import { startServer, type LookoutServer } from './lib/server.ts';
import { makeClient } from './lib/http.ts';
import { buildDocuments, planBatch } from '../ingest/logs/put-log-events.ts';

const GROUP = '/loadtest/app';
const log = (msg: string): void => void process.stderr.write(`[put-log-events] ${msg}\n`);

/**
 * Event i's message: a line of about `bytes` bytes built from the project's log generator (zipf
 * vocabulary, one trace id per line), so the engine sees realistic term statistics.
 */
function message(gen: LogGenerator, i: number, bytes: number): string {
  const d = gen.doc(i);
  let m = `${d.level} [${d.service}] ${d.host} ${d.path} ${d.status} ${d.latency_ms}ms trace=${d.trace_id} ${d.message}`;
  while (m.length < bytes) m += ` ${gen.doc(i + 1_000_003).message}`;
  return m.slice(0, bytes).trimEnd();
}

/** The request bodies: `calls` PutLogEvents inputs, round-robin over `streams` streams. */
function buildBodies(events: number, batch: number, streams: number, bytes: number, seed: number, t0: number): { stream: string; body: string; count: number }[] {
  const gen = makeGenerator(seed, events);
  const out: { stream: string; body: string; count: number }[] = [];
  const clocks = new Array<number>(streams).fill(t0);
  for (let done = 0, call = 0, i = 0; done < events; call++) {
    const n = Math.min(batch, events - done);
    const s = call % streams;
    const logEvents = new Array(n);
    for (let k = 0; k < n; k++) logEvents[k] = { timestamp: clocks[s]++, message: message(gen, i++, bytes) };
    const stream = `worker-${s}`;
    out.push({ stream, count: n, body: JSON.stringify({ logGroupName: GROUP, logStreamName: stream, logEvents }) });
    done += n;
  }
  return out;
}

/** JSON.parse of the same bodies: events/s, median of 3. */
function parseReference(bodies: { body: string; count: number }[]): number {
  const rates: number[] = [];
  let sink = 0;
  const total = bodies.reduce((n, b) => n + b.count, 0);
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    for (const b of bodies) sink += (JSON.parse(b.body) as { logEvents: unknown[] }).logEvents.length;
    rates.push(total / ((performance.now() - t) / 1000));
  }
  if (sink < 0) console.log(sink);
  return median(rates);
}

/**
 * Lookout's own PutLogEvents work on the same bodies, in process and without the engine: parse the
 * body, check the batch (planBatch), build the documents with their ids (buildDocuments) and
 * serialise each once (as the sink does). What is left of a call's time is the engine's.
 */
function logsPathReference(bodies: { body: string; count: number }[]): number {
  const rates: number[] = [];
  let sink = 0;
  const total = bodies.reduce((n, b) => n + b.count, 0);
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    for (const b of bodies) {
      const input = JSON.parse(b.body) as { logGroupName: string; logStreamName: string; logEvents: unknown };
      const now = Date.now();
      const plan = planBatch(input.logEvents, now);
      for (const d of buildDocuments(input.logGroupName, input.logStreamName, plan, now)) sink += JSON.stringify(d.source).length;
    }
    rates.push(total / ((performance.now() - t) / 1000));
  }
  if (sink < 0) console.log(sink);
  return median(rates);
}

function rawPut(agent: Agent, port: number, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/',
        agent,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Logs_20140328.PutLogEvents', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export async function runPutLogEvents(o: { events: number; batch: number; concurrency: number; bytes: number; seed: number; sdk: boolean; url?: string; workDir: string }): Promise<ScenarioResult> {
  const started = new Date();
  const t0 = performance.now();
  const cmd = `npx tsx loadtest/put-log-events.ts --events ${o.events} --batch ${o.batch} --concurrency ${o.concurrency}${o.sdk ? ' --sdk' : ''}`;
  const streams = o.concurrency;
  const bodies = buildBodies(o.events, o.batch, streams, o.bytes, o.seed, Date.now() - 3_600_000);
  const payloadBytes = bodies.reduce((n, b) => n + b.body.length, 0);
  log(`${bodies.length} bodies, ${(payloadBytes / 2 ** 20).toFixed(1)} MiB; JSON.parse reference…`);
  const parseRate = parseReference(bodies);
  const pathRate = logsPathReference(bodies);

  const server: Pick<LookoutServer, 'baseUrl' | 'port' | 'pid' | 'client' | 'stop'> = o.url ? externalServer(o.url) : await startServer({ dataDir: join(o.workDir, 'data'), logDir: join(o.workDir, 'logs') });
  const client = new CloudWatchLogsClient({ endpoint: server.baseUrl, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, maxAttempts: 1 });
  await client.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
  for (let s = 0; s < streams; s++) await client.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: `worker-${s}` }));
  // Parsed inputs for the SDK path (it serialises them itself).
  const inputs = o.sdk ? bodies.map((b) => JSON.parse(b.body)) : [];

  log(`putting ${o.events.toLocaleString('en-US')} events with ${o.concurrency} calls in flight (${o.sdk ? 'SDK' : 'raw HTTP'})…`);
  const agent = new Agent({ keepAlive: true, maxSockets: o.concurrency });
  const latencies: number[] = [];
  const acks: Ack[] = [];
  const failures: string[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: o.concurrency }, async () => {
      for (;;) {
        const k = next++;
        if (k >= bodies.length) return;
        const c0 = performance.now();
        if (o.sdk) {
          const out = await client.send(new PutLogEventsCommand(inputs[k])).catch((err: Error) => ({ error: err.message }));
          if ('error' in out) failures.push(String(out.error));
          else if (out.rejectedLogEventsInfo) failures.push(JSON.stringify(out.rejectedLogEventsInfo));
        } else {
          const res = await rawPut(agent, server.port, bodies[k]!.body);
          if (res.status !== 200 || res.text.includes('rejectedLogEventsInfo')) failures.push(`${res.status} ${res.text.slice(0, 200)}`);
        }
        const c1 = performance.now();
        latencies.push(c1 - c0);
        acks.push({ at: c1, items: bodies[k]!.count });
      }
    }),
  );
  const elapsed = performance.now() - start;
  const rate = (o.events * 1000) / elapsed;
  const sustained = sustainedRate(acks, MAX_BACKLOG_DOCS);
  const rss = server.pid ? rssOf(server.pid) : undefined;
  await server.client.send('POST', '/cwl-*/_refresh');
  const count = JSON.parse((await server.client.send('POST', '/cwl-*/_count', JSON.stringify({ query: { term: { logGroup: GROUP } } }))).body).count as number;
  agent.destroy();
  client.destroy();
  await server.stop('SIGTERM');

  const problem = failures.length > 0 ? `${failures.length} failed calls: ${failures[0]}` : count !== o.events ? `${count} of ${o.events} events stored` : undefined;
  const figures: Figure[] = [
    {
      id: 'logs.put_log_events.sustained_events_per_s',
      label: `PutLogEvents ingest, sustained (${o.batch}-event batches, ${o.concurrency} in flight${o.sdk ? ', SDK' : ''}; events after the first ${MAX_BACKLOG_DOCS.toLocaleString('en-US')})`,
      measured: sustained,
      unit: 'events/s',
      target: { op: '>=', value: 50_000 },
      reference: { label: 'JSON.parse of the same request bodies', value: parseRate, unit: 'events/s' },
      command: cmd,
      ...(problem ? { problem } : Number.isNaN(sustained) ? { problem: `run not longer than the engine's backlog (${MAX_BACKLOG_DOCS} events)` } : {}),
    },
    {
      id: 'logs.put_log_events.events_per_s',
      label: `PutLogEvents ingest, whole run (the first ${MAX_BACKLOG_DOCS.toLocaleString('en-US')} events may be taken faster than they are indexed)`,
      measured: rate,
      unit: 'events/s',
      reference: { label: 'JSON.parse of the same request bodies', value: parseRate, unit: 'events/s' },
      command: cmd,
    },
    {
      id: 'logs.put_log_events.prepare_events_per_s',
      label: 'PutLogEvents work without the engine (parse, rules, ids, documents, stringify)',
      measured: pathRate,
      unit: 'events/s',
      reference: { label: 'JSON.parse of the same request bodies', value: parseRate, unit: 'events/s' },
      command: cmd,
    },
    {
      id: 'logs.put_log_events.call_p50',
      label: 'PutLogEvents call latency p50',
      measured: percentiles(latencies).p50,
      unit: 'ms',
      reference: { label: 'JSON.parse of one body', value: (o.batch / parseRate) * 1000, unit: 'ms' },
      command: cmd,
    },
  ];
  return {
    scenario: 'put-log-events',
    startedAt: started.toISOString(),
    durationMs: performance.now() - t0,
    machine: machineInfo(),
    params: { events: o.events, batch: o.batch, concurrency: o.concurrency, messageBytes: o.bytes, seed: o.seed, sdk: o.sdk },
    figures,
    details: { elapsedMs: elapsed, payloadBytes, storedEvents: count, failures: failures.slice(0, 5), callMs: percentiles(latencies), rssAfterIngest: rss, jsonParseEventsPerSec: parseRate, logsPathEventsPerSec: pathRate },
  };
}

/** A server started elsewhere: not stopped, RSS unknown unless it runs on this machine's pid list. */
function externalServer(url: string): Pick<LookoutServer, 'baseUrl' | 'port' | 'pid' | 'client' | 'stop'> {
  const client = makeClient(url, 1);
  return { baseUrl: url, port: Number(new URL(url).port), pid: 0, client, stop: async () => (client.close(), 0) };
}

/** The most events of `bytes`-byte messages one call may carry: ≤ 10,000 and Σ(bytes + 26) ≤ 1 MiB. */
function maxBatch(bytes: number): number {
  return Math.min(10_000, Math.floor(1_048_576 / (bytes + 26)));
}

async function main(): Promise<void> {
  const f = parseFlags();
  const workDir = f.opt('work-dir') ?? mkdtempSync(join(tmpdir(), 'lookout-cwl-'));
  const result = await runPutLogEvents({
    events: f.num('events', 600_000),
    batch: f.num('batch', maxBatch(f.num('message-bytes', 200))),
    concurrency: f.num('concurrency', 3),
    bytes: f.num('message-bytes', 200),
    seed: f.num('seed', 20250107),
    sdk: f.bool('sdk'),
    url: f.opt('url'),
    workDir,
  });
  writeResults(result);
  if (!f.bool('keep') && !f.opt('work-dir')) rmSync(workDir, { recursive: true, force: true });
  else console.log(`work dir kept: ${workDir}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
