// Getting generated documents into a server: the NDJSON file on disk, `_bulk` bodies cut from it
// (1,000 docs each by default), the `logs` index with its mappings, and a bounded concurrent sender.

import { closeSync, existsSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { LOGS_MAPPINGS, writeNdjson } from '../generate.ts';
import { makeClient, type HttpClient } from './http.ts';

/** Write (or reuse, when its sidecar says it matches) an NDJSON file of `docs` generated documents. */
export function ensureNdjson(path: string, docs: number, seed: number): { bytes: number; reused: boolean; ms: number } {
  const metaPath = `${path}.meta.json`;
  const meta = JSON.stringify({ docs, seed });
  if (existsSync(path) && existsSync(metaPath) && readFileSync(metaPath, 'utf8') === meta) {
    return { bytes: statSync(path).size, reused: true, ms: 0 };
  }
  const t0 = performance.now();
  const fd = openSync(path, 'w');
  const bytes = writeNdjson(fd, docs, seed);
  closeSync(fd);
  writeFileSync(metaPath, meta);
  return { bytes, reused: false, ms: performance.now() - t0 };
}

/** Offsets of each line's end ('\n') in an NDJSON buffer. */
export function lineEnds(buf: Buffer): Float64Array {
  let n = 0;
  for (let p = buf.indexOf(10); p >= 0; p = buf.indexOf(10, p + 1)) n++;
  const ends = new Float64Array(n);
  let k = 0;
  for (let p = buf.indexOf(10); p >= 0; p = buf.indexOf(10, p + 1)) ends[k++] = p;
  return ends;
}

const ACTION = Buffer.from('{"index":{}}\n');

/** `_bulk` bodies of `batch` documents each: an `index` action (auto id) before every source line. */
export function bulkBodies(buf: Buffer, ends: Float64Array, batch: number): { body: Buffer; docs: number }[] {
  const bodies: { body: Buffer; docs: number }[] = [];
  for (let first = 0; first < ends.length; first += batch) {
    const last = Math.min(first + batch, ends.length); // exclusive
    const start = first === 0 ? 0 : ends[first - 1]! + 1;
    const end = ends[last - 1]! + 1; // include the newline
    const docs = last - first;
    const body = Buffer.allocUnsafe(end - start + docs * ACTION.length);
    let out = 0;
    let lineStart = start;
    for (let d = first; d < last; d++) {
      out += ACTION.copy(body, out);
      out += buf.copy(body, out, lineStart, ends[d]! + 1);
      lineStart = ends[d]! + 1;
    }
    bodies.push({ body, docs });
  }
  return bodies;
}

/** Create the benchmark index with the log mappings (number_of_replicas 0, default durability). */
export async function createLogsIndex(client: HttpClient, index: string, shards?: number): Promise<void> {
  await client.send('DELETE', `/${index}`);
  await client.json('PUT', `/${index}`, {
    settings: { number_of_replicas: 0, ...(shards ? { number_of_shards: shards } : {}) },
    mappings: LOGS_MAPPINGS,
  });
}

/** One acknowledged `_bulk` request. */
export interface BulkSample {
  /** Completion time, milliseconds since the send loop began. */
  endMs: number;
  docs: number;
  ms: number;
}

/** Outcome of a bulk run. */
export interface BulkRun {
  elapsedMs: number;
  docs: number;
  samples: BulkSample[];
  /** Items reported as failed inside `errors: true` responses. */
  failedItems: number;
  /** First failure reason seen, if any. */
  firstError?: string;
}

/**
 * POST the bodies to `/<index>/_bulk?refresh=false` with `concurrency` requests in flight, each
 * on its own keep-alive socket. A non-200 reply aborts the run; item failures are counted.
 */
export async function sendBulk(baseUrl: string, index: string, bodies: { body: Buffer; docs: number }[], concurrency: number, onProgress?: (done: number) => void): Promise<BulkRun> {
  const client = makeClient(baseUrl, concurrency);
  const samples: BulkSample[] = [];
  let next = 0;
  let failedItems = 0;
  let firstError: string | undefined;
  let docsDone = 0;
  const t0 = performance.now();
  const worker = async (): Promise<void> => {
    while (next < bodies.length) {
      const { body, docs } = bodies[next++]!;
      const r = await client.send('POST', `/${index}/_bulk?refresh=false`, body, 'application/x-ndjson');
      if (r.status !== 200) throw new Error(`_bulk → ${r.status}: ${r.body.slice(0, 500)}`);
      // OpenSearch puts "errors" right after "took": check the head before paying for a full parse.
      if (!/"errors"\s*:\s*false/.test(r.body.slice(0, 200))) {
        const parsed = JSON.parse(r.body) as { errors?: boolean; items?: Record<string, { status: number; error?: unknown }>[] };
        for (const item of parsed.items ?? []) {
          const res = Object.values(item)[0];
          if (res && res.status >= 300) {
            failedItems++;
            firstError ??= JSON.stringify(res.error ?? res).slice(0, 500);
          }
        }
      }
      samples.push({ endMs: performance.now() - t0, docs, ms: r.ms });
      docsDone += docs;
      onProgress?.(docsDone);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    client.close();
  }
  return { elapsedMs: performance.now() - t0, docs: docsDone, samples, failedItems, firstError };
}

/** Docs/s in consecutive windows of `windowMs` (the last, partial window is dropped unless it is the only one). */
export function windowRates(samples: BulkSample[], windowMs: number): number[] {
  if (samples.length === 0) return [];
  const last = samples[samples.length - 1]!.endMs;
  const windows = Math.max(1, Math.floor(last / windowMs));
  const docs = new Float64Array(windows);
  for (const s of samples) {
    const w = Math.floor(s.endMs / windowMs);
    if (w < windows) docs[w]! += s.docs;
  }
  const span = windows === 1 && last < windowMs ? last : windowMs;
  return Array.from(docs, (d) => (d * 1000) / span);
}

/**
 * Fixture for scenarios that need a populated index but are not measuring ingest: generate (or
 * reuse) the NDJSON in `workDir`, create the index, send it with 3 requests in flight, refresh.
 */
export async function ingestFixture(client: HttpClient, baseUrl: string, index: string, docs: number, seed: number, workDir: string): Promise<void> {
  const path = `${workDir}/logs-${docs}-${seed}.ndjson`;
  ensureNdjson(path, docs, seed);
  const buf = readFileSync(path);
  await createLogsIndex(client, index);
  const run = await sendBulk(baseUrl, index, bulkBodies(buf, lineEnds(buf), 1000), 3);
  if (run.failedItems > 0) throw new Error(`fixture ingest: ${run.failedItems} items failed, e.g. ${run.firstError}`);
  await client.json('POST', `/${index}/_refresh`);
}
