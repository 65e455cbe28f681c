// Firehose deliveries: N deliveries of 500 generated ~1 KB JSON log records each, sent like Amazon Data
// Firehose sends them (base64 records in a JSON envelope, request-id headers) to `POST /_firehose/bench`
// with `--concurrency` in flight, durability `request` (every 200 waits for the translog fsync).
// Reports records/s and per-delivery latency beside two references measured in the same run on the same
// payloads: raw `JSON.parse` of the envelope + base64 decode + `JSON.parse` of every record, and
// Lookout's own record decoder (ingest/firehose/record-decoder.ts), both in-process on one core; and the
// same records sent through `_bulk` to the same server (what the engine sustains). The throughput
// figures are sustained rates: records acknowledged after the first MAX_BACKLOG_DOCS, which the engine
// may take faster than it indexes them (see `sustainedRate`); so a run is long, and its deliveries
// cycle through `--distinct` generated payloads, each time under a new request id (new records).
//
// Latency is measured twice, the two ways OpenSearch Benchmark measures it. At saturation (its
// "benchmarking mode": each of the `--concurrency` clients sends its next delivery as soon as the last
// is answered) a delivery's time is its service time, which at the engine's limit is set by Little's
// law (clients × records / throughput: the pacer makes writers wait their share of the build time).
// At the throughput target (its "throughput-throttled mode", `--target-rate` records/s): after the
// engine has caught up (`_refresh`, the merges left running finished, then a second's pause: see
// `mergesFinished`), the same clients send deliveries on a fixed schedule, each client's next when it
// is due or, if its last is still unanswered then, once that is answered; a delivery's latency
// counts from when it was due, so time a late answer holds the next one back is counted too (no
// coordinated omission). The p99 target applies to the latter.
//
//   npx tsx loadtest/firehose.ts [--deliveries 1200] [--distinct 200] [--records 500] [--concurrency 8] [--warmup 16] [--seed 42] [--gzip]
//        [--target-rate 40000] [--throttled-seconds 30]   (0 skips the throttled phase)
//        [--url http://127.0.0.1:9200]   (a running server, e.g. one started under `node --cpu-prof`)
//        [--dump-latencies FILE]   (each throttled delivery as a JSON line: when it was due and answered, on the
//        monotonic clock in µs as a server's `--cpu-prof` timestamps are, when it was due in epoch ms, and its
//        latency in ms)
//   LOOKOUT_BENCH_KEEP=1 keeps the work directory (the server's log, e.g. with
//   LOOKOUT_BENCH_NODE_FLAGS=--trace-gc, is in its logs/ folder).

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Agent, request } from 'node:http';
import { decodeRecords, idBaseFor } from '../ingest/firehose/record-decoder.ts';
import { parseFlags } from './lib/args.ts';
import { median, percentiles, rssOf, sustainedRate, type Ack } from './lib/measure.ts';
import { MAX_BACKLOG_DOCS } from '../index/shard/shard.ts';
import { logRecord, prng } from './lib/log-records.ts';
import { machineInfo, writeResults, type ScenarioResult } from './lib/results.ts';
import { startServer } from './lib/server.ts';

const flags = parseFlags();
const o = {
  deliveries: flags.num('deliveries', 1200),
  distinct: flags.num('distinct', 200),
  records: flags.num('records', 500),
  concurrency: flags.num('concurrency', 8),
  warmup: flags.num('warmup', 16),
  seed: flags.num('seed', 42),
  gzip: flags.bool('gzip'),
  targetRate: flags.num('target-rate', 40_000),
  throttledSeconds: flags.num('throttled-seconds', 30),
  dumpLatencies: flags.str('dump-latencies', ''),
};
const log = (msg: string): void => void process.stderr.write(`[firehose] ${msg}\n`);

interface Payload {
  requestId: string;
  /** The uncompressed JSON envelope. */
  json: string;
  /** `json` after its `requestId` member: a delivery of the same records under another request id is `{"requestId":"…"` + this. */
  rest: Buffer;
}

/** The body of a delivery of `p`'s records under `requestId` (a new id makes them new records). */
function bodyOf(p: Payload, requestId: string): Buffer {
  if (o.gzip) return gzipSync(p.json.replace(p.requestId, requestId));
  return Buffer.concat([Buffer.from(`{"requestId":"${requestId}"`), p.rest]);
}

/**
 * Waits until no merge runs (`_stats` `merges.current` is 0 for 1.5 s: across a tick of the engine's
 * once-a-second upkeep, which starts the next merge) and returns how long that took (ms).
 */
