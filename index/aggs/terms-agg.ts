// `terms`: top buckets by a field's values. Shards return their top `shard_size` buckets plus
// sum_other_doc_count; reduce merges them and computes doc_count_error_upper_bound exactly as
// InternalTerms.reduce does (per-shard error = last returned count when a shard filled shard_size).

import { SubAggs } from './collect.ts';
import { bucketComparator, isCountDesc, isKeyOrder, parseOrder, validateOrderPaths, type OrderSpec } from './bucket-order.ts';
import { formatNumber, formatTerm, hasString, type FormatSpec } from './doc-value-format.ts';
import { bool, illegalArgument, int, type Json } from './parse-helpers.ts';
import { groupByKey } from './reduce.ts';
import { renderSubs } from './render.ts';
import { TermCollector } from './term-collector.ts';
import { compileIncludeExclude, type IncludeExclude } from './include-exclude.ts';
import { parseSource, resolveSource, type SourceParams, type ValueKind } from './values-source.ts';
import { lookup } from './registry.ts';
import type { AggregationRequest, AggregationType, ReduceRuntime, ReducedBucket, RenderOptions } from './types.ts';

export interface TermsParams extends SourceParams {
  size: number;
  shard_size: number;
  min_doc_count: number;
  shard_min_doc_count: number;
  order: OrderSpec[];
  include?: IncludeExclude['include'];
  exclude?: IncludeExclude['exclude'];
  show_term_doc_count_error: boolean;
}

export interface TermsBucket extends ReducedBucket {
  key: string | number | (string | number)[];
  doc_count: number;
  err: number;
  aggs: Record<string, unknown>;
}

export interface TermsPartial {
  valueType: ValueKind;
  format: FormatSpec;
  /** multi_terms: the kind and format of each key element. */
  multi?: { kinds: ValueKind[]; formats: FormatSpec[] };
  buckets: TermsBucket[];
  sumOther: number;
  docCountError: number;
  shardSize: number;
}

const KEYS = ['size', 'shard_size', 'min_doc_count', 'shard_min_doc_count', 'order', 'include', 'exclude',
  'collect_mode', 'execution_hint', 'show_term_doc_count_error'];

/** Parses the shared terms parameters (also used by significant/rare terms variants). */
export function parseTerms(name: string, body: Json): TermsParams {
  const p = parseSource('terms', body, KEYS) as TermsParams;
  p.size = body.size === undefined ? 10 : int('terms', 'size', body.size);
  if (p.size <= 0) throw illegalArgument(`[size] must be greater than 0. Found [${p.size}] in [${name}]`);
  p.order = body.order === undefined ? [{ by: '_count', asc: false }] : parseOrder('terms', body.order);
  const defaultShard = isKeyOrder(p.order) ? p.size : Math.floor(p.size * 1.5 + 10);
  p.shard_size = body.shard_size === undefined ? defaultShard : Math.max(int('terms', 'shard_size', body.shard_size), p.size);
  p.min_doc_count = body.min_doc_count === undefined ? 1 : int('terms', 'min_doc_count', body.min_doc_count);
  if (p.min_doc_count < 0) throw illegalArgument(`[min_doc_count] must be greater than or equal to 0. Found [${p.min_doc_count}] in [${name}]`);
  p.shard_min_doc_count = body.shard_min_doc_count === undefined ? 0 : int('terms', 'shard_min_doc_count', body.shard_min_doc_count);
  if (body.include !== undefined) p.include = body.include as never;
  if (body.exclude !== undefined) p.exclude = body.exclude as never;
  p.show_term_doc_count_error = body.show_term_doc_count_error === undefined ? false : bool('terms', 'show_term_doc_count_error', body.show_term_doc_count_error);
  return p;
}

/** Sorts shard buckets and keeps the top `shardSize` (others summed into sumOther). */
function topBuckets(req: AggregationRequest, all: TermsBucket[], p: TermsParams, size: number): { kept: TermsBucket[]; other: number } {
  const cmp = bucketComparator(p.order, req.subAggs);
  const needsValues = p.order.some((o) => o.by === 'path');
  const withVals = needsValues ? all.map((b) => ({ ...b, aggs: reduceOne(req.subAggs, b.aggs) })) : all;
  const sorted = [...withVals].sort(cmp);
  const kept = sorted.slice(0, size);
  let other = 0;
  for (let i = size; i < sorted.length; i++) other += sorted[i].doc_count;
  if (needsValues) {
    const orig = new Map(all.map((b) => [b.key, b]));
    return { kept: kept.map((b) => orig.get(b.key)!), other };
  }
  return { kept, other };
}

