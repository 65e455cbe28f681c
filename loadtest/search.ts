// Query latency: `match` on message (Zipf-drawn words), `term` on service/host/level, and `bool`
// (match + date-range filter), top-10, sequential over one connection; p50/p90/p99 beside the same
// run's `GET /` round trip and an in-process typed-array loop.
//
//   npx tsx loadtest/search.ts [--data-dir DIR | --docs 1000000] [--requests 500] [--warmup 50]
//        [--max-seconds 120] [--seed S]

import { rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { DEFAULT_SEED, END_TIME_MS, Rng, START_TIME_MS, makeFieldSampler, makeQueryWordSampler } from './generate.ts';
import { parseFlags } from './lib/args.ts';
import { serverWithLogs } from './lib/fixture.ts';
import { median, timeLoop } from './lib/measure.ts';
import { machineInfo, writeResults, type Figure, type ScenarioResult } from './lib/results.ts';
import { runSeries, seriesProblem, type SeriesRequest, type SeriesResult } from './lib/series.ts';

/** Options of the search scenario. */
export interface SearchOptions {
  /** Data dir holding `index` (from bulk-ingest); without it, `docs` documents are ingested first. */
  dataDir?: string;
  workDir?: string;
  docs: number;
  seed: number;
  requests: number;
  warmup: number;
  /** Time limit per query scenario. */
  maxSeconds: number;
  index: string;
}

/** The query scenarios: name, target and the k-th request body. */
export function searchScenarios(seed: number): { name: string; kind: 'match-term' | 'bool'; body: () => unknown }[] {
  const word = makeQueryWordSampler(seed);
  const field = makeFieldSampler(seed);
  const rng = new Rng(seed ^ 0xbeef);
  const window = (ms: number) => {
    const from = START_TIME_MS + Math.floor(rng.float() * (END_TIME_MS - START_TIME_MS - ms));
    return { gte: new Date(from).toISOString(), lt: new Date(from + ms).toISOString() };
  };
  const boolBody = (ms: number) => ({
    size: 10,
    query: { bool: { must: [{ match: { message: word() } }], filter: [{ range: { '@timestamp': window(ms) } }] } },
  });
  return [
    { name: 'match message (1 word)', kind: 'match-term', body: () => ({ size: 10, query: { match: { message: word() } } }) },
    { name: 'match message (2 words)', kind: 'match-term', body: () => ({ size: 10, query: { match: { message: `${word()} ${word()}` } } }) },
    { name: 'term service', kind: 'match-term', body: () => ({ size: 10, query: { term: { service: field.service() } } }) },
    { name: 'term host', kind: 'match-term', body: () => ({ size: 10, query: { term: { host: field.host() } } }) },
    { name: 'term level', kind: 'match-term', body: () => ({ size: 10, query: { term: { level: field.level() } } }) },
    { name: 'bool match + 1 h range', kind: 'bool', body: () => boolBody(3_600_000) },
    { name: 'bool match + 1 d range', kind: 'bool', body: () => boolBody(86_400_000) },
  ];
}

/** In-process reference: count one value's occurrences in a Uint32Array of 1M host ordinals (ms per pass). */
export function typedArrayCountReference(): number {
  const rng = new Rng(42);
  const column = new Uint32Array(1_000_000);
  for (let i = 0; i < column.length; i++) column[i] = rng.int(200);
  return timeLoop(() => {
    let n = 0;
    for (let i = 0; i < column.length; i++) if (column[i] === 7) n++;
    return n;
  }).medianMs;
}

interface SearchReply {
  hits?: { total?: { value: number } | number; hits?: { _source?: Record<string, unknown> }[] };
}

/**
 * Check a top-10 reply against its query: term hits carry the value, match hits contain one of the
 * words (as the standard analyzer splits them), bool hits also fall in the date window.
 */
export function checkSearchReply(body: any, reply: SearchReply): string | undefined {
  const hits = reply.hits?.hits;
  if (!Array.isArray(hits)) return 'no hits array';
  const total = reply.hits?.total;
  const totalValue = typeof total === 'number' ? total : total?.value;
  if (totalValue !== undefined && totalValue < hits.length) return `hits.total ${totalValue} < ${hits.length} hits returned`;
  if (hits.length > 10) return `${hits.length} hits for size 10`;
  if (hits.length < Math.min(10, totalValue ?? 0)) return `${hits.length} hits returned of ${totalValue} matching`;
  const q = body.query;
  const match: string | undefined = q.match?.message ?? q.bool?.must?.[0]?.match?.message;
  const range: { gte: string; lt: string } | undefined = q.bool?.filter?.[0]?.range?.['@timestamp'];
  const termField = q.term ? Object.keys(q.term)[0]! : undefined;
  if (termField && totalValue === 0) return `no hits for ${termField}=${q.term[termField]}`;
  for (const h of hits) {
    const src = h._source;
    if (!src) return 'hit without _source';
    if (termField && src[termField] !== q.term[termField]) return `hit has ${termField}=${String(src[termField])}`;
    if (match) {
      const tokens = new Set(String(src.message).toLowerCase().split(/[^a-z0-9]+/));
      if (!match.split(' ').some((w) => tokens.has(w))) return `hit message lacks "${match}"`;
    }
    if (range) {
      const ts = String(src['@timestamp']);
      if (!(ts >= range.gte && ts < range.lt)) return `hit @timestamp ${ts} outside [${range.gte}, ${range.lt})`;
    }
  }
  return undefined;
}

const log = (msg: string): void => void process.stderr.write(`[search] ${msg}\n`);
const slug = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');

/** Run the scenario against a server holding the logs; the server is stopped at the end. */
export async function runSearch(o: SearchOptions): Promise<ScenarioResult> {
  const started = new Date();
  const t0 = performance.now();
  const { server, docs, workDir, ingested } = await serverWithLogs({ ...o, log });
  const cmd = o.dataDir ? `npx tsx loadtest/search.ts --data-dir <bulk-ingest data dir>` : `npx tsx loadtest/search.ts --docs ${o.docs}`;
  try {
    log(`${docs.toLocaleString('en-US')} docs in ${o.index}; GET / reference…`);
    const root = await runSeries(server.client, { warmup: o.warmup, requests: o.requests, maxMs: o.maxSeconds * 1000, make: () => ({ method: 'GET', path: '/' }) });
    const rootCannon = await autocannon({ url: `${server.baseUrl}/`, connections: 10, duration: 3 });
    const loopMs = typedArrayCountReference();

    const results: Record<string, SeriesResult> = {};
    const figures: Figure[] = [];
    for (const s of searchScenarios(o.seed)) {
      log(s.name);
      const r = await runSeries(server.client, {
        warmup: o.warmup,
        requests: o.requests,
        maxMs: o.maxSeconds * 1000,
        make: (): SeriesRequest => ({ method: 'POST', path: `/${o.index}/_search`, body: s.body() }),
        check: (req, reply) => checkSearchReply(req.body, reply as SearchReply),
      });
      results[s.name] = r;
      if (r.errors > 0) log(`  ${r.errors} errors, first: ${r.firstError}`);
      if (r.wrong > 0) log(`  ${r.wrong} wrong replies, first: ${r.firstWrong}`);
      const id = `search.${slug(s.name)}`;
      const p50Target = s.kind === 'bool' ? 5 : 3;
      // Every term value and (nearly) every drawn word occurs, so a run with no hits at all is wrong.
      const problem = seriesProblem(r, o.requests) ?? (r.hits.length && Math.max(...r.hits) === 0 ? 'no hits at all' : undefined);
      figures.push(
        { id: `${id}.p50`, label: `${s.name}, top-10 p50`, measured: r.latency.p50, unit: 'ms', target: { op: '<=', value: p50Target }, reference: { label: 'GET / p50', value: root.latency.p50, unit: 'ms' }, command: cmd, problem },
        { id: `${id}.p99`, label: `${s.name}, top-10 p99`, measured: r.latency.p99, unit: 'ms', ...(s.kind === 'match-term' ? { target: { op: '<=' as const, value: 15 } } : {}), reference: { label: 'GET / p99', value: root.latency.p99, unit: 'ms' }, command: cmd, problem },
      );
    }
    figures.push(
      { id: 'search.ref.get_root.p50', label: 'reference: GET / round trip p50', measured: root.latency.p50, unit: 'ms', command: cmd },
      { id: 'search.ref.typed_array_count', label: 'reference: count a value in Uint32Array(1M), in-process', measured: loopMs, unit: 'ms', command: cmd },
    );
    return {
      scenario: 'search',
      startedAt: started.toISOString(),
      durationMs: performance.now() - t0,
      machine: machineInfo(),
      params: { docs, ingestedHere: ingested, seed: o.seed, requests: o.requests, warmup: o.warmup, maxSeconds: o.maxSeconds, connections: 1, index: o.index },
      figures,
      details: {
        getRoot: root,
        getRootAutocannon10Connections: { requestsPerSec: rootCannon.requests.average, latencyP50: rootCannon.latency.p50, latencyP99: rootCannon.latency.p99, errors: rootCannon.errors, non2xx: rootCannon.non2xx },
        typedArrayCountMs: loopMs,
        scenarios: Object.fromEntries(Object.entries(results).map(([k, r]) => [k, { ...r, hits: undefined, medianHits: median(r.hits) }])),
      },
    };
  } finally {
    await server.stop();
    if (!o.workDir) rmSync(workDir, { recursive: true, force: true }); // our temp dir (logs, and data if ingested here)
  }
}

async function main(): Promise<void> {
  const f = parseFlags();
  const result = await runSearch({
    dataDir: f.opt('data-dir'),
    workDir: f.opt('work-dir'),
    docs: f.num('docs', 1_000_000),
    seed: f.num('seed', DEFAULT_SEED),
    requests: f.num('requests', 500),
    warmup: f.num('warmup', 50),
    maxSeconds: f.num('max-seconds', 120),
    index: f.str('index', 'logs'),
  });
  writeResults(result);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
