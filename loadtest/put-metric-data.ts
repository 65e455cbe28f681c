// PutMetricData throughput over HTTP: batches of 1,000 datapoints (awsJson 1.0, as the current SDK sends
// them; `--gzip` compresses like the SDK does for bodies ≥ 10 KiB) into a real server process, each
// request acknowledged only after the translog fsync. Printed beside JSON.parse throughput of the same
// bodies measured in the same run. The figure is the sustained rate: datapoints acknowledged after the
// first MAX_BACKLOG_DOCS (which the engine may take faster than it indexes them, see sustainedRate),
// with the whole run's rate beside it.
//
//   npx tsx loadtest/put-metric-data.ts [--datapoints 800000] [--batch 1000] [--concurrency 4] [--metrics 100] [--gzip] [--work-dir DIR] [--url http://127.0.0.1:PORT]

import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { parseFlags } from './lib/args.ts';
import { median, rssOf, sustainedRate, type Ack } from './lib/measure.ts';
import { MAX_BACKLOG_DOCS } from '../index/shard/shard.ts';
import { startServer } from './lib/server.ts';

/** Sends one CloudWatch awsJson call; resolves with status, body and round-trip ms. */
export function cloudWatchPost(agent: Agent, baseUrl: string, op: string, body: Buffer, gzip = false): Promise<{ status: number; body: string; ms: number }> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const headers: Record<string, string | number> = {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `GraniteServiceVersion20100801.${op}`,
      'x-amzn-query-mode': 'true',
      'content-length': body.length,
    };
    if (gzip) headers['content-encoding'] = 'gzip';
    const req = request({ host: url.hostname, port: url.port, method: 'POST', path: '/', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - t0 }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Deterministic PutMetricData bodies: `batches` × `batch` datums over `metrics` metrics, last hour. */
export function putBodies(batches: number, batch: number, metrics: number, now = Date.now()): Buffer[] {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const out: Buffer[] = [];
  for (let b = 0; b < batches; b++) {
    const MetricData = Array.from({ length: batch }, (_, i) => {
      const m = (b * batch + i) % metrics;
      return {
        MetricName: `metric_${m % 10}`,
        Dimensions: [{ Name: 'Host', Value: `host-${Math.floor(m / 10)}` }, { Name: 'Service', Value: 'api' }],
        Timestamp: Math.floor((now - rnd() * 3_600_000) / 1000),
        Value: Math.round(rnd() * 100_000) / 100,
        Unit: 'Milliseconds',
      };
    });
    out.push(Buffer.from(JSON.stringify({ Namespace: 'Bench', MetricData })));
  }
  return out;
}

/** JSON.parse throughput of the bodies (datapoints/s), median of `runs`. */
export function parseReference(bodies: Buffer[], perBody: number, runs = 5): number {
  const rates: number[] = [];
  let sink = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    for (const b of bodies) sink += (JSON.parse(b.toString('utf8')) as { MetricData: unknown[] }).MetricData.length;
    rates.push((bodies.length * perBody) / ((performance.now() - t0) / 1000));
  }
  if (sink === -1) console.log(sink);
  return median(rates);
}

async function main(): Promise<void> {
  const f = parseFlags();
  const datapoints = f.num('datapoints', 800_000);
  const batch = f.num('batch', 1000);
  const concurrency = f.num('concurrency', 4);
  const metrics = f.num('metrics', 100);
  const gzip = f.bool('gzip');
  const workDir = f.opt('work-dir') ?? mkdtempSync(join(tmpdir(), 'lookout-pmd-'));
  const batches = Math.ceil(datapoints / batch);
  const raw = putBodies(batches, batch, metrics);
  const bodies = gzip ? raw.map((b) => gzipSync(b)) : raw;
  const parseRate = parseReference(raw, batch);

  // `--url` targets an already running server (e.g. one started under --cpu-prof).
  const external = f.opt('url');
  const server = external
    ? { baseUrl: external, pid: process.pid, stop: async () => 0 }
    : await startServer({ dataDir: join(workDir, 'data') });
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  try {
    // Warm-up (JIT, template, first daily index), not measured.
    for (const b of putBodies(5, batch, metrics)) {
      const r = await cloudWatchPost(agent, server.baseUrl, 'PutMetricData', gzip ? gzipSync(b) : b, gzip);
      if (r.status !== 200) throw new Error(`warm-up failed: ${r.status} ${r.body}`);
    }
    const latencies: number[] = [];
    const acks: Ack[] = [];
    let next = 0;
    let failed = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++];
          const r = await cloudWatchPost(agent, server.baseUrl, 'PutMetricData', body, gzip);
          if (r.status !== 200) failed++;
          latencies.push(r.ms);
          acks.push({ at: performance.now(), items: batch });
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const wholeRun = (batches * batch) / seconds;
    const rate = sustainedRate(acks, MAX_BACKLOG_DOCS);
    if (Number.isNaN(rate)) throw new Error(`run not longer than the engine's backlog (${MAX_BACKLOG_DOCS} datapoints): raise --datapoints`);
    const result = {
      scenario: 'put-metric-data',
      datapoints: batches * batch,
      batch,
      concurrency,
      gzip,
      failedRequests: failed,
      datapointsPerSec: Math.round(rate),
      wholeRunDatapointsPerSec: Math.round(wholeRun),
      requestMsP50: Math.round(median(latencies) * 10) / 10,
      jsonParseDatapointsPerSec: Math.round(parseRate),
      ratioToJsonParse: Math.round((rate / parseRate) * 1000) / 1000,
      serverRssMiB: Math.round(rssOf(server.pid).rssBytes / 2 ** 20),
      target: '>= 100000 datapoints/s',
    };
    console.log(`PutMetricData: ${result.datapointsPerSec.toLocaleString('en-US')} datapoints/s sustained (after the first ${MAX_BACKLOG_DOCS.toLocaleString('en-US')}; whole run ${result.wholeRunDatapointsPerSec.toLocaleString('en-US')}) (p50 request ${result.requestMsP50} ms) | JSON.parse of the same bodies: ${result.jsonParseDatapointsPerSec.toLocaleString('en-US')} datapoints/s`);
    console.log(JSON.stringify(result));
  } finally {
    agent.destroy();
    await server.stop();
    if (!f.opt('work-dir')) rmSync(workDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
