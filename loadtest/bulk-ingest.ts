// Bulk ingest: N generated log documents over HTTP `_bulk` (1,000 per request, 2–4 in flight,
// refresh=false) into `logs` (0 replicas, durability `request`); docs/s, RSS, bytes on disk vs raw
// NDJSON, and restart-until-searchable (SIGTERM, optionally kill -9), beside same-run references.
//
//   npx tsx loadtest/bulk-ingest.ts [--docs 1000000] [--seed S] [--concurrency 3] [--batch 1000]
//        [--kill9] [--work-dir DIR] [--shards N] [--keep]

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_SEED } from './generate.ts';
import { parseFlags } from './lib/args.ts';
import { bulkBodies, createLogsIndex, ensureNdjson, lineEnds, sendBulk, windowRates } from './lib/bulk.ts';
import { diskUsage, formatBytes, median, percentiles, rssOf } from './lib/measure.ts';
import { machineInfo, writeResults, type Figure, type ScenarioResult } from './lib/results.ts';
import { startServer, waitForCount } from './lib/server.ts';

/** Options of the bulk-ingest scenario. */
export interface BulkIngestOptions {
  docs: number;
  seed: number;
  /** Documents per `_bulk` request. */
  batch: number;
  /** `_bulk` requests in flight. */
  concurrency: number;
  /** Folder for the NDJSON file, server logs and (unless `dataDir`) the data dir. */
  workDir: string;
  /** Server data dir (default `<workDir>/data`); left holding the index for search/aggs. */
  dataDir?: string;
  /** Also measure recovery after kill -9 (translog replay) before the clean restart. */
  kill9: boolean;
  shards?: number;
  index: string;
}

/** JSON.parse throughput of the NDJSON lines, in-process: docs/s, median of `runs`. */
export function jsonParseReference(buf: Buffer, ends: Float64Array, runs = 3): { docsPerSec: number; mbPerSec: number; runs: number[] } {
  const rates: number[] = [];
  let sink = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    let start = 0;
    for (let k = 0; k < ends.length; k++) {
      const doc = JSON.parse(buf.toString('utf8', start, ends[k]!)) as { status: number };
      sink += doc.status;
      start = ends[k]! + 1;
    }
    rates.push(ends.length / ((performance.now() - t0) / 1000));
  }
  if (sink === -1) console.log(sink);
  const docsPerSec = median(rates);
  return { docsPerSec, mbPerSec: (docsPerSec * (buf.length / ends.length)) / 1e6, runs: rates };
}

/**
 * CPU time (ms) the server process used so far: its main thread, all threads, and each thread by id
 * (Linux /proc; null elsewhere). The per-thread times show which thread (event loop, build and merge workers, GC helpers) is busy.
 */
function serverCpuMs(pid: number): { main: number; all: number; threads: Map<string, number> } | null {
  const ticks = (path: string): number => {
    const f = readFileSync(path, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) * 10; // utime + stime, in 10 ms clock ticks
  };
  try {
    const threads = new Map<string, number>();
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
        threads.set(`${name}#${tid}`, ticks(`/proc/${pid}/task/${tid}/stat`));
      } catch {
        // The thread ended between listing and reading.
      }
    }
    return { main: ticks(`/proc/${pid}/task/${pid}/stat`), all: ticks(`/proc/${pid}/stat`), threads };
  } catch {
    return null;
  }
}

/** The busiest threads between two samples, in µs of CPU per document (e.g. "node#123 25.1"). */
function busiestThreads(before: Map<string, number>, after: Map<string, number>, docs: number): string {
  return [...after]
    .map(([t, ms]) => [t, ((ms - (before.get(t) ?? 0)) * 1000) / docs] as const)
    .filter(([, us]) => us >= 0.5)
    .sort((a, b) => b[1] - a[1])
    .map(([t, us]) => `${t} ${us.toFixed(1)}`)
    .join(', ');
}

const log = (msg: string): void => void process.stderr.write(`[bulk-ingest] ${msg}\n`);

