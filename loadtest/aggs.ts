// Aggregation latency: terms(service), hourly date_histogram + avg(latency_ms), cardinality(host),
// percentiles(latency_ms), over all docs and under a `match` selecting ~10% of them; p50 over ≥50
// requests each, beside plain typed-array loops over the same columns in-process, same run.
//
//   npx tsx loadtest/aggs.ts [--data-dir DIR | --docs 1000000] [--requests 50] [--warmup 5]
//        [--max-seconds 120] [--seed S] [--request-cache]

import { rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { DEFAULT_SEED, START_TIME_MS, hostNames, makeGenerator, serviceNames, wordSelecting } from './generate.ts';
import { parseFlags } from './lib/args.ts';
import { serverWithLogs } from './lib/fixture.ts';
import { timeLoop } from './lib/measure.ts';
import { machineInfo, writeResults, type Figure, type ScenarioResult } from './lib/results.ts';
import { runSeries, seriesProblem, type SeriesResult } from './lib/series.ts';

/** Options of the aggregation scenario. */
export interface AggsOptions {
  dataDir?: string;
  workDir?: string;
  docs: number;
  seed: number;
  requests: number;
  warmup: number;
  maxSeconds: number;
  index: string;
  /** Leave OpenSearch's shard request cache on (default: `request_cache=false`, so work is measured). */
  requestCache: boolean;
}

/** The columns the aggregations read, as typed arrays, plus the ids matching the ~10% word. */
export interface Columns {
  service: Uint8Array;
  host: Uint8Array;
  timestamp: Float64Array;
  latency: Float64Array;
  /** Doc ids whose message contains the ~10% word. */
  selected: Uint32Array;
}

/** Build the columns from the generator (the same documents the server holds). */
export function buildColumns(docs: number, seed: number, word: string): Columns {
  const gen = makeGenerator(seed, docs);
  const serviceOrd = new Map(serviceNames().map((s, k) => [s, k]));
  const hostOrd = new Map(hostNames().map((h, k) => [h, k]));
  const c: Columns = {
    service: new Uint8Array(docs),
    host: new Uint8Array(docs),
    timestamp: new Float64Array(docs),
    latency: new Float64Array(docs),
    selected: new Uint32Array(0),
  };
  const selected: number[] = [];
  const re = new RegExp(`(^|[^a-z0-9])${word}([^a-z0-9]|$)`, 'i');
  for (let i = 0; i < docs; i++) {
    const d = gen.doc(i);
    c.service[i] = serviceOrd.get(d.service)!;
    c.host[i] = hostOrd.get(d.host)!;
    c.timestamp[i] = Date.parse(d['@timestamp']);
    c.latency[i] = d.latency_ms;
    if (re.test(d.message)) selected.push(i);
  }
  c.selected = Uint32Array.from(selected);
  return c;
}

/**
 * In-process reference loops over the columns (all docs, or only the doc ids in `ids`); each returns a
 * checksum so the work cannot be optimised away. Written out per case so each loop stays monomorphic.
 */
export function referenceLoops(c: Columns, ids?: Uint32Array): Record<'terms' | 'date_histogram_avg' | 'cardinality' | 'percentiles', () => number> {
  const { service, host, timestamp, latency } = c;
  const n = ids ? ids.length : service.length;
  const bucketOf = (v: number): number => Math.min(2047, Math.max(0, Math.floor(Math.log(v + 1e-3) * 100) + 700));
  return {
    terms: () => {
      const counts = new Int32Array(20);
      if (ids) for (let k = 0; k < n; k++) counts[service[ids[k]!]!]!++;
      else for (let i = 0; i < n; i++) counts[service[i]!]!++;
      return Array.from(counts).sort((a, b) => b - a).slice(0, 10).reduce((a, b) => a + b, 0);
    },
    date_histogram_avg: () => {
      const counts = new Float64Array(168);
      const sums = new Float64Array(168);
      if (ids) {
        for (let k = 0; k < n; k++) {
          const i = ids[k]!;
          const b = Math.floor((timestamp[i]! - START_TIME_MS) / 3_600_000);
          counts[b]!++;
          sums[b]! += latency[i]!;
        }
      } else {
        for (let i = 0; i < n; i++) {
          const b = Math.floor((timestamp[i]! - START_TIME_MS) / 3_600_000);
          counts[b]!++;
          sums[b]! += latency[i]!;
        }
      }
      let check = 0;
      for (let b = 0; b < 168; b++) if (counts[b]) check += sums[b]! / counts[b]!;
      return check;
    },
    cardinality: () => {
      const seen = new Uint8Array(256);
      if (ids) for (let k = 0; k < n; k++) seen[host[ids[k]!]!] = 1;
      else for (let i = 0; i < n; i++) seen[host[i]!] = 1;
      let distinct = 0;
      for (let h = 0; h < 256; h++) distinct += seen[h]!;
      return distinct;
    },
    // A log-scale histogram (1% wide buckets) then a cumulative walk: the O(n) shape of a digest.
    percentiles: () => {
      const buckets = new Int32Array(2048);
      if (ids) for (let k = 0; k < n; k++) buckets[bucketOf(latency[ids[k]!]!)]!++;
      else for (let i = 0; i < n; i++) buckets[bucketOf(latency[i]!)]!++;
      const wanted = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];
      let acc = 0;
      let q = 0;
      let check = 0;
      for (let b = 0; b < 2048 && q < wanted.length; b++) {
        acc += buckets[b]!;
        while (q < wanted.length && acc >= wanted[q]! * n) {
          check += Math.exp((b - 700) / 100);
          q++;
        }
      }
      return check;
    },
  };
}

