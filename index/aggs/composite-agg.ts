// `composite`: buckets keyed by a combination of source values (terms, histogram, date_histogram),
// in the sources' sort order, paged with `after` and returning `after_key` — how UIs page through large
// tables. Shards keep their `size` smallest keys after `after`; reduce merges and keeps `size` again.

import { SubAggs } from './collect.ts';
import { compareKeys } from './bucket-order.ts';
import { calendarUnit, parseDate, roundDownCalendar, roundDownFixed, type CalendarUnit } from './date-support.ts';
import { formatNumber, formatTerm, type FormatSpec } from './doc-value-format.ts';
import { asObject, checkKeys, illegalArgument, int, parsingError, str, tooManyBuckets, type Json } from './parse-helpers.ts';
import { groupByKey } from './reduce.ts';
import { renderSubs } from './render.ts';
import { encodeIp } from '../mapping/ip.ts';
import { formatFor, isNumeric, numericColumn, ordinalColumn, resolveSource, type ValuesSource } from './values-source.ts';
import type { AggregationType, ReducedBucket } from './types.ts';

type Key = (string | number | null)[];

interface SourceSpec {
  name: string;
  type: 'terms' | 'histogram' | 'date_histogram';
  field: string;
  asc: boolean;
  missingBucket: boolean;
  missingOrder: 'first' | 'last' | 'default';
  interval?: number;
  calendar?: CalendarUnit;
  tz?: string;
  offset: number;
  format?: string;
}

interface Params { size: number; sources: SourceSpec[]; after?: Record<string, unknown> }

interface Bucket extends ReducedBucket { key: Key; doc_count: number; aggs: Record<string, unknown> }
interface Partial { formats: FormatSpec[]; kinds: string[]; buckets: Bucket[] }

const FIXED: Record<string, number> = { ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000 };

function parseSourceSpec(entry: unknown): SourceSpec {
  const o = asObject(entry, 'sources');
  const [name] = Object.keys(o);
  const def = asObject(o[name], name);
  const [type] = Object.keys(def);
  if (type !== 'terms' && type !== 'histogram' && type !== 'date_histogram') throw parsingError(`Unknown source type [${type}] for [${name}]`);
  const b = asObject(def[type], type);
  checkKeys(type, b, ['field', 'missing_bucket', 'missing_order', 'order', 'value_type', 'format', 'interval', 'calendar_interval', 'fixed_interval', 'time_zone', 'offset', 'script']);
  const spec: SourceSpec = {
    name, type, field: str(type, 'field', b.field), asc: b.order !== 'desc', missingBucket: b.missing_bucket === true,
    missingOrder: (b.missing_order as SourceSpec['missingOrder']) ?? 'default', offset: 0,
  };
  if (b.format !== undefined) spec.format = str(type, 'format', b.format);
  if (type === 'histogram') spec.interval = Number(b.interval);
  if (type === 'date_histogram') {
    const ci = (b.calendar_interval ?? (b.interval !== undefined && calendarUnit(String(b.interval)) ? b.interval : undefined)) as string | undefined;
    if (ci !== undefined) spec.calendar = calendarUnit(String(ci));
    else {
      const m = /^(\d+)(ms|s|m|h|d)$/.exec(String(b.fixed_interval ?? b.interval));
      if (!m) throw illegalArgument(`Invalid interval specified, must be non-null and non-empty`);
      spec.interval = Number(m[1]) * FIXED[m[2]];
    }
    if (b.time_zone !== undefined) spec.tz = String(b.time_zone);
    if (b.offset !== undefined) {
      const m = /^([+-])?(\d+)(ms|s|m|h|d)$/.exec(String(b.offset));
      spec.offset = m ? (m[1] === '-' ? -1 : 1) * Number(m[2]) * FIXED[m[3]] : Number(b.offset);
    }
  }
  return spec;
}

/** Compares composite keys in source order (nulls first for asc unless missing_order says otherwise). */
function keyComparator(sources: SourceSpec[]) {
  return (a: Key, b: Key): number => {
    for (let i = 0; i < sources.length; i++) {
      const s = sources[i];
      const x = a[i], y = b[i];
      if (x === y) continue;
      let c: number;
      if (x === null || y === null) {
        const nullFirst = s.missingOrder === 'first' || (s.missingOrder === 'default' && s.asc);
        const xc = x === null ? -1 : 1;
        c = nullFirst ? xc : -xc;
        return s.missingOrder === 'default' ? c : c;
      }
      c = compareKeys(x, y);
      if (c !== 0) return s.asc ? c : -c;
    }
    return 0;
  };
}

