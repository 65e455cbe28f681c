// `rare_terms` (terms whose doc count is at most max_doc_count, by count then key) and `significant_terms`
// on keyword fields (foreground = matching docs, background = the whole shard, JLH score by default).
// Both reuse the term collector; shards send every candidate term with counts, reduce is exact.

import { SubAggs } from './collect.ts';
import { compareKeys } from './bucket-order.ts';
import { type FormatSpec } from './doc-value-format.ts';
import { compileIncludeExclude, type IncludeExclude } from './include-exclude.ts';
import { illegalArgument, int, type Json, num } from './parse-helpers.ts';
import { groupByKey } from './reduce.ts';
import { renderSubs } from './render.ts';
import { TermCollector } from './term-collector.ts';
import { renderKey } from './terms-agg.ts';
import { isNumeric, numericColumn, ordinalColumn, parseSource, resolveSource, type SourceParams, type ValueKind } from './values-source.ts';
import type { AggregationType, ReducedBucket } from './types.ts';

interface RareParams extends SourceParams, IncludeExclude { max_doc_count: number }

interface Bucket extends ReducedBucket { key: string | number; doc_count: number; aggs: Record<string, unknown>; bg?: number }
interface Partial { valueType: ValueKind; format: FormatSpec; buckets: Bucket[]; subsetSize?: number; supersetSize?: number }

const prefix = (t: ValueKind) => (t === 'string' || t === 'ip' ? 's' : t === 'unmapped' ? 'um' : t === 'double' ? 'd' : 'l');

export const rareTermsAgg: AggregationType = {
  kind: 'bucket',
  parse(name, body: Json): RareParams {
    const p = parseSource('rare_terms', body, ['max_doc_count', 'precision', 'include', 'exclude']) as RareParams;
    p.max_doc_count = body.max_doc_count === undefined ? 1 : int('rare_terms', 'max_doc_count', body.max_doc_count);
    if (p.max_doc_count <= 0) throw illegalArgument(`[maxDocCount] must be greater than 0. Found [${p.max_doc_count}] in [${name}]`);
    if (p.max_doc_count > 100) throw illegalArgument(`[max_doc_count] must be smaller or equal to [100] in [${name}]`);
    if (body.include !== undefined) p.include = body.include as never;
    if (body.exclude !== undefined) p.exclude = body.exclude as never;
    return p;
  },
  create(req, ctx) {
    const p = req.params as RareParams;
    const src = resolveSource(p, ctx.shard, 'rare_terms');
    const subs = new SubAggs(req.subAggs, ctx, { multiBucket: true, topLevel: false });
    const tc = new TermCollector(src, ctx, subs, compileIncludeExclude(req.name, p, src), false);
    return {
      leaf: (s, o, d) => tc.leaf(s, o, d),
      finish: () => subs.finish(),
      build(owner): Partial {
        const buckets = (tc.byOwner[owner] ?? []).map((b) => ({ key: tc.keys[b], doc_count: tc.counts[b], aggs: subs.build(b) }));
        return { valueType: src.kind, format: src.format, buckets };
      },
    };
  },
  reduce(req, partials, rt) {
    const p = req.params as RareParams;
    const list = partials as Partial[];
    const ref = list.find((x) => x.valueType !== 'unmapped') ?? list[0];
    const groups = groupByKey(list.map((x) => x.buckets), (b) => `${typeof b.key}:${b.key}`);
    const out: Bucket[] = [];
    for (const g of groups.values()) {
      const dc = g.reduce((a, b) => a + b.doc_count, 0);
      if (dc <= p.max_doc_count) out.push({ key: g[0].key, doc_count: dc, aggs: rt.reduceSubs(req.subAggs, g.map((b) => b.aggs)) });
    }
    out.sort((a, b) => a.doc_count - b.doc_count || compareKeys(a.key, b.key));
    rt.addBuckets(out.length);
    return { valueType: ref?.valueType ?? 'unmapped', format: ref?.format ?? { t: 'raw' }, buckets: out };
  },
  render(req, reduced, opts) {
    const r = reduced as Partial;
    return { buckets: r.buckets.map((b) => ({ ...renderKey(r.valueType, r.format, b.key), doc_count: b.doc_count, ...renderSubs(req.subAggs, b.aggs, opts) })) };
  },
  typedName: (_r, reduced) => `${prefix((reduced as Partial).valueType)}rareterms`,
  buckets: (reduced) => (reduced as Partial).buckets,
};

interface SigParams extends SourceParams, IncludeExclude { size: number; shard_size: number; min_doc_count: number; heuristic: string }

const SIG_KEYS = ['size', 'shard_size', 'min_doc_count', 'shard_min_doc_count', 'include', 'exclude', 'execution_hint',
  'background_filter', 'jlh', 'mutual_information', 'chi_square', 'gnd', 'percentage', 'script_heuristic'];

/** JLH and percentage significance scores (OpenSearch's defaults for keyword fields). */
function score(h: string, subset: number, subsetSize: number, superset: number, supersetSize: number): number {
  if (subsetSize === 0 || supersetSize === 0) return 0;
  const sub = subset / subsetSize, sup = superset / supersetSize;
  if (h === 'percentage') return superset === 0 ? 0 : subset / superset;
  if (sup === 0) return 0;
  const diff = sub - sup;
  return diff <= 0 ? 0 : diff * (sub / sup);
}