/** Reduces one shard's sub-aggregation partials alone (to read order values on a shard). */
function reduceOne(reqs: AggregationRequest[], aggs: Record<string, unknown>): Record<string, unknown> {
  const rt: ReduceRuntime = { maxBuckets: Infinity, final: false, addBuckets() {}, reduceSubs: (r, parts) => reduceLevelLocal(r, parts, rt) };
  return reduceLevelLocal(reqs, [aggs], rt);
}

function reduceLevelLocal(reqs: AggregationRequest[], parts: Record<string, unknown>[], rt: ReduceRuntime): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const r of reqs) {
    const e = lookup(r.type)!;
    if (e.kind === 'pipeline') continue;
    out[r.name] = e.reduce(r, parts.map((p) => p[r.name]).filter((x) => x !== undefined), rt);
  }
  return out;
}

export const termsAgg: AggregationType = {
  kind: 'bucket',
  parse(name, body) {
    return parseTerms(name, body);
  },
  create(req, ctx, _parent) {
    const p = req.params as TermsParams;
    validateOrderPaths(p.order, req.subAggs, req.name);
    const src = resolveSource(p, ctx.shard, 'terms');
    const filter = compileIncludeExclude(req.name, p, src);
    const subs = new SubAggs(req.subAggs, ctx, { multiBucket: true, topLevel: false });
    const tc = new TermCollector(src, ctx, subs, filter, p.min_doc_count === 0);
    return {
      leaf: (segment, segOrd, docs) => tc.leaf(segment, segOrd, docs),
      finish: () => subs.finish(),
      build(owner): TermsPartial {
        const ords = tc.byOwner[owner] ?? [];
        const buckets: TermsBucket[] = [];
        for (const b of ords) {
          if (tc.counts[b] < p.shard_min_doc_count) continue;
          buckets.push({ key: tc.keys[b] as string | number, doc_count: tc.counts[b], err: 0, aggs: {} });
        }
        if (p.min_doc_count === 0) {
          const have = new Set(buckets.map((b) => b.key));
          for (const t of tc.allTerms) if (!have.has(t)) buckets.push({ key: t, doc_count: 0, err: 0, aggs: {} });
        }
        // sub-aggregation partials for ordering and for the kept buckets
        const ordOf = new Map(ords.map((b) => [tc.keys[b], b]));
        const fill = (b: TermsBucket) => {
          const o = ordOf.get(b.key as string | number);
          b.aggs = o === undefined ? emptySubs(subs) : subs.build(o);
        };
        if (p.order.some((o) => o.by === 'path')) buckets.forEach(fill);
        const { kept, other } = topBuckets(req, buckets, p, p.shard_size);
        if (!p.order.some((o) => o.by === 'path')) kept.forEach(fill);
        ctx.budget.addBuckets(kept.length);
        return { valueType: src.kind, format: src.format, buckets: kept, sumOther: other, docCountError: 0, shardSize: p.shard_size };
      },
    };
  },
  reduce(req, partials, rt) {
    return reduceTerms(req, partials as TermsPartial[], rt);
  },
  render: (req, reduced, opts) => renderTerms(req, reduced as TermsPartial, opts),
  typedName(_req, reduced) {
    const t = (reduced as TermsPartial).valueType;
    return t === 'string' || t === 'ip' ? 'sterms' : t === 'double' ? 'dterms' : t === 'unmapped' ? 'umterms' : 'lterms';
  },
  buckets: (reduced) => (reduced as TermsPartial).buckets,
};

function emptySubs(subs: SubAggs): Record<string, unknown> {
  return subs.build(Number.MAX_SAFE_INTEGER);
}