async function mergesFinished(url: URL | string): Promise<number> {
  const start = performance.now();
  let idleSince = start;
  while (performance.now() - start < 300_000) {
    const r = await fetch(new URL('/_stats/merge?level=cluster', url));
    // A server without `_stats` (an older build, given with --url): nothing to wait for.
    const current = r.status === 200 ? ((await r.json()) as { _all: { total: { merges: { current: number } } } })._all.total.merges.current : 0;
    const now = performance.now();
    if (current > 0) idleSince = now;
    else if (now - idleSince >= 1500) return idleSince - start;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return performance.now() - start;
}

function payloads(): { list: Payload[]; recordBytes: number } {
  const rand = prng(o.seed);
  const t0 = Date.parse('2024-01-01T00:00:00Z');
  const list: Payload[] = [];
  let recordBytes = 0;
  for (let d = 0; d < Math.min(o.distinct, o.deliveries); d++) {
    const records = [];
    for (let r = 0; r < o.records; r++) {
      const rec = JSON.stringify(logRecord(rand, d * o.records + r, t0));
      recordBytes += rec.length;
      records.push({ data: Buffer.from(rec).toString('base64') });
    }
    const requestId = randomUUID();
    const json = JSON.stringify({ requestId, timestamp: t0 + d * 1000, records });
    const head = `{"requestId":"${requestId}"`;
    list.push({ requestId, json, rest: Buffer.from(json.slice(head.length)) });
  }
  return { list, recordBytes };
}

/** Reference 1: JSON.parse of the envelope, base64 decode and JSON.parse of every record (records/s). */
function rawReference(list: Payload[]): number {
  const rates: number[] = [];
  let sink = 0;
  for (let run = 0; run < 3; run++) {
    const t = performance.now();
    for (const p of list) {
      const env = JSON.parse(p.json) as { records: { data: string }[] };
      for (const r of env.records) sink += (JSON.parse(Buffer.from(r.data, 'base64').toString('utf8')) as { status: number }).status;
    }
    rates.push((list.length * o.records) / ((performance.now() - t) / 1000));
  }
  if (sink === -1) log(String(sink));
  return median(rates);
}

/** Reference 2: the same through Lookout's decoder (envelope parse + decodeRecords), records/s. */
function decoderReference(list: Payload[]): number {
  const rates: number[] = [];
  let sink = 0;
  for (let run = 0; run < 3; run++) {
    const t = performance.now();
    for (const p of list) {
      const env = JSON.parse(p.json) as { requestId: string; timestamp: number; records: unknown[] };
      const out = decodeRecords(env.records, {
        idBase: idBaseFor(env.requestId), deliveryMs: env.timestamp, recordIndex: 'bench', explicitIndex: false, format: 'auto', commonAttributes: { env: 'bench' }, maxRecordBytes: 1 << 26,
      });
      sink += out.docs.length;
    }
    rates.push((list.length * o.records) / ((performance.now() - t) / 1000));
  }
  if (sink === -1) log(String(sink));
  return median(rates);
}

async function main(): Promise<void> {
  const started = new Date();
  log(`generating ${o.deliveries} deliveries × ${o.records} records (seed ${o.seed})`);
  const { list, recordBytes } = payloads();
  const workDir = mkdtempSync(join(tmpdir(), 'lookout-bench-firehose-'));
  const target = flags.opt('url');
  const server = target ? undefined : await startServer({ dataDir: join(workDir, 'data') });
  const url = new URL(target ?? server!.baseUrl);
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') throw new Error('benchmarks only talk to 127.0.0.1');
  const agent = new Agent({ keepAlive: true, maxSockets: o.concurrency });
  // Delivery k carries the records of payload k mod `distinct` under a request id of its own.
  const send = (p: Payload): Promise<{ status: number; ms: number; body: string }> => {
    const requestId = randomUUID();
    const body = bodyOf(p, requestId);
    return new Promise((resolve, reject) => {
      const t = performance.now();
      const headers: Record<string, string | number> = {
        'content-type': 'application/json', 'content-length': body.length, 'x-amz-firehose-protocol-version': '1.0',
        'x-amz-firehose-request-id': requestId, 'x-amz-firehose-source-arn': 'arn:aws:firehose:us-east-1:123456789012:deliverystream/bench',
      };
      if (o.gzip) headers['content-encoding'] = 'gzip';
      const req = request({ host: url.hostname, port: url.port, method: 'POST', path: '/_firehose/bench', agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  };

  // Warm-up, not counted: the first deliveries after a start run while V8 still compiles the ingest
  // path and the index is created; at 8 in flight the first ~10 took 200-280 ms against 75 ms later.
  // A Firehose stream delivers to a server that has been up, so its steady state is what is measured;
  // `--warmup 0` shows the cold start.
  const warm = Array.from({ length: o.warmup }, (_, i) => list[i % list.length]!);
  let nextWarm = 0;
  const warmLatencies: number[] = [];
  await Promise.all(Array.from({ length: o.concurrency }, async () => {
    while (nextWarm < warm.length) warmLatencies.push((await send(warm[nextWarm++])).ms);
  }));

  log(`sending ${o.deliveries} deliveries with ${o.concurrency} in flight`);
  const latencies: number[] = [];
  const acks: Ack[] = [];
  const errors: string[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: o.concurrency }, async () => {
    while (next < o.deliveries) {
      const p = list[next++ % list.length]!;
      const r = await send(p);
      if (r.status !== 200) errors.push(`${r.status} ${r.body.slice(0, 200)}`);
      latencies.push(r.ms);
      acks.push({ at: performance.now(), items: o.records });
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  const rss = server ? rssOf(server.pid) : { rssBytes: 0 };
  const recordsPerSec = (o.deliveries * o.records) / seconds;
  const sustained = sustainedRate(acks, MAX_BACKLOG_DOCS);

  // Reference 3: the same records as `_bulk` requests of the same size and concurrency, same server:
  // what the engine itself sustains, so the Firehose figure can be read as a fraction of it.
  log(`sending the same records through _bulk`);
  const bulkBodies = list.map((p) => {
    const env = JSON.parse(p.json) as { records: { data: string }[] };
    return Buffer.from(env.records.map((r) => `{"index":{"_index":"bench-bulk"}}\n${Buffer.from(r.data, 'base64').toString('utf8')}\n`).join(''));
  });
  const sendBulk = (body: Buffer): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, method: 'POST', path: '/_bulk', agent, headers: { 'content-type': 'application/x-ndjson', 'content-length': body.length } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(body);
    });
  let nextBulk = 0;
  const bulkAcks: Ack[] = [];
  await Promise.all(Array.from({ length: o.concurrency }, async () => {
    while (nextBulk < o.deliveries) {
      const status = await sendBulk(bulkBodies[nextBulk++ % bulkBodies.length]!);
      if (status !== 200) errors.push(`_bulk ${status}`);
      bulkAcks.push({ at: performance.now(), items: o.records });
    }
  }));
  const bulkPerSec = sustainedRate(bulkAcks, MAX_BACKLOG_DOCS);
  const lat = percentiles(latencies);

  // Throughput-throttled: delivery k is due `k × records / targetRate` s after the start; client i
  // sends deliveries i, i + concurrency, … each when due (or when its last is answered, if later).
  let throttled: { lat: ReturnType<typeof percentiles>; rate: number } | undefined;
  let mergeWaitMs = 0;
  if (o.targetRate > 0 && o.throttledSeconds > 0) {
    const refresh = await fetch(new URL('/_refresh', url), { method: 'POST' });
    if (refresh.status !== 200) errors.push(`_refresh ${refresh.status}`);
    // The phase measures a sustained load, not the tail of the last one: the merges the saturated
    // phases left are waited for, as Rally's wait-until-merges-finish does between tasks, and then a
    // second for what an engine does when writes pause (after a big merge, a full collection runs
    // 250 ms into a pause). Merges the phase's own segments need still run during it.
    mergeWaitMs = await mergesFinished(url);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const count = Math.round((o.throttledSeconds * o.targetRate) / o.records);
    const interval = (o.records / o.targetRate) * 1000;
    log(`merges finished after ${(mergeWaitMs / 1000).toFixed(1)} s; sending ${count} deliveries at ${o.targetRate} records/s (one every ${interval.toFixed(1)} ms, ${o.concurrency} clients)`);
    const ends: number[] = [];
    const throttledLatencies: number[] = [];
    const dump: string[] = [];
    // performance.now() → the monotonic clock in µs (what V8's CPU profiles stamp samples with).
    const monoOffsetUs = Number(process.hrtime.bigint() / 1000n) - performance.now() * 1000;
    const start = performance.now() + 50;
    await Promise.all(Array.from({ length: o.concurrency }, async (_, client) => {
      for (let k = client; k < count; k += o.concurrency) {
        const at = start + k * interval;
        const wait = at - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const r = await send(list[k % list.length]!);
        if (r.status !== 200) errors.push(`${r.status} ${r.body.slice(0, 200)}`);
        const end = performance.now();
        throttledLatencies.push(end - at);
        ends.push(end);
        if (o.dumpLatencies) dump.push(JSON.stringify({ k, dueUs: Math.round(monoOffsetUs + at * 1000), endUs: Math.round(monoOffsetUs + end * 1000), dueEpochMs: performance.timeOrigin + at, ms: end - at }));
      }
    }));
    if (o.dumpLatencies) writeFileSync(o.dumpLatencies, dump.join('\n') + '\n');
    throttled = { lat: percentiles(throttledLatencies), rate: (count * o.records) / ((Math.max(...ends) - start) / 1000) };
  }
  log(`measuring references in-process`);
  const raw = rawReference(list);
  const decoder = decoderReference(list);
  agent.destroy();
  await server?.stop();
  if (!process.env.LOOKOUT_BENCH_KEEP) rmSync(workDir, { recursive: true, force: true });

  const command = `npx tsx loadtest/firehose.ts --deliveries ${o.deliveries} --distinct ${o.distinct} --records ${o.records} --concurrency ${o.concurrency} --warmup ${o.warmup} --target-rate ${o.targetRate} --throttled-seconds ${o.throttledSeconds}${o.gzip ? ' --gzip' : ''}`;
  const problem = errors.length > 0 ? `${errors.length} deliveries failed, first: ${errors[0]}` : undefined;
  const tooShort = Number.isNaN(sustained) ? `run not longer than the engine's backlog (${MAX_BACKLOG_DOCS} records)` : undefined;
  const result: ScenarioResult = {
    scenario: 'firehose',
    startedAt: started.toISOString(),
    durationMs: Date.now() - started.getTime(),
    machine: machineInfo(),
    params: { ...o, avgRecordBytes: Math.round(recordBytes / (list.length * o.records)), avgBodyBytes: Math.round(list.reduce((n, p) => n + p.json.length, 0) / list.length) },
    figures: [
      { id: 'firehose.sustained_records_per_sec', label: `Firehose records/s, sustained (500-record deliveries, fsync on; records after the first ${MAX_BACKLOG_DOCS.toLocaleString('en-US')})`, measured: sustained, unit: 'records/s', target: { op: '>=', value: 40_000 }, reference: { label: 'JSON.parse + base64 decode of the same payloads', value: raw, unit: 'records/s' }, command, problem: problem ?? tooShort },
      { id: 'firehose.records_per_sec', label: `Firehose records/s, whole run (the first ${MAX_BACKLOG_DOCS.toLocaleString('en-US')} records may be taken faster than they are indexed)`, measured: recordsPerSec, unit: 'records/s', reference: { label: 'JSON.parse + base64 decode of the same payloads', value: raw, unit: 'records/s' }, command },
      { id: 'firehose.vs_bulk', label: 'Firehose sustained records/s as a share of _bulk of the same records', measured: sustained / bulkPerSec, unit: '×', reference: { label: '_bulk of the same records, sustained (500 per request, same concurrency, same server)', value: bulkPerSec, unit: 'docs/s' }, command },
      { id: 'firehose.decoder_records_per_sec', label: 'record decoder alone, in-process', measured: decoder, unit: 'records/s', reference: { label: 'JSON.parse + base64 decode of the same payloads', value: raw, unit: 'records/s' }, command },
      { id: 'firehose.latency.p50', label: `delivery service time p50 at saturation (${o.concurrency} clients back to back)`, measured: lat.p50, unit: 'ms', command, problem },
      { id: 'firehose.latency.p99', label: `delivery service time p99 at saturation (${o.concurrency} clients back to back)`, measured: lat.p99, unit: 'ms', command, problem },
      ...(throttled ? [
        { id: 'firehose.throttled.records_per_sec', label: `records/s acknowledged in the throttled phase (${o.targetRate.toLocaleString('en-US')} offered)`, measured: throttled.rate, unit: 'records/s', command, problem },
        { id: 'firehose.throttled.latency.p50', label: `delivery latency p50 at ${o.targetRate.toLocaleString('en-US')} records/s (from when each was due)`, measured: throttled.lat.p50, unit: 'ms', command, problem },
        { id: 'firehose.throttled.latency.p99', label: `delivery latency p99 at ${o.targetRate.toLocaleString('en-US')} records/s (from when each was due)`, measured: throttled.lat.p99, unit: 'ms', target: { op: '<=' as const, value: 150 }, command, problem },
      ] : []),
      ...(warmLatencies.length > 0 ? [{ id: 'firehose.latency.warmup_max', label: `slowest of the ${warmLatencies.length} warm-up deliveries (cold start, not counted)`, measured: Math.max(...warmLatencies), unit: 'ms', command }] : []),
    ],
    details: { latency: lat, throttledLatency: throttled?.lat, mergeWaitMs: Math.round(mergeWaitMs), seconds, rssBytes: rss.rssBytes, errors: errors.slice(0, 5) },
  };
  writeResults(result);
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
