// Bucket `order` for terms-like and histogram aggregations: parsing `{"_count": "desc"}`, `_key`,
// and sub-aggregation paths, and the comparator OpenSearch builds from them (with its `_key asc`
// tie-breaker). Sub-aggregation values are read through the registry's `value`.

import { OpenSearchError, illegalArgument } from '../errors.ts';
import { parsePath, resolveBucketValue } from './bucket-path.ts';
import type { AggregationRequest, ReducedBucket } from './types.ts';

/** One order criterion. */
export interface OrderSpec {
  by: '_count' | '_key' | 'path';
  path?: string;
  asc: boolean;
}

/** Parses `order` (object or array of single-key objects). */
export function parseOrder(type: string, v: unknown): OrderSpec[] {
  const list = Array.isArray(v) ? v : [v];
  const out: OrderSpec[] = [];
  for (const item of list) {
    if (item === null || typeof item !== 'object') throw illegalArgument(`[${type}] order must be an object`);
    for (const [k, dir] of Object.entries(item as Record<string, unknown>)) {
      const d = String(dir).toLowerCase();
      if (d !== 'asc' && d !== 'desc') throw illegalArgument(`Unknown order direction [${String(dir)}]`);
      const asc = d === 'asc';
      if (k === '_count') out.push({ by: '_count', asc });
      else if (k === '_key' || k === '_term' || k === '_time') out.push({ by: '_key', asc });
      else out.push({ by: 'path', path: k, asc });
    }
  }
  return out;
}

/** True when the primary criterion is the key (no error bounds needed, shard_size = size). */
export function isKeyOrder(order: OrderSpec[]): boolean {
  return order.length > 0 && order[0].by === '_key';
}

/** True for the default `_count desc`. */
export function isCountDesc(order: OrderSpec[]): boolean {
  return order.length > 0 && order[0].by === '_count' && !order[0].asc;
}

/** Compares keys: numbers numerically, strings by code unit (Lucene's byte order for the BMP). */
export function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareKeys(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  const sa = String(a), sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Java's Double.compare (NaN above everything; nulls read as NaN). */
function compareDoubles(a: number | null, b: number | null): number {
  const x = a === null ? NaN : a, y = b === null ? NaN : b;
  if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : 1;
  if (Number.isNaN(y)) return -1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The comparator of an order over reduced-form buckets; `_key asc` breaks ties unless the order
 * already uses the key. `subReqs` resolve sub-aggregation paths.
 */
export function bucketComparator(order: OrderSpec[], subReqs: AggregationRequest[], keyOf: (b: ReducedBucket) => unknown = (b) => b.key) {
  const full = order.some((o) => o.by === '_key') ? order : [...order, { by: '_key', asc: true } as OrderSpec];
  const paths = full.map((o) => (o.by === 'path' ? parsePath(o.path!) : null));
  return (a: ReducedBucket, b: ReducedBucket): number => {
    for (let i = 0; i < full.length; i++) {
      const o = full[i];
      let c: number;
      if (o.by === '_count') c = a.doc_count - b.doc_count;
      else if (o.by === '_key') c = compareKeys(keyOf(a), keyOf(b));
      else c = compareDoubles(resolveBucketValue(a, paths[i]!, subReqs), resolveBucketValue(b, paths[i]!, subReqs));
      if (c !== 0) return o.asc ? c : -c;
    }
    return 0;
  };
}

/** Checks that order paths name existing sub-aggregations (OpenSearch validates at parse). */
export function validateOrderPaths(order: OrderSpec[], subReqs: AggregationRequest[], aggName: string): void {
  for (const o of order) {
    if (o.by !== 'path') continue;
    const first = parsePath(o.path!)[0].name;
    if (!subReqs.some((r) => r.name === first)) {
      throw new OpenSearchError('aggregation_execution_exception', `Invalid aggregator order path [${o.path}]. Unknown aggregation [${first}]`, 400, { agg: aggName });
    }
  }
}
