// Shard-side driver: creates the aggregator tree, walks each segment's matching docs once (as a
// typed array), and builds the plain-JSON partials. Also the helpers bucket aggregations use to feed
// and build their sub-aggregations, and the bucket/memory budget.

import type { Segment } from '../segment/segment.ts';
import type { ShardSearchContext, SegmentMatches } from '../search/shard-context.ts';
import { memoryBudgetExceeded, tooManyBuckets } from './parse-helpers.ts';
import { isPipeline, lookup } from './registry.ts';
import type {
  AggregationRequest, Aggregator, Budget, CollectContext, CollectLimits, LeafCollector, ParentInfo, ShardAggregations,
} from './types.ts';

/** Runs the aggregations on one shard and returns their partial results (plain JSON). */
export function collectAggregations(
  aggs: AggregationRequest[],
  ctx: ShardSearchContext,
  matches: SegmentMatches[],
  limits: CollectLimits,
): ShardAggregations {
  const cctx = makeContext(ctx, matches, limits);
  const top = cctx.createSubs(aggs, { multiBucket: false, topLevel: true });
  const reqs = aggs.filter((a) => !isPipeline(lookup(a.type)!));
  for (const m of matches) {
    const docs = m.docs.toUint32Array();
    if (docs.length === 0) continue;
    for (const agg of top) {
      const leaf = agg.leaf(m.segment, m.segmentOrd, docs);
      runLeaf(leaf, docs);
    }
  }
  const out: ShardAggregations = {};
  top.forEach((agg) => agg.finish?.());
  top.forEach((agg, i) => (out[reqs[i].name] = agg.build(0)));
  return out;
}

/** Feeds every doc of `docs` into `leaf` as bucket ordinal 0. */
export function runLeaf(leaf: LeafCollector, docs: Uint32Array): void {
  if (leaf.collectAll) {
    leaf.collectAll(docs);
    return;
  }
  for (let i = 0; i < docs.length; i++) leaf.collect(docs[i], 0);
}

function makeContext(shard: ShardSearchContext, matches: SegmentMatches[], limits: CollectLimits): CollectContext {
  const cctx: CollectContext = {
    shard,
    matches,
    limits,
    budget: makeBudget(limits),
    createSubs(reqs: AggregationRequest[], parent: ParentInfo): Aggregator[] {
      const out: Aggregator[] = [];
      for (const req of reqs) {
        const entry = lookup(req.type)!;
        if (isPipeline(entry)) continue;
        out.push(entry.create(req, cctx, parent));
      }
      return out;
    },
  };
  return cctx;
}

/** A budget that counts buckets and bytes for one shard request. */
export function makeBudget(limits: CollectLimits): Budget {
  let buckets = 0;
  let bytes = 0;
  return {
    addBuckets(n) {
      buckets += n;
      if (buckets > limits.maxBuckets) throw tooManyBuckets(limits.maxBuckets, buckets);
    },
    addBytes(n) {
      bytes += n;
      if (bytes > limits.memoryBudgetBytes) throw memoryBudgetExceeded(bytes, limits.memoryBudgetBytes);
    },
  };
}

/**
 * The sub-aggregations of a bucket aggregation: one aggregator per sub request, fed with the
 * bucket ordinal of the parent, built per bucket into an `aggs` object of partials.
 */
export class SubAggs {
  readonly aggs: Aggregator[];
  readonly reqs: AggregationRequest[];
  private leaves: LeafCollector[] = [];

  constructor(reqs: AggregationRequest[], ctx: CollectContext, parent: ParentInfo) {
    this.reqs = reqs.filter((r) => !isPipeline(lookup(r.type)!));
    this.aggs = ctx.createSubs(reqs, parent);
  }

  get empty(): boolean {
    return this.aggs.length === 0;
  }

  /** Prepares the sub-aggregators for a segment. */
  leaf(segment: Segment, segmentOrd: number, docs: Uint32Array): void {
    this.leaves = this.aggs.map((a) => a.leaf(segment, segmentOrd, docs));
    // One sub-aggregation (the common case): call its collector directly.
    this.collect = this.leaves.length === 1 ? this.leaves[0].collect : SubAggs.prototype.collect;
  }

  /** Collects `doc` into bucket `ord` of every sub-aggregation (rebound per segment, see leaf). */
  collect(doc: number, ord: number): void {
    const l = this.leaves;
    for (let i = 0; i < l.length; i++) l[i].collect(doc, ord);
  }

  /** Collects docs[from..to) into bucket `ord` (a histogram over time-sorted docs sees long runs). */
  collectRun(docs: Uint32Array, from: number, to: number, ord: number): void {
    for (const l of this.leaves) {
      if (l.collectRun) l.collectRun(docs, from, to, ord);
      else for (let k = from; k < to; k++) l.collect(docs[k], ord);
    }
  }

  finish(): void {
    for (const a of this.aggs) a.finish?.();
  }

  /** The partials of all sub-aggregations for bucket `ord`. */
  build(ord: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.aggs.forEach((a, i) => (out[this.reqs[i].name] = a.build(ord)));
    return out;
  }
}

/** Doc ids of a segment's live docs (what `global` collects). */
export function liveDocs(segment: Segment): Uint32Array {
  const out: number[] = [];
  for (let d = 0; d < segment.maxDoc; d++) if (segment.isLive(d)) out.push(d);
  return Uint32Array.from(out);
}