export const compositeAgg: AggregationType = {
  kind: 'bucket',
  parse(_name, body: Json): Params {
    checkKeys('composite', body, ['sources', 'size', 'after']);
    if (body.sources === undefined) throw illegalArgument('Required [sources]');
    if (!Array.isArray(body.sources) || body.sources.length === 0) throw illegalArgument('Composite [sources] cannot be null or empty');
    const sources = body.sources.map(parseSourceSpec);
    const seen = new Set<string>();
    for (const s of sources) {
      if (seen.has(s.name)) throw illegalArgument(`Composite source names must be unique, found duplicates: [${s.name}]`);
      seen.add(s.name);
    }
    const p: Params = { size: body.size === undefined ? 10 : int('composite', 'size', body.size), sources };
    if (body.after !== undefined) p.after = asObject(body.after, 'after');
    return p;
  },
  create(req, ctx) {
    const p = req.params as Params;
    if (p.size > ctx.limits.maxBuckets) throw tooManyBuckets(ctx.limits.maxBuckets, p.size);
    const srcs: ValuesSource[] = p.sources.map((s) => resolveSource({ field: s.field }, ctx.shard, 'composite'));
    const formats = p.sources.map((s, i): FormatSpec => (s.type === 'date_histogram' ? formatFor('date', srcs[i].info, s.format, s.tz) : srcs[i].format));
    const transforms = p.sources.map((s) => {
      if (s.type === 'histogram') return (v: number) => Math.floor(v / s.interval!) * s.interval!;
      if (s.type === 'date_histogram') {
        return s.calendar ? (v: number) => roundDownCalendar(v - s.offset, s.calendar!, s.tz) + s.offset : (v: number) => roundDownFixed(v - s.offset, s.interval!, s.tz) + s.offset;
      }
      return (v: number) => v;
    });
    const cmp = keyComparator(p.sources);
    const after = p.after ? p.sources.map((s, i) => afterValue(p.after![s.name], s, srcs[i], formats[i], ctx.shard.now)) : null;
    const subs = new SubAggs(req.subAggs, ctx, { multiBucket: true, topLevel: false });
    const index = new Map<string, number>();
    const keys: Key[] = [];
    const counts: number[] = [];
    return {
      leaf(segment, segOrd, docs) {
        subs.leaf(segment, segOrd, docs);
        const cols = srcs.map((src) => (isNumeric(src) ? numericColumn(segment, src) : ordinalColumn(segment, src)));
        return {
          collect(doc) {
            let combos: Key[] = [[]];
            for (let i = 0; i < cols.length; i++) {
              const col = cols[i];
              const vals: (string | number | null)[] = [];
              if (col) {
                for (let k = col.offsets[doc]; k < col.offsets[doc + 1]; k++) {
                  const v = col.kind === 'ordinal' ? col.terms![col.values[k]] : transforms[i](col.values[k]);
                  if (vals[vals.length - 1] !== v) vals.push(v);
                }
              }
              if (vals.length === 0) {
                if (!p.sources[i].missingBucket) return;
                vals.push(null);
              }
              combos = combos.flatMap((c) => vals.map((v) => [...c, v]));
            }
            for (const key of combos) {
              if (after && cmp(key, after) <= 0) continue;
              const id = JSON.stringify(key);
              let b = index.get(id);
              if (b === undefined) {
                b = keys.length;
                index.set(id, b);
                keys.push(key);
                counts.push(0);
                ctx.budget.addBytes(96);
              }
              counts[b]++;
              subs.collect(doc, b);
            }
          },
        };
      },
      finish: () => subs.finish(),
      build(): Partial {
        const order = keys.map((_, i) => i).sort((a, b) => cmp(keys[a], keys[b])).slice(0, p.size);
        ctx.budget.addBuckets(order.length);
        return {
          formats,
          kinds: srcs.map((s) => s.kind),
          buckets: order.map((b) => ({ key: keys[b], doc_count: counts[b], aggs: subs.build(b) })),
        };
      },
    };
  },
  reduce(req, partials, rt) {
    const p = req.params as Params;
    const list = partials as Partial[];
    const cmp = keyComparator(p.sources);
    const groups = groupByKey(list.map((x) => x.buckets), (b) => JSON.stringify(b.key));
    const merged: Bucket[] = [...groups.values()].map((g) => ({
      key: g[0].key, doc_count: g.reduce((a, b) => a + b.doc_count, 0), aggs: rt.reduceSubs(req.subAggs, g.map((b) => b.aggs)),
    }));
    merged.sort((a, b) => cmp(a.key, b.key));
    const kept = merged.slice(0, p.size);
    rt.addBuckets(kept.length);
    const ref = list.find((x) => x.kinds.some((k) => k !== 'unmapped')) ?? list[0];
    return { formats: ref?.formats ?? [], kinds: ref?.kinds ?? [], buckets: kept };
  },
  render(req, reduced, opts) {
    const p = req.params as Params;
    const r = reduced as Partial;
    const keyObj = (key: Key) => {
      const o: Record<string, unknown> = {};
      p.sources.forEach((s, i) => {
        const v = key[i];
        const f = r.formats[i] ?? { t: 'raw' };
        if (v === null) o[s.name] = null;
        else if (typeof v === 'string') o[s.name] = formatTerm(f, v);
        else o[s.name] = (s.type === 'date_histogram' && s.format) || f.t === 'decimal' ? formatNumber(f, v) : f.t === 'bool' ? v !== 0 : v;
      });
      return o;
    };
    const out: Record<string, unknown> = {};
    if (r.buckets.length > 0) out.after_key = keyObj(r.buckets[r.buckets.length - 1].key);
    out.buckets = r.buckets.map((b) => ({ key: keyObj(b.key), doc_count: b.doc_count, ...renderSubs(req.subAggs, b.aggs, opts) }));
    return out;
  },
  typedName: () => 'composite',
  buckets: (reduced) => (reduced as Partial).buckets,
};

/** The internal form of an `after` value for one source. */
function afterValue(v: unknown, s: SourceSpec, src: ValuesSource, f: FormatSpec, now: number): string | number | null {
  if (v === null || v === undefined) return null;
  if (src.kind === 'ip') return encodeIp(String(v)) ?? String(v);
  if (src.kind === 'string' || (src.kind === 'unmapped' && typeof v === 'string' && s.type === 'terms')) return String(v);
  if (s.type === 'date_histogram' || src.kind === 'date') {
    if (typeof v === 'number') return v;
    return parseDate(String(v), f.t === 'date' ? f.pattern : 'strict_date_optional_time||epoch_millis', now, s.tz);
  }
  if (src.kind === 'boolean') return v === true || v === 'true' ? 1 : 0;
  return Number(v);
}