/** Aggregation request bodies, optionally under a `match` on message. */
export function aggBodies(word?: string): Record<'terms' | 'date_histogram_avg' | 'cardinality' | 'percentiles', object> {
  const query = word ? { query: { match: { message: word } } } : {};
  return {
    terms: { size: 0, ...query, aggs: { by_service: { terms: { field: 'service', size: 10 } } } },
    date_histogram_avg: {
      size: 0,
      ...query,
      aggs: { per_hour: { date_histogram: { field: '@timestamp', fixed_interval: '1h' }, aggs: { avg_latency: { avg: { field: 'latency_ms' } } } } },
    },
    cardinality: { size: 0, ...query, aggs: { hosts: { cardinality: { field: 'host' } } } },
    percentiles: { size: 0, ...query, aggs: { latency: { percentiles: { field: 'latency_ms' } } } },
  };
}

const TARGETS: Record<string, number> = { terms: 15, date_histogram_avg: 30, cardinality: 20, percentiles: 40 };
const LABELS: Record<string, string> = {
  terms: 'terms on service (size 10)',
  date_histogram_avg: 'hourly date_histogram + avg(latency_ms)',
  cardinality: 'cardinality of host',
  percentiles: 'percentiles of latency_ms',
};

const log = (msg: string): void => void process.stderr.write(`[aggs] ${msg}\n`);

