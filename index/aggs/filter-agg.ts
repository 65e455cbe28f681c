// Single- and fixed-bucket aggregations: `filter`, `filters` (keyed or anonymous, other_bucket),
// `missing` (docs without a value) and `global` (every live doc, ignoring the query). Each bucket is a
// doc count plus sub-aggregation partials; reduce sums counts and reduces the subs.

import { SubAggs, liveDocs, runLeaf } from './collect.ts';
import { checkQuery, compileFilter, type DocMask } from './query-adapter.ts';
import { asObject, bool, checkKeys, illegalArgument, parsingError, str, type Json } from './parse-helpers.ts';
import { renderSubs } from './render.ts';
import { numericColumn, ordinalColumn, isNumeric, parseSource, resolveSource } from './values-source.ts';
import type { AggregationRequest, AggregationType, Aggregator, CollectContext, LeafCollector, ReducedBucket } from './types.ts';

interface Bucket extends ReducedBucket { key: string; doc_count: number; aggs: Record<string, unknown> }

/** A fixed list of buckets, each with a per-segment doc test. */
function fixedBuckets(
  req: AggregationRequest, ctx: CollectContext, n: number,
  segmentTests: (segment: import('../segment/segment.ts').Segment) => ((doc: number) => number)[],
): Aggregator {
  const subs = new SubAggs(req.subAggs, ctx, { multiBucket: n > 1, topLevel: false });
  let counts = new Float64Array(n);
  return {
    leaf(segment, segOrd, docs): LeafCollector {
      subs.leaf(segment, segOrd, docs);
      const tests = segmentTests(segment);
      return {
        collect(doc, owner) {
          for (let i = 0; i < tests.length; i++) {
            const k = tests[i](doc);
            if (k < 0) continue;
            const b = owner * n + k;
            if (b >= counts.length) {
              const c = new Float64Array(Math.max(b + 1, counts.length * 2));
              c.set(counts);
              counts = c;
              ctx.budget.addBytes(c.length * 8);
            }
            counts[b]++;
            subs.collect(doc, b);
          }
        },
      };
    },
    finish: () => subs.finish(),
    build(owner) {
      const out: { doc_count: number; aggs: Record<string, unknown> }[] = [];
      for (let k = 0; k < n; k++) {
        const b = owner * n + k;
        out.push({ doc_count: b < counts.length ? counts[b] : 0, aggs: subs.build(b) });
      }
      ctx.budget.addBuckets(n);
      return out;
    },
  };
}

type Fixed = { doc_count: number; aggs: Record<string, unknown> }[];

function reduceFixed(req: AggregationRequest, partials: Fixed[], rt: import('./types.ts').ReduceRuntime, n: number): Fixed {
  const out: Fixed = [];
  for (let k = 0; k < n; k++) {
    out.push({
      doc_count: partials.reduce((a, p) => a + p[k].doc_count, 0),
      aggs: rt.reduceSubs(req.subAggs, partials.map((p) => p[k].aggs)),
    });
  }
  return out;
}

/** A single-bucket aggregation type from a per-segment doc test. */
function singleBucket(
  name: string,
  parse: (aggName: string, body: Json) => unknown,
  test: (req: AggregationRequest, ctx: CollectContext) => (segment: import('../segment/segment.ts').Segment) => (doc: number) => number,
  custom?: (req: AggregationRequest, ctx: CollectContext) => Aggregator,
): AggregationType {
  return {
    kind: 'bucket',
    parse,
    create(req, ctx) {
      if (custom) return custom(req, ctx);
      const t = test(req, ctx);
      return fixedBuckets(req, ctx, 1, (s) => [t(s)]);
    },
    reduce: (req, partials, rt) => reduceFixed(req, partials as Fixed[], rt, 1)[0],
    render: (req, reduced, opts) => {
      const r = reduced as Fixed[0];
      return { doc_count: r.doc_count, ...renderSubs(req.subAggs, r.aggs, opts) };
    },
    typedName: () => name,
    buckets: (reduced) => [{ key: name, ...(reduced as Fixed[0]) }],
  };
}

const maskTest = (mask: DocMask) => (s: import('../segment/segment.ts').Segment) => {
  const m = mask(s);
  return (doc: number) => (m[doc] ? 0 : -1);
};

/** `filter`: the docs matching a query. */
export const filterAgg = singleBucket(
  'filter',
  (_n, body) => {
    return { query: checkQuery(body) };
  },
  (req, ctx) => maskTest(compileFilter(req.params.query, ctx.shard)),
);