/** InternalTerms.reduce, including doc count error bookkeeping. */
export function reduceTerms(req: AggregationRequest, partials: TermsPartial[], rt: ReduceRuntime): TermsPartial {
  const p = req.params as TermsParams;
  const mapped = partials.filter((x) => x.valueType !== 'unmapped');
  const ref = mapped[0] ?? partials[0];
  if (!ref) return { valueType: 'unmapped', format: { t: 'raw' }, buckets: [], sumOther: 0, docCountError: 0, shardSize: p.shard_size };
  // Mixing long and double shards: keys become doubles (same JS numbers).
  const valueType: ValueKind = mapped.some((x) => x.valueType === 'double') ? 'double' : ref.valueType;
  let sumOther = 0;
  let sumErr = 0;
  const lists: TermsBucket[][] = [];
  for (const t of mapped.length > 0 ? mapped : partials) {
    sumOther += t.sumOther;
    let err: number;
    if (t.buckets.length < t.shardSize || isKeyOrder(p.order)) err = 0;
    else if (isCountDesc(p.order)) err = t.docCountError > 0 ? t.docCountError : t.buckets[t.buckets.length - 1].doc_count;
    else err = -1;
    if (sumErr !== -1) sumErr = err === -1 ? -1 : sumErr + err;
    lists.push(t.buckets.map((b) => ({ ...b, err: b.err - err })));
  }
  const groups = groupByKey(lists, (b) => JSON.stringify(b.key));
  const reduced: TermsBucket[] = [];
  for (const g of groups.values()) {
    let dc = 0, err = 0;
    for (const b of g) { dc += b.doc_count; err += b.err; }
    const bucket: TermsBucket = { key: g[0].key, doc_count: dc, err: sumErr === -1 ? -1 : err + sumErr, aggs: rt.reduceSubs(req.subAggs, g.map((b) => b.aggs)) };
    if (bucket.doc_count >= p.min_doc_count) reduced.push(bucket);
  }
  const cmp = bucketComparator(p.order, req.subAggs);
  reduced.sort(cmp);
  const kept = reduced.slice(0, p.size);
  for (let i = p.size; i < reduced.length; i++) sumOther += reduced[i].doc_count;
  rt.addBuckets(kept.length);
  const docCountError = sumErr === -1 ? -1 : partials.length === 1 ? 0 : sumErr;
  return { valueType, format: ref.format, ...(ref.multi ? { multi: ref.multi } : {}), buckets: kept, sumOther, docCountError, shardSize: p.shard_size };
}

/** Renders a terms-like bucket key (`key`, and `key_as_string` for formatted numbers). */
export function renderKey(valueType: ValueKind, format: FormatSpec, key: string | number | (string | number)[]): Record<string, unknown> {
  if (Array.isArray(key)) return { key };
  if (typeof key === 'string') return { key: formatTerm(format, key) };
  if (valueType === 'double' && format.t === 'raw') return { key };
  return hasString(format) ? { key, key_as_string: formatNumber(format, key) } : { key };
}

/** Renders terms and multi_terms results. */
export function renderTerms(req: AggregationRequest, r: TermsPartial, opts: RenderOptions): Record<string, unknown> {
  const p = req.params as TermsParams;
  const multiKey = (key: (string | number)[]) => {
    const m = r.multi!;
    const parts = key.map((k, i) => (typeof k === 'string' ? formatTerm(m.formats[i], k)
      : m.formats[i].t === 'bool' ? k !== 0 : m.formats[i].t === 'date' ? formatNumber(m.formats[i], k) : k));
    const strs = key.map((k, i) => (typeof k === 'string' ? formatTerm(m.formats[i], k) : hasString(m.formats[i]) ? formatNumber(m.formats[i], k) : String(k)));
    return { key: parts, key_as_string: strs.join('|') };
  };
  return {
    doc_count_error_upper_bound: r.docCountError,
    sum_other_doc_count: r.sumOther,
    buckets: r.buckets.map((b) => ({
      ...(r.multi && Array.isArray(b.key) ? multiKey(b.key) : renderKey(r.valueType, r.format, b.key)),
      doc_count: b.doc_count,
      ...(p.show_term_doc_count_error ? { doc_count_error_upper_bound: b.err } : {}),
      ...renderSubs(req.subAggs, b.aggs, opts),
    })),
  };
}

