// `top_hits`: the top documents of each bucket, sorted by doc-value fields (or by score — scores are not
// available to aggregations yet, so every hit scores 1.0 and ties keep doc order, as match_all does),
// rendered like search hits with `_source` filtering, `sort` values and seq_no/primary_term.

import { bool, checkKeys, illegalArgument, int, type Json } from './parse-helpers.ts';
import { numericColumn, ordinalColumn, isNumeric, resolveSource, type ValuesSource } from './values-source.ts';
import type { AggregationType } from './types.ts';

interface SortSpec { field: string; asc: boolean }
interface Params { from: number; size: number; sort: SortSpec[]; source: boolean | { includes: string[]; excludes: string[] }; seqNo: boolean; version: boolean }

interface Hit { index: string; id: string; shard: number; seg: number; doc: number; sort: (number | string | null)[]; source: unknown; seqNo?: number; primaryTerm?: number; version?: number }
interface Partial { total: number; hits: Hit[] }

function parseSort(v: unknown): SortSpec[] {
  const list = Array.isArray(v) ? v : [v];
  return list.map((s) => {
    if (typeof s === 'string') return { field: s, asc: s !== '_score' };
    const [field] = Object.keys(s as Json);
    const spec = (s as Json)[field];
    const order = typeof spec === 'string' ? spec : ((spec as Json)?.order as string | undefined);
    return { field, asc: order ? order === 'asc' : field !== '_score' };
  });
}

function filterSource(src: Record<string, unknown>, f: Params['source']): unknown {
  if (f === true) return src;
  if (f === false) return undefined;
  const match = (path: string, pats: string[]) => pats.some((p) => new RegExp('^' + p.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '(\\..*)?$').test(path));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(src)) {
    if (f.includes.length > 0 && !match(k, f.includes)) continue;
    if (match(k, f.excludes)) continue;
    out[k] = v;
  }
  return out;
}

function compareHits(sort: SortSpec[]) {
  return (a: Hit, b: Hit): number => {
    for (let i = 0; i < sort.length; i++) {
      const x = a.sort[i], y = b.sort[i];
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      const c = x < y ? -1 : 1;
      return sort[i].asc ? c : -c;
    }
    return a.shard - b.shard || a.seg - b.seg || a.doc - b.doc;
  };
}

export const topHitsAgg: AggregationType = {
  kind: 'metric',
  parse(_name, body: Json): Params {
    checkKeys('top_hits', body, ['from', 'size', 'sort', '_source', 'seq_no_primary_term', 'version', 'explain', 'docvalue_fields', 'stored_fields', 'script_fields', 'highlight', 'track_scores', 'fields']);
    const p: Params = {
      from: body.from === undefined ? 0 : int('top_hits', 'from', body.from),
      size: body.size === undefined ? 3 : int('top_hits', 'size', body.size),
      sort: body.sort === undefined ? [] : parseSort(body.sort).filter((s) => s.field !== '_score' || !s.asc),
      source: true,
      seqNo: body.seq_no_primary_term === undefined ? false : bool('top_hits', 'seq_no_primary_term', body.seq_no_primary_term),
      version: body.version === undefined ? false : bool('top_hits', 'version', body.version),
    };
    if (p.from + p.size > 100) throw illegalArgument(`Top hits result window is too large, the top hits aggregator [${_name}]'s from + size must be less than or equal to: [100] but was [${p.from + p.size}]. This limit can be set by changing the [index.max_inner_result_window] index level setting.`);
    const s = body._source;
    if (s === false || s === true) p.source = s;
    else if (typeof s === 'string' || Array.isArray(s)) p.source = { includes: ([] as string[]).concat(s as string), excludes: [] };
    else if (s && typeof s === 'object') p.source = { includes: ([] as string[]).concat(((s as Json).includes ?? (s as Json).include ?? []) as string[]), excludes: ([] as string[]).concat(((s as Json).excludes ?? (s as Json).exclude ?? []) as string[]) };
    return p;
  },
  create(req, ctx) {
    const p = req.params as Params;
    const sortFields = p.sort.filter((s) => s.field !== '_score');
    // Fields inside `nested` objects live in the nested docs, not the root: a root hit has no value.
    const inNested = (path: string) => path.split('.').some((_, i, parts) => ctx.shard.mapping.objects.get(parts.slice(0, i + 1).join('.'))?.type === 'nested');
    const srcs: (ValuesSource | null)[] = sortFields.map((s) => (ctx.shard.mapping.field(s.field) && !inNested(s.field) ? resolveSource({ field: s.field }, ctx.shard, 'top_hits') : null));
    const per: Hit[][] = [];
    const totals: number[] = [];
    const cmp = compareHits(p.sort);
    return {
      leaf(segment, segOrd) {
        const cols = srcs.map((s) => (s === null ? null : isNumeric(s) ? numericColumn(segment, s) : ordinalColumn(segment, s)));
        return {
          collect(doc, ord) {
            totals[ord] = (totals[ord] ?? 0) + 1;
            const sort = cols.map((c, i) => {
              if (!c || c.offsets[doc] === c.offsets[doc + 1]) return null;
              const at = sortFields[i].asc ? c.offsets[doc] : c.offsets[doc + 1] - 1;
              return c.kind === 'ordinal' ? c.terms![c.values[at]] : c.values[at];
            });
            const list = (per[ord] ??= []);
            list.push({ index: ctx.shard.indexName, id: segment.meta.ids.get(doc), shard: ctx.shard.shardId, seg: segOrd, doc, sort, source: null,
              seqNo: segment.meta.seqNos[doc], primaryTerm: segment.meta.primaryTerms[doc], version: segment.meta.versions[doc] });
            if (list.length > 4 * (p.from + p.size) + 16) {
              list.sort(cmp);
              list.length = p.from + p.size;
            }
          },
        };
      },
      build(ord): Partial {
        const list = (per[ord] ?? []).sort(cmp).slice(0, p.from + p.size);
        for (const h of list) {
          const seg = ctx.shard.segments[h.seg];
          h.source = filterSource(JSON.parse(seg.source(h.doc).toString('utf8')), p.source);
        }
        return { total: totals[ord] ?? 0, hits: list };
      },
    };
  },
  reduce(req, partials) {
    const p = req.params as Params;
    const list = partials as Partial[];
    const all = list.flatMap((x) => x.hits).sort(compareHits(p.sort));
    return { total: list.reduce((a, x) => a + x.total, 0), hits: all.slice(p.from, p.from + p.size) };
  },
  render(req, reduced) {
    const p = req.params as Params;
    const r = reduced as Partial;
    const byScore = p.sort.length === 0 || p.sort[0].field === '_score';
    return {
      hits: {
        total: { value: r.total, relation: 'eq' },
        max_score: byScore && r.hits.length > 0 ? 1.0 : null,
        hits: r.hits.map((h) => ({
          _index: h.index, _id: h.id,
          ...(p.version ? { _version: h.version } : {}),
          ...(p.seqNo ? { _seq_no: h.seqNo, _primary_term: h.primaryTerm } : {}),
          _score: byScore ? 1.0 : null,
          ...(h.source !== undefined ? { _source: h.source } : {}),
          ...(p.sort.length > 0 ? { sort: h.sort.map((v, i) => (v === null ? (p.sort[i].asc ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER) : v)) } : {}),
        })),
      },
    };
  },
  typedName: () => 'top_hits',
};
