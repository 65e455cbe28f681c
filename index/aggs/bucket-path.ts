// buckets_path handling for pipelines and bucket ordering: parsing `a>b.metric` / `p[99.0]` paths,
// resolving them to numbers inside a reduced bucket (BucketHelpers.resolveBucketValue, with its error
// messages), gap policies, and the order in which pipelines of one level run.

import { OpenSearchError } from '../errors.ts';
import { isPipeline, lookup } from './registry.ts';
import type { AggregationRequest, ReducedBucket } from './types.ts';

/** One `>`-separated element: an aggregation name and an optional metric key. */
export interface PathElement {
  name: string;
  key?: string;
}

/** Parses `agg1>agg2.metric` / `agg[99.9]` / `_count`. */
export function parsePath(path: string): PathElement[] {
  return path.split('>').map((el) => {
    const br = /^(.*)\[(.*)\]$/.exec(el);
    if (br) return { name: br[1], key: br[2] };
    const dot = el.indexOf('.');
    if (dot > 0) return { name: el.slice(0, dot), key: el.slice(dot + 1) };
    return { name: el };
  });
}

export type GapPolicy = 'skip' | 'insert_zeros' | 'keep_values';

/** Parses `gap_policy`. */
export function parseGapPolicy(v: unknown): GapPolicy {
  const s = String(v).toLowerCase();
  if (s === 'skip' || s === 'insert_zeros' || s === 'keep_values') return s;
  throw new OpenSearchError('illegal_argument_exception', `Unknown GapPolicy: [${String(v)}]`, 400);
}

function execError(reason: string): OpenSearchError {
  return new OpenSearchError('aggregation_execution_exception', reason, 400);
}

const PREFIX = 'buckets_path must reference either a number value or a single value numeric metric aggregation';

/** The Java class OpenSearch would name in a resolution error. */
function javaClass(req: AggregationRequest, reduced: any): string {
  if (req.type === 'terms') {
    const vt = reduced?.valueType;
    return vt === 'string' || vt === 'ip' ? 'StringTerms' : vt === 'double' ? 'DoubleTerms' : vt === 'unmapped' ? 'UnmappedTerms' : 'LongTerms';
  }
  const names: Record<string, string> = {
    date_histogram: 'InternalDateHistogram', histogram: 'InternalHistogram', range: 'InternalRange', filters: 'InternalFilters',
    composite: 'InternalComposite', multi_terms: 'InternalMultiTerms',
  };
  return names[req.type] ?? 'Object';
}

/**
 * Resolves a path inside a bucket to a number (null when the metric has no value, NaN semantics as
 * OpenSearch's gap handling expects). `subReqs` are the requests of the bucket's sub-aggregations.
 */
export function resolveBucketValue(bucket: ReducedBucket, path: PathElement[], subReqs: AggregationRequest[]): number | null {
  const [first, ...rest] = path;
  if (first.name === '_count' && rest.length === 0) return bucket.doc_count;
  if (first.name === '_key' && rest.length === 0) return typeof bucket.key === 'number' ? bucket.key : Number(bucket.key);
  const req = subReqs.find((r) => r.name === first.name);
  if (!req) throw execError(`No aggregation found for path [${path.map((p) => p.name + (p.key ? '.' + p.key : '')).join('>')}]`);
  const reduced = bucket.aggs[first.name];
  const entry = lookup(req.type)!;
  if (!isPipeline(entry) && entry.kind === 'bucket') {
    if (rest.length === 0 && first.key === '_count' || first.key === 'doc_count') {
      const bs = entry.buckets?.(reduced) ?? [];
      if (bs.length === 1) return bs[0].doc_count;
    }
    if (!SINGLE_BUCKET.has(req.type)) {
      throw execError(`${PREFIX}, got: [${rest.length > 0 ? 'Object[]' : javaClass(req, reduced)}] at aggregation [${first.name}]`);
    }
    const only = entry.buckets?.(reduced)[0];
    if (!only) return null;
    if (rest.length === 0) return only.doc_count;
    return resolveBucketValue(only, rest, req.subAggs);
  }
  if (rest.length > 0) throw execError(`${PREFIX}, got: [Object[]] at aggregation [${first.name}]`);
  if (!entry.value) throw execError(`${PREFIX}, got: [${req.type}] at aggregation [${first.name}]`);
  if (first.key === undefined && MULTI_VALUE.has(req.type)) {
    throw execError(`${PREFIX}, but [${first.name}] contains multiple values. Please specify which to use.`);
  }
  if (reduced === undefined) return null;
  return entry.value(req, reduced, first.key);
}

/**
 * BucketHelpers.resolveBucketValue with a gap policy: an empty bucket (doc_count 0, unless the path is
 * `_count`), a missing or non-finite value is a gap; undefined means "skip this bucket".
 */
export function gapValue(bucket: ReducedBucket, path: string, subReqs: AggregationRequest[], policy: GapPolicy): number | null | undefined {
  const els = parsePath(path);
  const v = resolveBucketValue(bucket, els, subReqs);
  const isCount = els.length === 1 && els[0].name === '_count';
  if (v === null || !Number.isFinite(v) || (bucket.doc_count === 0 && !isCount)) {
    if (policy === 'insert_zeros') return 0;
    if (policy === 'skip') return undefined;
    return v === null || Number.isNaN(v) ? null : v;
  }
  return v;
}

/** Applies a gap policy to a resolved value: undefined means "skip this bucket". */
export function applyGap(v: number | null, policy: GapPolicy): number | null | undefined {
  if (v === null || Number.isNaN(v)) {
    if (policy === 'insert_zeros') return 0;
    if (policy === 'skip') return undefined;
    return v;
  }
  return v;
}

/** Aggregations with exactly one bucket (a path may go through them). */
export const SINGLE_BUCKET = new Set(['filter', 'missing', 'global', 'sampler', 'diversified_sampler', 'reverse_nested', 'nested']);

/** Metrics with several values (a path must name one). */
export const MULTI_VALUE = new Set([
  'stats', 'extended_stats', 'percentiles', 'percentile_ranks', 'stats_bucket', 'extended_stats_bucket', 'percentiles_bucket',
]);

/** Pipelines of a level in dependency order (a pipeline after the pipelines its paths name). */
export function pipelineOrder(reqs: AggregationRequest[]): AggregationRequest[] {
  const pipes = reqs.filter((r) => isPipeline(lookup(r.type)!));
  if (pipes.length < 2) return pipes;
  const byName = new Map(pipes.map((p) => [p.name, p]));
  const done = new Set<string>();
  const out: AggregationRequest[] = [];
  const visit = (p: AggregationRequest, stack: Set<string>) => {
    if (done.has(p.name) || stack.has(p.name)) return;
    stack.add(p.name);
    for (const path of pathsOf(p)) {
      const dep = byName.get(parsePath(path)[0].name);
      if (dep) visit(dep, stack);
    }
    done.add(p.name);
    out.push(p);
  };
  for (const p of pipes) visit(p, new Set());
  return out;
}

/** The buckets_path strings of a pipeline request. */
export function pathsOf(req: AggregationRequest): string[] {
  const bp = req.params?.buckets_path;
  if (bp === undefined) return (req.params?.sort ?? []).map((s: { path: string }) => s.path);
  if (typeof bp === 'string') return [bp];
  if (Array.isArray(bp)) return bp.map(String);
  return Object.values(bp as Record<string, string>);
}