/** Compare a first reply with the in-process columns; returns notes (empty when everything agrees). */
function checkReply(name: string, reply: any, c: Columns, ids: Uint32Array | undefined): string[] {
  const notes: string[] = [];
  const n = ids ? ids.length : c.service.length;
  const total = typeof reply?.hits?.total === 'number' ? reply.hits.total : reply?.hits?.total?.value;
  if (ids && total !== undefined && total !== n && !(total === 10_000 && n > 10_000)) notes.push(`hits.total ${total}, expected ${n}`);
  const aggs = reply?.aggregations ?? {};
  if (name === 'terms') {
    const counts = new Map<string, number>();
    for (let k = 0; k < n; k++) {
      const s = serviceNames()[c.service[ids ? ids[k]! : k]!]!;
      counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    for (const b of aggs.by_service?.buckets ?? []) if (counts.get(b.key) !== b.doc_count) notes.push(`bucket ${b.key}: ${b.doc_count}, expected ${counts.get(b.key)}`);
    if (!aggs.by_service?.buckets?.length) notes.push('no terms buckets');
  } else if (name === 'cardinality') {
    const distinct = new Set<number>();
    for (let k = 0; k < n; k++) distinct.add(c.host[ids ? ids[k]! : k]!);
    if (aggs.hosts?.value !== distinct.size) notes.push(`cardinality ${aggs.hosts?.value}, exact ${distinct.size}`);
  } else if (name === 'date_histogram_avg') {
    const buckets: { doc_count: number }[] = aggs.per_hour?.buckets ?? [];
    const sum = buckets.reduce((a, b) => a + b.doc_count, 0);
    if (sum !== n) notes.push(`histogram doc_count sum ${sum}, expected ${n}`);
  } else if (name === 'percentiles') {
    if (!aggs.latency?.values) notes.push('no percentile values');
  }
  return notes.slice(0, 5);
}

/** Run the scenario; the server is stopped at the end. */
export async function runAggs(o: AggsOptions): Promise<ScenarioResult> {
  const started = new Date();
  const t0 = performance.now();
  const { server, docs, workDir, ingested } = await serverWithLogs({ ...o, log });
  const cmd = o.dataDir ? `npx tsx loadtest/aggs.ts --data-dir <bulk-ingest data dir>` : `npx tsx loadtest/aggs.ts --docs ${o.docs}`;
  const qs = o.requestCache ? '' : '?request_cache=false';
  try {
    const ten = wordSelecting(0.1);
    log(`${docs.toLocaleString('en-US')} docs; building columns in-process (10% word "${ten.word}")…`);
    const columns = buildColumns(docs, o.seed, ten.word);
    const figures: Figure[] = [];
    const series: Record<string, SeriesResult> = {};
    const references: Record<string, number> = {};
    const checks: Record<string, string[]> = {};
    for (const filtered of [false, true]) {
      const ids = filtered ? columns.selected : undefined;
      const loops = referenceLoops(columns, ids);
      const bodies = aggBodies(filtered ? ten.word : undefined);
      for (const name of Object.keys(bodies) as (keyof typeof bodies)[]) {
        const key = filtered ? `${name}_match10` : name;
        log(key);
        const refMs = timeLoop(loops[name]).medianMs;
        references[key] = refMs;
        const first = await server.client.send('POST', `/${o.index}/_search${qs}`, JSON.stringify(bodies[name]));
        checks[key] = first.status === 200 ? checkReply(name, JSON.parse(first.body), columns, ids) : [`${first.status}: ${first.body.slice(0, 300)}`];
        const r = await runSeries(server.client, {
          warmup: o.warmup,
          requests: o.requests,
          maxMs: o.maxSeconds * 1000,
          make: () => ({ method: 'POST', path: `/${o.index}/_search${qs}`, body: bodies[name] }),
        });
        series[key] = r;
        if (r.errors > 0) log(`  ${r.errors} errors, first: ${r.firstError}`);
        if (checks[key]!.length) log(`  check: ${checks[key]!.join('; ')}`);
        figures.push({
          id: `aggs.${key}.p50`,
          label: `${LABELS[name]}${filtered ? `, under match "${ten.word}" (~10%)` : ''}, p50`,
          measured: r.latency.p50,
          unit: 'ms',
          target: { op: '<=', value: filtered ? 15 : TARGETS[name]! },
          reference: { label: `typed-array loop over ${filtered ? `${columns.selected.length.toLocaleString('en-US')} selected` : `${docs.toLocaleString('en-US')}`} docs`, value: refMs, unit: 'ms' },
          command: cmd,
          problem: seriesProblem(r, o.requests) ?? (checks[key]!.length ? `wrong result: ${checks[key]![0]!.slice(0, 80)}` : undefined),
        });
      }
    }
    return {
      scenario: 'aggs',
      startedAt: started.toISOString(),
      durationMs: performance.now() - t0,
      machine: machineInfo(),
      params: { docs, ingestedHere: ingested, seed: o.seed, requests: o.requests, warmup: o.warmup, maxSeconds: o.maxSeconds, requestCache: o.requestCache, connections: 1, index: o.index },
      figures,
      details: {
        matchWord: { ...ten, selectedDocs: columns.selected.length, selectedFraction: columns.selected.length / docs },
        referenceLoopMs: references,
        checks,
        scenarios: Object.fromEntries(Object.entries(series).map(([k, r]) => [k, { ...r, hits: undefined }])),
      },
    };
  } finally {
    await server.stop();
    if (!o.workDir) rmSync(workDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const f = parseFlags();
  const result = await runAggs({
    dataDir: f.opt('data-dir'),
    workDir: f.opt('work-dir'),
    docs: f.num('docs', 1_000_000),
    seed: f.num('seed', DEFAULT_SEED),
    requests: f.num('requests', 50),
    warmup: f.num('warmup', 5),
    maxSeconds: f.num('max-seconds', 120),
    index: f.str('index', 'logs'),
    requestCache: f.bool('request-cache'),
  });
  writeResults(result);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
