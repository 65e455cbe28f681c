// `multi_terms`: terms over the combination of several fields' values (a doc contributes every
// combination of its values). Shard results and reduce are those of `terms` with array keys;
// keys render as arrays plus `key_as_string` joined with `|`.

import { SubAggs } from './collect.ts';
import { bucketComparator, isKeyOrder, parseOrder, validateOrderPaths } from './bucket-order.ts';
import { asObject, illegalArgument, int, checkKeys, type Json } from './parse-helpers.ts';
import { reduceTerms, renderTerms, type TermsBucket, type TermsParams, type TermsPartial } from './terms-agg.ts';
import { isNumeric, numericColumn, ordinalColumn, parseSource, resolveSource, type SourceParams } from './values-source.ts';
import type { DocValuesField } from '../segment/segment.ts';
import type { AggregationType } from './types.ts';

interface Params extends TermsParams { terms: SourceParams[] }

export const multiTermsAgg: AggregationType = {
  kind: 'bucket',
  parse(name, body: Json): Params {
    checkKeys('multi_terms', body, ['terms', 'size', 'shard_size', 'min_doc_count', 'shard_min_doc_count', 'order', 'collect_mode', 'show_term_doc_count_error']);
    if (!Array.isArray(body.terms) || body.terms.length < 2) throw illegalArgument(`The [terms] parameter in the aggregation [${name}] must be present and have at least 2 fields or scripts.`);
    const terms = body.terms.map((t) => parseSource('multi_terms', asObject(t, 'terms'), []));
    const size = body.size === undefined ? 10 : int('multi_terms', 'size', body.size);
    const order = body.order === undefined ? [{ by: '_count' as const, asc: false }] : parseOrder('multi_terms', body.order);
    return {
      terms, size, order,
      shard_size: body.shard_size === undefined ? (isKeyOrder(order) ? size : Math.floor(size * 1.5 + 10)) : Math.max(size, int('multi_terms', 'shard_size', body.shard_size)),
      min_doc_count: body.min_doc_count === undefined ? 1 : int('multi_terms', 'min_doc_count', body.min_doc_count),
      shard_min_doc_count: body.shard_min_doc_count === undefined ? 0 : int('multi_terms', 'shard_min_doc_count', body.shard_min_doc_count),
      show_term_doc_count_error: body.show_term_doc_count_error === true,
    };
  },
  create(req, ctx) {
    const p = req.params as Params;
    validateOrderPaths(p.order, req.subAggs, req.name);
    const srcs = p.terms.map((t) => resolveSource(t, ctx.shard, 'multi_terms'));
    const subs = new SubAggs(req.subAggs, ctx, { multiBucket: true, topLevel: false });
    const index: Map<string, number>[] = [];
    const keys: (string | number)[][] = [];
    const counts: number[] = [];
    const byOwner: number[][] = [];
    /** Every key combination of the shard's live docs (min_doc_count 0 lists them with count 0). */
    const allKeys = () => {
      const out = new Map<string, (string | number)[]>();
      for (const seg of ctx.shard.segments) {
        const cols = srcs.map((s) => (isNumeric(s) ? numericColumn(seg, s) : ordinalColumn(seg, s)));
        for (let doc = 0; doc < seg.maxDoc; doc++) {
          if (!seg.isLive(doc)) continue;
          for (const key of combos(cols, doc)) out.set(JSON.stringify(key), key);
        }
      }
      return out;
    };
    return {
      leaf(segment, segOrd, docs) {
        subs.leaf(segment, segOrd, docs);
        const cols = srcs.map((s) => (isNumeric(s) ? numericColumn(segment, s) : ordinalColumn(segment, s)));
        return {
          collect(doc, owner) {
            const m = (index[owner] ??= new Map());
            for (const key of combos(cols, doc)) {
              const id = JSON.stringify(key);
              let b = m.get(id);
              if (b === undefined) {
                b = keys.length;
                m.set(id, b);
                keys.push(key);
                counts.push(0);
                (byOwner[owner] ??= []).push(b);
                ctx.budget.addBytes(96);
              }
              counts[b]++;
              subs.collect(doc, b);
            }
          },
        };
      },
      finish: () => subs.finish(),
      build(owner): TermsPartial {
        const all: TermsBucket[] = (byOwner[owner] ?? []).filter((b) => counts[b] >= p.shard_min_doc_count)
          .map((b) => ({ key: keys[b], doc_count: counts[b], err: 0, aggs: subs.build(b) }));
        if (p.min_doc_count === 0) {
          const seen = index[owner] ?? new Map();
          for (const [id, key] of allKeys()) if (!seen.has(id)) all.push({ key, doc_count: 0, err: 0, aggs: subs.build(Number.MAX_SAFE_INTEGER) });
        }
        all.sort(bucketComparator(p.order, req.subAggs));
        const kept = all.slice(0, p.shard_size);
        const other = all.slice(p.shard_size).reduce((a, b) => a + b.doc_count, 0);
        ctx.budget.addBuckets(kept.length);
        return {
          valueType: 'string', format: { t: 'raw' }, multi: { kinds: srcs.map((s) => s.kind), formats: srcs.map((s) => s.format) },
          buckets: kept, sumOther: other, docCountError: 0, shardSize: p.shard_size,
        };
      },
    };
  },
  reduce: (req, partials, rt) => reduceTerms(req, partials as TermsPartial[], rt),
  render: (req, reduced, opts) => renderTerms(req, reduced as TermsPartial, opts),
  typedName: () => 'multi_terms',
  buckets: (reduced) => (reduced as TermsPartial).buckets,
};

/** Every combination of a doc's values across the columns (none when a column has no value). */
function combos(cols: (DocValuesField | null)[], doc: number): (string | number)[][] {
  let out: (string | number)[][] = [[]];
  for (const col of cols) {
    if (!col || col.offsets[doc] === col.offsets[doc + 1]) return [];
    const vals: (string | number)[] = [];
    for (let i = col.offsets[doc]; i < col.offsets[doc + 1]; i++) {
      const v = col.kind === 'ordinal' ? col.terms![col.values[i]] : col.values[i];
      if (vals[vals.length - 1] !== v) vals.push(v);
    }
    out = out.flatMap((c) => vals.map((v) => [...c, v]));
  }
  return out;
}