export const significantTermsAgg: AggregationType = {
  kind: 'bucket',
  parse(_name, body: Json): SigParams {
    const p = parseSource('significant_terms', body, SIG_KEYS) as SigParams;
    p.size = body.size === undefined ? 10 : int('significant_terms', 'size', body.size);
    p.shard_size = body.shard_size === undefined ? Math.floor(p.size * 1.5 + 10) : int('significant_terms', 'shard_size', body.shard_size);
    p.min_doc_count = body.min_doc_count === undefined ? 3 : num('significant_terms', 'min_doc_count', body.min_doc_count);
    p.heuristic = body.percentage !== undefined ? 'percentage' : 'jlh';
    if (body.include !== undefined) p.include = body.include as never;
    if (body.exclude !== undefined) p.exclude = body.exclude as never;
    return p;
  },
  create(req, ctx) {
    const p = req.params as SigParams;
    const src = resolveSource(p, ctx.shard, 'significant_terms');
    const subs = new SubAggs(req.subAggs, ctx, { multiBucket: true, topLevel: false });
    const tc = new TermCollector(src, ctx, subs, compileIncludeExclude(req.name, p, src), false);
    const subsetSizes: number[] = [];
    let background: { bg: Map<string | number, number>; supersetSize: number } | undefined;
    return {
      leaf(s, o, d) {
        const inner = tc.leaf(s, o, d);
        return { collect(doc, owner) { subsetSizes[owner] = (subsetSizes[owner] ?? 0) + 1; inner.collect(doc, owner); } };
      },
      finish: () => subs.finish(),
      build(owner): Partial {
        const { bg, supersetSize } = (background ??= backgroundCounts());
        const buckets = (tc.byOwner[owner] ?? []).map((b) => ({ key: tc.keys[b], doc_count: tc.counts[b], bg: bg.get(tc.keys[b]) ?? 0, aggs: subs.build(b) }));
        return { valueType: src.kind, format: src.format, buckets, subsetSize: subsetSizes[owner] ?? 0, supersetSize };
      },
    };
    /** Background: doc frequency of every term over the shard's live docs (computed once). */
    function backgroundCounts() {
      const bg = new Map<string | number, number>();
      let supersetSize = 0;
      for (const seg of ctx.shard.segments) {
        const col = isNumeric(src) ? numericColumn(seg, src) : ordinalColumn(seg, src);
        for (let d = 0; d < seg.maxDoc; d++) {
          if (!seg.isLive(d)) continue;
          supersetSize++;
          if (!col) continue;
          let prev: unknown;
          for (let i = col.offsets[d]; i < col.offsets[d + 1]; i++) {
            const k = col.kind === 'ordinal' ? col.terms![col.values[i]] : col.values[i];
            if (k === prev) continue;
            prev = k;
            bg.set(k, (bg.get(k) ?? 0) + 1);
          }
        }
      }
      return { bg, supersetSize };
    }
  },
  reduce(req, partials, rt) {
    const p = req.params as SigParams;
    const list = partials as Partial[];
    const subsetSize = list.reduce((a, x) => a + (x.subsetSize ?? 0), 0);
    const supersetSize = list.reduce((a, x) => a + (x.supersetSize ?? 0), 0);
    const groups = groupByKey(list.map((x) => x.buckets), (b) => `${typeof b.key}:${b.key}`);
    const out: (Bucket & { score: number })[] = [];
    for (const g of groups.values()) {
      const dc = g.reduce((a, b) => a + b.doc_count, 0);
      const bg = g.reduce((a, b) => a + (b.bg ?? 0), 0);
      const s = score(p.heuristic, dc, subsetSize, bg, supersetSize);
      if (dc >= p.min_doc_count && s > 0) out.push({ key: g[0].key, doc_count: dc, bg, score: s, aggs: rt.reduceSubs(req.subAggs, g.map((b) => b.aggs)) });
    }
    out.sort((a, b) => b.score - a.score || compareKeys(a.key, b.key));
    const kept = out.slice(0, p.size);
    rt.addBuckets(kept.length);
    const ref = list.find((x) => x.valueType !== 'unmapped') ?? list[0];
    return { valueType: ref?.valueType ?? 'unmapped', format: ref?.format ?? { t: 'raw' }, buckets: kept, subsetSize, supersetSize };
  },
  render(req, reduced, opts) {
    const r = reduced as Partial;
    return {
      doc_count: r.subsetSize ?? 0,
      bg_count: r.supersetSize ?? 0,
      buckets: r.buckets.map((b) => ({
        ...renderKey(r.valueType, r.format, b.key), doc_count: b.doc_count, score: (b as Bucket & { score: number }).score, bg_count: b.bg,
        ...renderSubs(req.subAggs, b.aggs, opts),
      })),
    };
  },
  typedName: (_r, reduced) => `${prefix((reduced as Partial).valueType) === 'um' ? 'umsig' : 'sig' + prefix((reduced as Partial).valueType)}terms`,
  buckets: (reduced) => (reduced as Partial).buckets,
};