/** Run the scenario; the server is stopped at the end and the data dir keeps the ingested index. */
export async function runBulkIngest(o: BulkIngestOptions): Promise<ScenarioResult> {
  const started = new Date();
  const t0 = performance.now();
  mkdirSync(o.workDir, { recursive: true });
  const dataDir = o.dataDir ?? join(o.workDir, 'data');
  const ndjsonPath = join(o.workDir, `logs-${o.docs}-${o.seed}.ndjson`);
  const cmd = `npx tsx loadtest/bulk-ingest.ts --docs ${o.docs}${o.kill9 ? ' --kill9' : ''}`;

  log(`generating ${o.docs.toLocaleString('en-US')} docs → ${ndjsonPath}`);
  const gen = ensureNdjson(ndjsonPath, o.docs, o.seed);
  const buf = readFileSync(ndjsonPath);
  const ends = lineEnds(buf);
  const bodies = bulkBodies(buf, ends, o.batch);
  log(`${formatBytes(buf.length)} NDJSON (${(buf.length / ends.length).toFixed(0)} B/doc), ${bodies.length} bulk bodies; JSON.parse reference…`);
  const parseRef = jsonParseReference(buf, ends);

  // Reference for restart: the same server starting on an empty data dir.
  const emptyDir = mkdtempSync(join(o.workDir, 'empty-'));
  const empty = await startServer({ dataDir: emptyDir, logDir: join(o.workDir, 'logs') });
  const emptyStartMs = empty.readyMs;
  await empty.stop();
  rmSync(emptyDir, { recursive: true, force: true });

  let server = await startServer({ dataDir, logDir: join(o.workDir, 'logs') });
  await createLogsIndex(server.client, o.index, o.shards);
  log(`ingesting into ${server.baseUrl}/${o.index} with ${o.concurrency} concurrent requests…`);
  let reported = 0;
  const cpu0 = serverCpuMs(server.pid);
  const run = await sendBulk(server.baseUrl, o.index, bodies, o.concurrency, (done) => {
    if (done - reported >= o.docs / 10) {
      reported = done;
      log(`${done.toLocaleString('en-US')} docs`);
    }
  });
  const cpu1 = serverCpuMs(server.pid);
  const overall = (run.docs * 1000) / run.elapsedMs;
  // CPU per document is steadier than docs/s on a shared machine (it does not count time spent waiting for a core).
  const serverCpu = cpu0 && cpu1 ? { mainThreadUsPerDoc: ((cpu1.main - cpu0.main) * 1000) / run.docs, allThreadsUsPerDoc: ((cpu1.all - cpu0.all) * 1000) / run.docs } : undefined;
  // The slowest requests show event-loop stalls (merges, flushes) that a docs/s average hides.
  const reqMs = percentiles(run.samples.map((s) => s.ms));
  log(`_bulk request latency: p50 ${reqMs.p50.toFixed(0)} ms, p99 ${reqMs.p99.toFixed(0)} ms, max ${reqMs.max.toFixed(0)} ms`);
  if (serverCpu) log(`server CPU per doc during ingest: ${serverCpu.mainThreadUsPerDoc.toFixed(1)} µs main thread, ${serverCpu.allThreadsUsPerDoc.toFixed(1)} µs all threads`);
  if (cpu0 && cpu1) log(`server CPU per doc by thread: ${busiestThreads(cpu0.threads, cpu1.threads, run.docs)}`);
  const windows = windowRates(run.samples, 1000);
  const refresh = await server.client.json('POST', `/${o.index}/_refresh`);
  const countMs = await waitForCount(server.client, o.index, o.docs - run.failedItems, 60_000);
  const rss = rssOf(server.pid);
  const diskAfterIngest = await diskUsage(dataDir);

  let kill9: { untilSearchableMs: number; readyMs: number } | undefined;
  if (o.kill9) {
    log('kill -9 and restart…');
    await server.stop('SIGKILL');
    const r0 = performance.now();
    server = await startServer({ dataDir, logDir: join(o.workDir, 'logs') });
    await waitForCount(server.client, o.index, o.docs - run.failedItems);
    kill9 = { untilSearchableMs: performance.now() - r0, readyMs: server.readyMs };
  }

  const flush = await server.client.send('POST', `/${o.index}/_flush`);
  const diskAfterFlush = await diskUsage(dataDir);
  log('SIGTERM and restart…');
  const shutdownMs = await server.stop('SIGTERM');
  const r0 = performance.now();
  server = await startServer({ dataDir, logDir: join(o.workDir, 'logs') });
  await waitForCount(server.client, o.index, o.docs - run.failedItems);
  const restartMs = performance.now() - r0;
  const rssAfterRestart = rssOf(server.pid);
  await server.stop('SIGTERM');

  const rawMiB = buf.length / 2 ** 20;
  const ratio = diskAfterFlush.apparentBytes / buf.length;
  const restartRef = { label: 'empty data dir start until GET / 200', value: emptyStartMs, unit: 'ms' };
  const figures: Figure[] = [
    { id: 'bulk.docs_per_s', label: 'bulk ingest, overall', measured: overall, unit: 'docs/s', target: { op: '>=', value: 50_000 }, reference: { label: 'JSON.parse of the same lines', value: parseRef.docsPerSec, unit: 'docs/s' }, command: cmd },
    { id: 'bulk.docs_per_s_window_median', label: 'bulk ingest, median of 1 s windows', measured: median(windows), unit: 'docs/s', target: { op: '>=', value: 50_000 }, reference: { label: 'JSON.parse of the same lines', value: parseRef.docsPerSec, unit: 'docs/s' }, command: cmd },
    { id: 'bulk.rss_after_ingest', label: 'server RSS after ingest', measured: rss.rssBytes / 2 ** 20, unit: 'MiB', target: { op: '<=', value: 1536 }, reference: { label: 'raw NDJSON size', value: rawMiB, unit: 'MiB' }, command: cmd },
    { id: 'bulk.disk_ratio', label: 'bytes on disk / raw NDJSON (after _flush)', measured: ratio, unit: '×', target: { op: '<=', value: 0.6 }, reference: { label: 'raw NDJSON size', value: rawMiB, unit: 'MiB' }, command: cmd },
    { id: 'bulk.restart_until_searchable', label: 'restart (SIGTERM) until _count is full', measured: restartMs, unit: 'ms', target: { op: '<=', value: 5000 }, reference: restartRef, command: cmd },
  ];
  if (kill9) figures.push({ id: 'bulk.kill9_restart_until_searchable', label: 'restart after kill -9 until _count is full', measured: kill9.untilSearchableMs, unit: 'ms', target: { op: '<=', value: 5000 }, reference: restartRef, command: cmd });

  return {
    scenario: 'bulk-ingest',
    startedAt: started.toISOString(),
    durationMs: performance.now() - t0,
    machine: machineInfo(),
    params: { docs: o.docs, seed: o.seed, batch: o.batch, concurrency: o.concurrency, shards: o.shards ?? 'default', kill9: o.kill9, index: o.index },
    figures,
    details: {
      rawNdjsonBytes: buf.length,
      bytesPerDoc: buf.length / ends.length,
      generation: gen,
      jsonParseReference: parseRef,
      ingest: {
        elapsedMs: run.elapsedMs,
        docs: run.docs,
        failedItems: run.failedItems,
        firstError: run.firstError,
        docsPerSecOverall: overall,
        windowDocsPerSec: windows,
        requestMs: percentiles(run.samples.map((s) => s.ms)),
        serverCpu,
      },
      refreshMs: refresh.ms,
      countAfterRefreshWaitMs: countMs,
      rssAfterIngest: rss,
      diskAfterIngest,
      flushStatus: flush.status,
      diskAfterFlush,
      shutdownMs,
      restartUntilSearchableMs: restartMs,
      rssAfterRestart,
      kill9,
      emptyStartMs,
    },
  };
}

async function main(): Promise<void> {
  const f = parseFlags();
  const workDir = f.opt('work-dir') ?? mkdtempSync(join(tmpdir(), 'lookout-bulk-'));
  const result = await runBulkIngest({
    docs: f.num('docs', 1_000_000),
    seed: f.num('seed', DEFAULT_SEED),
    batch: f.num('batch', 1000),
    concurrency: f.num('concurrency', 3),
    workDir,
    dataDir: f.opt('data-dir'),
    kill9: f.bool('kill9'),
    shards: f.opt('shards') === undefined ? undefined : f.num('shards', 1),
    index: f.str('index', 'logs'),
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
