// The shapes every aggregation module shares: the parsed request tree, the per-shard aggregator
// contract (collect per segment, then build a plain-JSON partial per bucket ordinal), and the registry
// entry that ties parse / collect / reduce / render together (STYLE.md §6).

import type { Segment } from '../segment/segment.ts';
import type { ShardSearchContext, SegmentMatches } from '../search/shard-context.ts';

/** One node of a parsed `aggs` tree. `params` is the module's own parsed form (plain JSON). */
export interface AggregationRequest {
  name: string;
  type: string;
  params: any;
  meta?: Record<string, unknown>;
  subAggs: AggregationRequest[];
}

/** Per-shard partial results of the top-level aggregations, by name (plain JSON). */
export type ShardAggregations = Record<string, unknown>;
/** Final reduced results by name (plain JSON, pipelines applied); input of renderAggregations. */
export type ReducedAggregations = Record<string, unknown>;

/** Limits checked while collecting on a shard. */
export interface CollectLimits {
  maxBuckets: number;
  memoryBudgetBytes: number;
}

/** Context given to reduce (coordinator side). */
export interface ReduceContext {
  maxBuckets: number;
  /** Mappings of the searched indices (unused by most aggregations). */
  mappingsByIndex?: Record<string, unknown>;
}

/** Collects one document into bucket ordinal `owningOrd` of the parent (0 at top level). */
export interface LeafCollector {
  collect(doc: number, owningOrd: number): void;
  /** Optional fast path at top level: every doc of `docs` goes to ordinal 0. */
  collectAll?(docs: Uint32Array): void;
  /** Optional fast path for a run of docs that all go to one bucket ordinal (docs[from..to)). */
  collectRun?(docs: Uint32Array, from: number, to: number, owningOrd: number): void;
}

/** A shard-level aggregator: one instance serves every bucket ordinal of its parent. */
export interface Aggregator {
  /** Prepares collection of one segment. */
  leaf(segment: Segment, segmentOrd: number, matches: Uint32Array): LeafCollector;
  /** The plain-JSON partial for one parent bucket ordinal (empty result when it saw no doc). */
  build(owningOrd: number): unknown;
  /** Called once after all segments, before any build (e.g. to finish deferred work). */
  finish?(): void;
}

/** What aggregators see while collecting one shard. */
export interface CollectContext {
  shard: ShardSearchContext;
  matches: SegmentMatches[];
  limits: CollectLimits;
  /** Bucket and memory accounting, shared by the whole request on this shard. */
  budget: Budget;
  /** Creates the aggregators of sub-aggregations (by request order). */
  createSubs(reqs: AggregationRequest[], parent: ParentInfo): Aggregator[];
}

/** Where an aggregator sits: under no bucket, or under a (possibly multi-) bucket aggregation. */
export interface ParentInfo {
  /** True when the parent can produce more than one bucket ordinal. */
  multiBucket: boolean;
  /** True directly under the top level (or under single-bucket parents of it). */
  topLevel: boolean;
}

/** Bucket and memory accounting for one shard request. */
export interface Budget {
  /** Records `n` new buckets; throws too_many_buckets_exception past the limit. */
  addBuckets(n: number): void;
  /** Records `bytes` of collection state; throws when the request budget is spent. */
  addBytes(bytes: number): void;
}

/** Rendering options. */
export interface RenderOptions {
  typedKeys: boolean;
}

/** The registry entry of a metric or bucket aggregation. */
export interface AggregationType {
  kind: 'metric' | 'bucket';
  /** Parses the body under the type name into `params`; throws OpenSearch errors. */
  parse(name: string, body: Record<string, unknown>, ctx: ParseContext): unknown;
  /** Creates the shard aggregator. */
  create(req: AggregationRequest, ctx: CollectContext, parent: ParentInfo): Aggregator;
  /** Merges shard partials (or partial reductions) into one. */
  reduce(req: AggregationRequest, partials: unknown[], ctx: ReduceRuntime): unknown;
  /** Renders the reduced result as OpenSearch's response object (without `meta`). */
  render(req: AggregationRequest, reduced: unknown, opts: RenderOptions): Record<string, unknown>;
  /** The `typed_keys` prefix (may depend on the reduced result, e.g. sterms/lterms). */
  typedName(req: AggregationRequest, reduced: unknown): string;
  /** A numeric value of the reduced result for buckets_path / ordering (`key` picks a metric). */
  value?(req: AggregationRequest, reduced: unknown, key: string | undefined): number | null;
  /** Buckets of a reduced multi-bucket result, for pipelines. */
  buckets?(reduced: unknown): ReducedBucket[];
}

/** The registry entry of a pipeline aggregation. */
export interface PipelineType {
  kind: 'pipeline';
  /** Whether it runs over the buckets of its parent (derivative…) or over a sibling (avg_bucket…). */
  scope: 'parent' | 'sibling';
  parse(name: string, body: Record<string, unknown>, ctx: ParseContext): unknown;
  /**
   * parent scope: mutates `buckets` of the parent (adds results into bucket.aggs, may drop/reorder);
   * sibling scope: returns the result computed from the sibling aggregations `aggs`.
   */
  run(req: AggregationRequest, input: PipelineInput): unknown;
  render(req: AggregationRequest, reduced: unknown, opts: RenderOptions): Record<string, unknown>;
  typedName(req: AggregationRequest, reduced: unknown): string;
  value?(req: AggregationRequest, reduced: unknown, key: string | undefined): number | null;
}

/** Input of a pipeline run. */
export interface PipelineInput {
  /** Parent scope: the parent aggregation's request, reduced result and buckets. */
  parent?: { req: AggregationRequest; reduced: any; buckets: ReducedBucket[] };
  /** Sibling scope: the requests and reduced results at the same level. */
  siblings?: { reqs: AggregationRequest[]; reduced: Record<string, unknown> };
}

/** A reduced bucket as pipelines and buckets_path see it. */
export interface ReducedBucket {
  key: unknown;
  doc_count: number;
  aggs: Record<string, unknown>;
  [k: string]: unknown;
}

/** Reduce-time helpers handed to modules (recursion into sub-aggregations, bucket accounting). */
export interface ReduceRuntime {
  maxBuckets: number;
  /** Reduces lists of sub-aggregation partials (one `aggs` object per shard bucket). */
  reduceSubs(reqs: AggregationRequest[], parts: Record<string, unknown>[]): Record<string, unknown>;
  /** Counts buckets of the final result against search.max_buckets. */
  addBuckets(n: number): void;
  /** True for the final reduce (the coordinator's last pass). */
  final: boolean;
}

/** Parse-time context. */
export interface ParseContext {
  /** Parses a nested `aggs` object (for sub-aggregations and e.g. filters). */
  parseAggs(json: unknown): AggregationRequest[];
}
