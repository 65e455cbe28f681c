// A bounded series of sequential requests over one keep-alive connection, each one different
// (a new query word, a new time window): warm-up, then timed requests until a count or time limit.

import type { HttpClient } from './http.ts';
import { percentiles, type Percentiles } from './measure.ts';

/** One request of a series. */
export interface SeriesRequest {
  method: string;
  path: string;
  body?: unknown;
}

/** Options of `runSeries`. */
export interface SeriesOptions {
  /** Untimed requests first (JIT, caches, lazily loaded segments). */
  warmup: number;
  /** Timed requests wanted. */
  requests: number;
  /** Stop early, with fewer samples, after this long. */
  maxMs: number;
  /** The k-th request (k counts warm-up requests too). */
  make(k: number): SeriesRequest;
  /** Optional check of a parsed 200 reply (after its time is taken): a description of what is wrong, or undefined. */
  check?(req: SeriesRequest, reply: unknown): string | undefined;
}

/** What a series measured. */
export interface SeriesResult {
  latency: Percentiles;
  /** Timed requests answered 200. */
  ok: number;
  /** Non-200 answers or transport errors (timed requests only). */
  errors: number;
  firstError?: string;
  /** `hits.total.value` of each 200 answer (a `_search` reply), for the report's median. */
  hits: number[];
  stoppedByTime: boolean;
  /** Timed replies that failed `check`. */
  wrong: number;
  firstWrong?: string;
}

/** Why a series' percentiles should not be trusted, or undefined when they can be. */
export function seriesProblem(r: SeriesResult, wanted: number): string | undefined {
  // Short, for tables; the first error and wrong reply are in the scenario's JSON details.
  if (r.ok === 0) return `no successful request${r.firstError ? `: ${r.firstError.slice(0, 60)}` : ''}`;
  if (r.errors > 0) return `${r.errors} of ${r.ok + r.errors} requests failed`;
  if (r.wrong > 0) return `wrong result in ${r.wrong} of ${r.ok} replies`;
  if (r.ok < wanted) return `only ${r.ok} of ${wanted} requests within the time limit`;
  return undefined;
}

/** Run a series sequentially; latencies are of 200 answers only. */
export async function runSeries(client: HttpClient, o: SeriesOptions): Promise<SeriesResult> {
  const lat: number[] = [];
  const hits: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const t0 = performance.now();
  let stoppedByTime = false;
  let wrong = 0;
  let firstWrong: string | undefined;
  for (let k = 0; k < o.warmup + o.requests; k++) {
    if (performance.now() - t0 > o.maxMs) {
      stoppedByTime = true;
      break;
    }
    const req = o.make(k);
    const timed = k >= o.warmup;
    try {
      const r = await client.send(req.method, req.path, req.body === undefined ? undefined : JSON.stringify(req.body));
      if (r.status !== 200) {
        if (timed) errors++;
        firstError ??= `${r.status} ${r.body.slice(0, 400)} ← ${req.method} ${req.path} ${JSON.stringify(req.body)}`;
        continue;
      }
      if (!timed) continue;
      lat.push(r.ms);
      const reply = JSON.parse(r.body) as { hits?: { total?: number | { value: number } } };
      const total = reply.hits?.total;
      if (total !== undefined) hits.push(typeof total === 'number' ? total : total.value);
      const bad = o.check?.(req, reply);
      if (bad !== undefined) {
        wrong++;
        firstWrong ??= `${bad} ← ${JSON.stringify(req.body)}`;
      }
    } catch (err) {
      if (timed) errors++;
      firstError ??= String(err);
    }
  }
  return { latency: percentiles(lat), ok: lat.length, errors, firstError, hits, stoppedByTime, wrong, firstWrong };
}
