// `auto_date_histogram`: a date histogram whose interval is chosen so that at most `buckets` buckets
// come back, from OpenSearch's list of roundings (1/5/10/30 s and m, 1/3/12 h, 1/7 d, 1/3 M, 1–100 y).
// Shards pick a rounding from their own range; reduce re-rounds into the coarsest one that fits.

import { SubAggs } from './collect.ts';
import { nextCalendar, roundDownCalendar, type CalendarUnit } from './date-support.ts';
import { formatNumber, type FormatSpec } from './doc-value-format.ts';
import { illegalArgument, int, str, type Json } from './parse-helpers.ts';
import { groupByKey } from './reduce.ts';
import { renderSubs } from './render.ts';
import { TermCollector } from './term-collector.ts';
import { formatFor, numericColumn, parseSource, resolveSource, type SourceParams } from './values-source.ts';
import type { AggregationRequest, AggregationType, ReducedBucket } from './types.ts';

interface Rounding { unit: CalendarUnit; n: number; label: string; approxMs: number }

const ROUNDINGS: Rounding[] = [
  ...[1, 5, 10, 30].map((n) => ({ unit: 'minute' as const, n: 0, label: `${n}s`, approxMs: n * 1000, sec: n })),
  ...[1, 5, 10, 30].map((n) => ({ unit: 'minute' as const, n, label: `${n}m`, approxMs: n * 60000 })),
  ...[1, 3, 12].map((n) => ({ unit: 'hour' as const, n, label: `${n}h`, approxMs: n * 3600000 })),
  ...[1, 7].map((n) => ({ unit: 'day' as const, n, label: `${n}d`, approxMs: n * 86400000 })),
  ...[1, 3].map((n) => ({ unit: 'month' as const, n, label: `${n}M`, approxMs: n * 2629746000 })),
  ...[1, 5, 10, 20, 50, 100].map((n) => ({ unit: 'year' as const, n, label: `${n}y`, approxMs: n * 31556952000 })),
];

const MIN_INTERVAL: Record<string, number> = { second: 0, minute: 4, hour: 8, day: 11, month: 13, year: 15 };

interface Params extends SourceParams { buckets: number; minimum_interval?: string; time_zone?: string }
interface Bucket extends ReducedBucket { key: number; doc_count: number; aggs: Record<string, unknown> }
interface Partial { format: FormatSpec; rounding: number; buckets: Bucket[] }

/** Rounds an instant down to the base unit of rounding `r` (inner intervals are applied at reduce). */
function roundWith(r: Rounding, v: number, tz?: string): number {
  if (r.n === 0) return Math.floor(v / 1000) * 1000;
  return roundDownCalendar(v, r.unit, tz);
}

/** The start of the next bucket of rounding `r` (n base units later). */
function nextWith(r: Rounding, k: number, tz?: string): number {
  if (r.n === 0) return k + r.approxMs;
  let next = k;
  for (let i = 0; i < r.n; i++) next = nextCalendar(next, r.unit, tz);
  return next;
}

function fits(r: Rounding, min: number, max: number, target: number, tz?: string): boolean {
  let count = 1;
  for (let k = roundWith(r, min, tz); k < roundWith(r, max, tz); k = nextWith(r, k, tz)) if (++count > target) return false;
  return true;
}

function choose(min: number, max: number, target: number, from: number, tz?: string): number {
  for (let i = from; i < ROUNDINGS.length; i++) {
    if (max - min > ROUNDINGS[i].approxMs * target * 2) continue;
    if (fits(ROUNDINGS[i], min, max, target, tz)) return i;
  }
  return ROUNDINGS.length - 1;
}

