// Coordinator-side driver: merges the shards' partials aggregation by aggregation (each module's
// reduce, recursing into buckets), then runs pipeline aggregations over the final result — parent
// pipelines per multi-bucket aggregation after its buckets' own pipelines, then siblings in order.

import { tooManyBuckets } from './parse-helpers.ts';
import { pipelineOrder } from './bucket-path.ts';
import { isPipeline, lookup } from './registry.ts';
import type { AggregationRequest, AggregationType, ReduceContext, ReduceRuntime, ReducedAggregations, ShardAggregations } from './types.ts';

/** Reduces shard partials into the final aggregations (pipelines applied). */
export function reduceAggregations(
  aggs: AggregationRequest[],
  partials: ShardAggregations[],
  ctx: ReduceContext,
): ReducedAggregations {
  let buckets = 0;
  const rt: ReduceRuntime = {
    maxBuckets: ctx.maxBuckets,
    final: true,
    reduceSubs: (reqs, parts) => reduceLevel(reqs, parts, rt),
    addBuckets(n) {
      buckets += n;
      if (buckets > ctx.maxBuckets) throw tooManyBuckets(ctx.maxBuckets, buckets);
    },
  };
  const out = reduceLevel(aggs, partials, rt);
  applyPipelines(aggs, out);
  return out;
}

function reduceLevel(reqs: AggregationRequest[], parts: Record<string, unknown>[], rt: ReduceRuntime): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const req of reqs) {
    const entry = lookup(req.type)!;
    if (isPipeline(entry)) continue;
    const list = parts.map((p) => p[req.name]).filter((p) => p !== undefined);
    out[req.name] = entry.reduce(req, list, rt);
  }
  return out;
}

/** Runs the pipelines of one level (recursively inside buckets first). */
export function applyPipelines(reqs: AggregationRequest[], reduced: Record<string, unknown>): void {
  for (const req of reqs) {
    const entry = lookup(req.type)!;
    if (isPipeline(entry) || entry.kind !== 'bucket' || !entry.buckets) continue;
    const r = reduced[req.name];
    if (r === undefined) continue;
    const buckets = entry.buckets(r);
    for (const b of buckets) applyPipelines(req.subAggs, b.aggs);
    for (const p of pipelineOrder(req.subAggs)) {
      const pe = lookup(p.type)!;
      if (isPipeline(pe) && pe.scope === 'parent') {
        pe.run(p, { parent: { req, reduced: r, buckets: entry.buckets(r) } });
      }
    }
  }
  for (const p of pipelineOrder(reqs)) {
    const pe = lookup(p.type)!;
    if (isPipeline(pe) && pe.scope === 'sibling') {
      reduced[p.name] = pe.run(p, { siblings: { reqs, reduced } });
    }
  }
}

/** Groups bucket partials by key (string form) keeping first-seen order. */
export function groupByKey<B>(lists: B[][], keyOf: (b: B) => string): Map<string, B[]> {
  const groups = new Map<string, B[]>();
  for (const list of lists) {
    for (const b of list) {
      const k = keyOf(b);
      const g = groups.get(k);
      if (g) g.push(b);
      else groups.set(k, [b]);
    }
  }
  return groups;
}

/** Reduces a group of same-key buckets: sums doc counts, reduces sub-aggregations. */
export function mergeBuckets<B extends { doc_count: number; aggs: Record<string, unknown> }>(
  group: B[],
  subs: AggregationRequest[],
  rt: ReduceRuntime,
): B {
  let docCount = 0;
  for (const b of group) docCount += b.doc_count;
  return { ...group[0], doc_count: docCount, aggs: rt.reduceSubs(subs, group.map((b) => b.aggs)) };
}

export type { AggregationType };
