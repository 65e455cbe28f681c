// Index statistics, `GET /_stats` and `GET /<index>/_stats[/<metric>]`, in OpenSearch's shape: `_shards`,
// `_all` and (level `indices`, the default, or `shards`) each index's `primaries` and `total` (equal: a
// single node holds no replicas). Only what the engine counts is reported: docs, store, indexing
// totals, merges (current and finished: benchmarks wait on `merges.current` as Rally's
// wait-until-merges-finish does), segments and translog; the other metrics OpenSearch knows (caches,
// get, search, refresh, …) are accepted and left out rather than shown as made-up zeros.

import type { FastifyInstance } from 'fastify';
import { illegalArgument } from '../../index/errors.ts';
import type { Index } from '../../index/indices/index.ts';
import type { Shard } from '../../index/shard/shard.ts';
import type { LookoutNode } from '../node.ts';
import { NODE_ID } from '../tasks.ts';
import { resolveOpts, send, type Req } from '../http.ts';
import { diskBytes } from './cat.ts';
import { indexHealth } from './cluster-health.ts';

/** The metric names OpenSearch accepts in the path; `merge` renders as the `merges` section. */
const KNOWN_METRICS = new Set([
  '_all', 'completion', 'docs', 'fielddata', 'query_cache', 'flush', 'get', 'indexing', 'merge', 'request_cache',
  'refresh', 'search', 'segments', 'store', 'warmer', 'suggest', 'translog', 'recovery',
]);
const REPORTED = ['docs', 'store', 'indexing', 'merge', 'segments', 'translog'] as const;
type Metric = (typeof REPORTED)[number];

interface ShardStats {
  docs: { count: number; deleted: number };
  indexing: { index_total: number; delete_total: number };
  merges: { current: number; current_docs: number; total: number; total_time_in_millis: number; total_docs: number };
  segments: { count: number };
  translog: { operations: number; size_in_bytes: number; uncommitted_operations: number; uncommitted_size_in_bytes: number };
}

function shardStats(s: Shard): ShardStats {
  const current = s.currentMerge;
  const ops = s.translogOperations;
  const bytes = s.translogBytes;
  return {
    docs: { count: s.docCount, deleted: s.deletedDocs },
    indexing: { index_total: s.indexTotal, delete_total: s.deleteTotal },
    merges: {
      current: current ? 1 : 0, current_docs: current?.docs ?? 0,
      total: s.mergeTotals.count, total_time_in_millis: Math.round(s.mergeTotals.ms), total_docs: s.mergeTotals.docs,
    },
    segments: { count: s.segments.length },
    // A commit rolls the translog and trims the generations before it: what it holds is uncommitted.
    translog: { operations: ops, size_in_bytes: bytes, uncommitted_operations: ops, uncommitted_size_in_bytes: bytes },
  };
}

/** Sums shard stats section by section (every field is a count). */
function sum(parts: ShardStats[]): ShardStats {
  const out = shardStats0();
  for (const p of parts) {
    for (const [section, fields] of Object.entries(p) as Array<[keyof ShardStats, Record<string, number>]>) {
      const into = out[section] as unknown as Record<string, number>;
      for (const [k, v] of Object.entries(fields)) into[k] += v;
    }
  }
  return out;
}

function shardStats0(): ShardStats {
  return {
    docs: { count: 0, deleted: 0 },
    indexing: { index_total: 0, delete_total: 0 },
    merges: { current: 0, current_docs: 0, total: 0, total_time_in_millis: 0, total_docs: 0 },
    segments: { count: 0 },
    translog: { operations: 0, size_in_bytes: 0, uncommitted_operations: 0, uncommitted_size_in_bytes: 0 },
  };
}

/** The sections asked for, with the store size (measured per index: its directory on disk). */
function render(stats: ShardStats, storeBytes: number, metrics: Set<Metric>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (metrics.has('docs')) out.docs = stats.docs;
  if (metrics.has('store')) out.store = { size_in_bytes: storeBytes, reserved_in_bytes: 0 };
  if (metrics.has('indexing')) out.indexing = stats.indexing;
  if (metrics.has('merge')) out.merges = stats.merges;
  if (metrics.has('segments')) out.segments = stats.segments;
  if (metrics.has('translog')) out.translog = stats.translog;
  return out;
}

/** The reported metrics a `metric` path part asks for; an unknown name is a 400, as in OpenSearch. */
function parseMetrics(req: Req): Set<Metric> {
  const part = req.params.metric;
  if (part === undefined || part === '') return new Set(REPORTED);
  const names = part.split(',').map((m) => m.trim());
  const unknown = names.filter((m) => !KNOWN_METRICS.has(m));
  if (unknown.length > 0) {
    throw illegalArgument(`request [${req.url.split('?')[0]}] contains unrecognized metric${unknown.length > 1 ? 's' : ''}: [${unknown.join(', ')}]`);
  }
  if (names.includes('_all')) {
    if (names.length > 1) throw illegalArgument(`request [${req.url.split('?')[0]}] contains _all and individual metrics [${part}]`);
    return new Set(REPORTED);
  }
  return new Set(REPORTED.filter((m) => names.includes(m)));
}

export function registerIndexStatsRoutes(app: FastifyInstance, node: LookoutNode): void {
  const handler = async (request: unknown, reply: never) => {
    const req = request as Req;
    const level = req.query.level ?? 'indices';
    if (!['cluster', 'indices', 'shards'].includes(level)) throw illegalArgument(`level parameter must be one of [cluster] or [indices] or [shards] but was [${level}]`);
    const metrics = parseMetrics(req);
    const targets: Index[] = node.indices.resolveOpen(req.params.index, resolveOpts(req)).map((t) => t.index);
    // As OpenSearch counts them: every copy, of which only the primaries are active on one node.
    let copies = 0;
    let shards = 0;
    let allBytes = 0;
    const allParts: ShardStats[] = [];
    const indices: Record<string, unknown> = {};
    for (const index of targets) {
      const parts = index.shards.map(shardStats);
      const bytes = diskBytes(index.dir);
      shards += index.shards.length;
      copies += index.shards.length * (1 + indexHealth(index.meta).replicas);
      allBytes += bytes;
      allParts.push(...parts);
      const stats = render(sum(parts), bytes, metrics);
      const entry: Record<string, unknown> = { uuid: index.uuid, primaries: stats, total: stats };
      if (level === 'shards') {
        // The store is measured per index: a shard's share is not known, so shard entries leave it out.
        const shardMetrics = new Set([...metrics].filter((m) => m !== 'store'));
        entry.shards = Object.fromEntries(parts.map((p, i) => [String(i), [{ routing: { state: 'STARTED', primary: true, node: NODE_ID, relocating_node: null }, ...render(p, 0, shardMetrics) }]]));
      }
      indices[index.name] = entry;
    }
    const all = render(sum(allParts), allBytes, metrics);
    const body: Record<string, unknown> = { _shards: { total: copies, successful: shards, failed: 0 }, _all: { primaries: all, total: all } };
    if (level !== 'cluster') body.indices = indices;
    return send(req, reply, 200, body);
  };
  app.get('/_stats', handler as never);
  app.get('/_stats/:metric', handler as never);
  app.get('/:index/_stats', handler as never);
  app.get('/:index/_stats/:metric', handler as never);
}