export const autoDateHistogramAgg: AggregationType = {
  kind: 'bucket',
  parse(name, body: Json): Params {
    const p = parseSource('auto_date_histogram', body, ['buckets', 'minimum_interval', 'time_zone']) as Params;
    p.buckets = body.buckets === undefined ? 10 : int('auto_date_histogram', 'buckets', body.buckets);
    if (p.buckets <= 0) throw illegalArgument(`[buckets] must be greater than 0 in [${name}]`);
    if (body.minimum_interval !== undefined) {
      p.minimum_interval = str('auto_date_histogram', 'minimum_interval', body.minimum_interval);
      if (!(p.minimum_interval in MIN_INTERVAL)) throw illegalArgument(`minimum_interval must be one of [second, minute, hour, day, month, year]`);
    }
    if (body.time_zone !== undefined) p.time_zone = str('auto_date_histogram', 'time_zone', body.time_zone);
    return p;
  },
  create(req, ctx) {
    const p = req.params as Params;
    const src = resolveSource(p, ctx.shard, 'auto_date_histogram', 'numeric');
    const format = formatFor('date', src.info, p.format, p.time_zone);
    // First pass over the shard's matching docs: the value range decides the shard's rounding.
    let min = Infinity, max = -Infinity;
    for (const m of ctx.matches) {
      const col = numericColumn(m.segment, src);
      if (!col) continue;
      for (const d of m.docs.toUint32Array()) {
        const s = col.offsets[d], e = col.offsets[d + 1];
        if (s === e) continue;
        if (col.values[s] < min) min = col.values[s];
        if (col.values[e - 1] > max) max = col.values[e - 1];
      }
    }
    const from = MIN_INTERVAL[p.minimum_interval ?? 'second'];
    const idx = min <= max ? choose(min, max, p.buckets, from, p.time_zone) : from;
    const r = ROUNDINGS[idx];
    const subs = new SubAggs(req.subAggs, ctx, { multiBucket: true, topLevel: false });
    const tc = new TermCollector(src, ctx, subs, null, false, (v) => roundWith(r, v, p.time_zone));
    return {
      leaf: (s, o, d) => tc.leaf(s, o, d),
      finish: () => subs.finish(),
      build(owner): Partial {
        const buckets = (tc.byOwner[owner] ?? []).map((b) => ({ key: tc.keys[b] as number, doc_count: tc.counts[b], aggs: subs.build(b) }));
        buckets.sort((a, b) => a.key - b.key);
        ctx.budget.addBuckets(buckets.length);
        return { format, rounding: idx, buckets };
      },
    };
  },
  reduce(req, partials, rt) {
    const p = req.params as Params;
    const list = partials as Partial[];
    const all = list.flatMap((x) => x.buckets);
    if (all.length === 0) return { format: list[0]?.format ?? { t: 'date', pattern: 'strict_date_optional_time' }, rounding: 0, buckets: [] };
    const min = Math.min(...all.map((b) => b.key)), max = Math.max(...all.map((b) => b.key));
    const idx = choose(min, max, p.buckets, Math.max(...list.map((x) => x.rounding)), p.time_zone);
    const r = ROUNDINGS[idx];
    // Bucket starts step n base units from the first bucket (OpenSearch's inner intervals).
    const starts: number[] = [];
    for (let k = roundWith(r, min, p.time_zone); k <= max; k = nextWith(r, k, p.time_zone)) starts.push(k);
    const startOf = (v: number) => {
      let lo = 0, hi = starts.length - 1;
      while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (starts[mid] <= v) lo = mid; else hi = mid - 1; }
      return starts[lo];
    };
    const groups = groupByKey([all.map((b) => ({ ...b, key: startOf(roundWith(r, b.key, p.time_zone)) }))], (b) => String(b.key));
    const merged = new Map<number, Bucket>();
    for (const g of groups.values()) merged.set(g[0].key, { key: g[0].key, doc_count: g.reduce((a, b) => a + b.doc_count, 0), aggs: rt.reduceSubs(req.subAggs, g.map((b) => b.aggs)) });
    const out: Bucket[] = starts.map((k) => merged.get(k) ?? { key: k, doc_count: 0, aggs: rt.reduceSubs(req.subAggs, []) });
    rt.addBuckets(out.length);
    return { format: list.find((x) => x.format)?.format ?? list[0].format, rounding: idx, buckets: out };
  },
  render(req: AggregationRequest, reduced, opts) {
    const r = reduced as Partial;
    return {
      buckets: r.buckets.map((b) => ({ key_as_string: formatNumber(r.format, b.key), key: b.key, doc_count: b.doc_count, ...renderSubs(req.subAggs, b.aggs, opts) })),
      interval: ROUNDINGS[r.rounding].label,
    };
  },
  typedName: () => 'auto_date_histogram',
  buckets: (reduced) => (reduced as Partial).buckets,
};