/** `missing`: docs without a value in the field. */
export const missingAgg = singleBucket(
  'missing',
  (_n, body) => parseSource('missing', body, [], false),
  (req, ctx) => {
    const src = resolveSource({ ...req.params, missing: undefined }, ctx.shard, 'missing');
    return (s) => {
      const col = isNumeric(src) ? numericColumn(s, src) : ordinalColumn(s, src);
      if (!col) return () => 0;
      const off = col.offsets;
      return (doc) => (off[doc] === off[doc + 1] ? 0 : -1);
    };
  },
);

/** `global`: every live doc of the shard, whatever the query. */
export const globalAgg = singleBucket(
  'global',
  (_n, body) => {
    checkKeys('global', body, []);
    return {};
  },
  () => () => () => 0,
  (req, ctx) => {
    const inner = fixedBuckets(req, ctx, 1, () => [() => 0]);
    return {
      leaf: () => ({ collect() {} }),
      finish() {
        ctx.shard.segments.forEach((segment, ord) => {
          const docs = liveDocs(segment);
          runLeaf(inner.leaf(segment, ord, docs), docs);
        });
        inner.finish?.();
      },
      build: (owner) => inner.build(owner),
    };
  },
);

interface FiltersParams {
  keyed: boolean;
  names: string[] | null;
  queries: unknown[];
  other: boolean;
  otherKey: string;
}

/** `filters`: one bucket per query, optionally an `_other_` bucket. */
export const filtersAgg: AggregationType = {
  kind: 'bucket',
  parse(name, body): FiltersParams {
    checkKeys('filters', body, ['filters', 'other_bucket', 'other_bucket_key', 'keyed']);
    const f = body.filters;
    if (f === undefined) throw parsingError(`[filters] cannot be empty.`);
    let names: string[] | null = null;
    let queries: unknown[];
    if (Array.isArray(f)) {
      queries = f;
    } else {
      const o = asObject(f, 'filters');
      names = Object.keys(o).sort();
      queries = names.map((k) => o[k]);
    }
    if (queries.length === 0) throw illegalArgument(`[filters] cannot be empty.`);
    queries = queries.map(checkQuery);
    const otherKey = body.other_bucket_key === undefined ? '_other_' : str('filters', 'other_bucket_key', body.other_bucket_key);
    const other = body.other_bucket !== undefined ? bool('filters', 'other_bucket', body.other_bucket) : body.other_bucket_key !== undefined;
    const keyed = body.keyed === undefined ? names !== null : bool('filters', 'keyed', body.keyed);
    void name;
    return { keyed, names, queries, other, otherKey };
  },
  create(req, ctx) {
    const p = req.params as FiltersParams;
    const masks = p.queries.map((q) => compileFilter(q, ctx.shard));
    const n = masks.length + (p.other ? 1 : 0);
    return fixedBuckets(req, ctx, n, (s) => {
      const ms = masks.map((m) => m(s));
      const tests = ms.map((m, k) => (doc: number) => (m[doc] ? k : -1));
      if (p.other) tests.push((doc) => (ms.some((m) => m[doc]) ? -1 : masks.length));
      return tests;
    });
  },
  reduce(req, partials, rt) {
    const p = req.params as FiltersParams;
    return reduceFixed(req, partials as Fixed[], rt, p.queries.length + (p.other ? 1 : 0));
  },
  render(req, reduced, opts) {
    const p = req.params as FiltersParams;
    const r = reduced as Fixed;
    const keys = [...(p.names ?? p.queries.map((_, i) => String(i))), ...(p.other ? [p.otherKey] : [])];
    if (p.keyed) {
      const out: Record<string, unknown> = {};
      r.forEach((b, i) => (out[keys[i]] = { doc_count: b.doc_count, ...renderSubs(req.subAggs, b.aggs, opts) }));
      return { buckets: out };
    }
    return {
      buckets: r.map((b, i) => ({ ...(p.names ? { key: keys[i] } : {}), doc_count: b.doc_count, ...renderSubs(req.subAggs, b.aggs, opts) })),
    };
  },
  typedName: () => 'filters',
  buckets(reduced) {
    return (reduced as Fixed).map((b, i) => ({ key: i, ...b }) as Bucket & { key: never });
  },
};

/**
 * `sampler`: sub-aggregations over the best `shard_size` docs of each shard. Scores are not available
 * to aggregations yet, so the sample is the first docs in index order (what constant-score queries rank).
 */
export const samplerAgg = singleBucket(
  'sampler',
  (_n, body) => {
    checkKeys('sampler', body, ['shard_size']);
    const shardSize = body.shard_size === undefined ? 100 : Number(body.shard_size);
    if (!Number.isInteger(shardSize) || shardSize <= 0) throw illegalArgument('[shard_size] must be greater than 0');
    return { shard_size: shardSize };
  },
  (req) => {
    let seen = 0;
    return () => () => (seen++ < req.params.shard_size ? 0 : -1);
  },
);
