// `histogram` and `date_histogram`: values rounded to interval keys (fixed or calendar, in a time
// zone, with an offset); shards return every non-empty bucket; the final reduce fills empty buckets
// between the bounds when min_doc_count is 0, then applies min_doc_count, order and `keyed`.

import { SubAggs } from './collect.ts';
import { bucketComparator, parseOrder, validateOrderPaths, type OrderSpec } from './bucket-order.ts';
import { calendarUnit, nextCalendar, parseDate, roundDownCalendar, roundDownFixed, type CalendarUnit } from './date-support.ts';
import { formatNumber, hasString, javaDouble, type FormatSpec } from './doc-value-format.ts';
import { asObject, bool, illegalArgument, int, num, str, type Json } from './parse-helpers.ts';
import { groupByKey } from './reduce.ts';
import { renderSubs } from './render.ts';
import { TermCollector } from './term-collector.ts';
import { formatFor, parseSource, resolveSource, type SourceParams } from './values-source.ts';
import type { AggregationRequest, AggregationType, ReduceRuntime, ReducedBucket, RenderOptions } from './types.ts';

interface Bounds { min?: number | string; max?: number | string }

interface HistoParams extends SourceParams {
  date: boolean;
  interval?: number;
  calendar?: CalendarUnit;
  offset: number;
  time_zone?: string;
  min_doc_count: number;
  extended_bounds?: Bounds;
  hard_bounds?: Bounds;
  order: OrderSpec[];
  keyed: boolean;
}

interface Bucket extends ReducedBucket { key: number; doc_count: number; aggs: Record<string, unknown> }

interface Partial {
  format: FormatSpec;
  buckets: Bucket[];
  /** Resolved bounds (millis for dates). */
  ext?: { min?: number; max?: number };
  hard?: { min?: number; max?: number };
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000 };

/** Parses a fixed interval like `90m` / `1h` / `30s` into millis. */
function fixedInterval(text: string, key: string): number {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(text.trim());
  if (!m) throw illegalArgument(`failed to parse setting [date_histogram.${key}] with value [${text}] as a time value: unit is missing or unrecognized`);
  return Number(m[1]) * UNIT_MS[m[2]];
}

/** Parses a date_histogram `offset` (`+6h`, `-1d`) or a histogram offset number. */
function parseOffset(v: unknown, date: boolean): number {
  if (!date) return num('histogram', 'offset', v);
  if (typeof v === 'number') return v;
  const s = String(v).trim();
  const sign = s.startsWith('-') ? -1 : 1;
  return sign * fixedInterval(s.replace(/^[+-]/, ''), 'offset');
}

function parseHisto(type: 'histogram' | 'date_histogram', name: string, body: Json): HistoParams {
  const date = type === 'date_histogram';
  const own = date
    ? ['calendar_interval', 'fixed_interval', 'interval', 'offset', 'time_zone', 'min_doc_count', 'extended_bounds', 'hard_bounds', 'order', 'keyed']
    : ['interval', 'offset', 'min_doc_count', 'extended_bounds', 'hard_bounds', 'order', 'keyed'];
  const p = parseSource(type, body, own) as HistoParams;
  p.date = date;
  if (date) {
    const given = ['calendar_interval', 'fixed_interval', 'interval'].filter((k) => body[k] !== undefined);
    if (given.length === 0) throw illegalArgument('Invalid interval specified, must be non-null and non-empty');
    if (body.calendar_interval !== undefined && body.fixed_interval !== undefined) {
      throw illegalArgument('Cannot use [fixed_interval] with [calendar_interval] configuration option.');
    }
    if (body.calendar_interval !== undefined) {
      const t = str(type, 'calendar_interval', body.calendar_interval);
      p.calendar = calendarUnit(t);
      if (!p.calendar) throw illegalArgument(`The supplied interval [${t}] could not be parsed as a calendar interval.`);
    } else if (body.fixed_interval !== undefined) {
      p.interval = fixedInterval(str(type, 'fixed_interval', body.fixed_interval), 'fixedInterval');
    } else {
      const t = String(body.interval);
      p.calendar = calendarUnit(t);
      if (!p.calendar) p.interval = fixedInterval(t, 'interval');
    }
    if (body.time_zone !== undefined) p.time_zone = str(type, 'time_zone', body.time_zone);
  } else {
    if (body.interval === undefined) throw illegalArgument(`Required [interval]`);
    p.interval = num(type, 'interval', body.interval);
    if (p.interval <= 0) throw illegalArgument(`[interval] must be >0 for histogram aggregation [${name}]`);
  }
  p.offset = body.offset === undefined ? 0 : parseOffset(body.offset, date);
  p.min_doc_count = body.min_doc_count === undefined ? 0 : int(type, 'min_doc_count', body.min_doc_count);
  if (p.min_doc_count < 0) throw illegalArgument(`[minDocCount] must be greater than or equal to 0. Found [${p.min_doc_count}] in [${name}]`);
  if (body.extended_bounds !== undefined) p.extended_bounds = asObject(body.extended_bounds, 'extended_bounds') as Bounds;
  if (body.hard_bounds !== undefined) p.hard_bounds = asObject(body.hard_bounds, 'hard_bounds') as Bounds;
  p.order = body.order === undefined ? [{ by: '_key', asc: true }] : parseOrder(type, body.order);
  p.keyed = body.keyed === undefined ? false : bool(type, 'keyed', body.keyed);
  return p;
}

function make(type: 'histogram' | 'date_histogram'): AggregationType {
  return {
    kind: 'bucket',
    parse: (name, body) => parseHisto(type, name, body),
    create(req, ctx) {
      const p = req.params as HistoParams;
      validateOrderPaths(p.order, req.subAggs, req.name);
      const src = resolveSource(p, ctx.shard, type, 'numeric');
      const format = p.date ? formatFor('date', src.info, p.format, p.time_zone) : src.format;
      const tz = p.time_zone;
      const off = p.offset;
      const interval = p.interval!;
      const unit = p.calendar;
      const keyOf = unit
        ? (v: number) => roundDownCalendar(v - off, unit, tz) + off
        : p.date
          ? (v: number) => roundDownFixed(v - off, interval, tz) + off
          : (v: number) => Math.floor((v - off) / interval) * interval + off;
      const bound = (b: Bounds | undefined) => b && {
        ...(b.min !== undefined ? { min: p.date ? parseDate(b.min, format.t === 'date' ? format.pattern : 'strict_date_optional_time', ctx.shard.now, tz) : Number(b.min) } : {}),
        ...(b.max !== undefined ? { max: p.date ? parseDate(b.max, format.t === 'date' ? format.pattern : 'strict_date_optional_time', ctx.shard.now, tz, true) : Number(b.max) } : {}),
      };
      const hard = bound(p.hard_bounds);
      const ext = bound(p.extended_bounds);
      const hardKey = hard ? (v: number) => {
        const k = keyOf(v);
        return (hard.min !== undefined && k < hard.min) || (hard.max !== undefined && k > hard.max) ? NaN : k;
      } : keyOf;
      const subs = new SubAggs(req.subAggs, ctx, { multiBucket: true, topLevel: false });
      // The inlined range cache is exact only for integer values, interval and offset (dates, longs).
      const plainFixed = !unit && !hard && (!p.date || !tz || /^(UTC|Z|[+-]00:?00)$/i.test(tz)) &&
        (src.kind === 'date' || src.kind === 'long') && Number.isInteger(interval) && Number.isInteger(off);
      const tc = new TermCollector(src, ctx, subs, null, false, hardKey, plainFixed ? { interval, offset: off } : null);
      return {
        leaf: (segment, segOrd, docs) => tc.leaf(segment, segOrd, docs),
        finish: () => subs.finish(),
        build(owner): Partial {
          const ords = tc.byOwner[owner] ?? [];
          const buckets = ords.map((b) => ({ key: tc.keys[b] as number, doc_count: tc.counts[b], aggs: subs.build(b) }));
          buckets.sort((a, b) => a.key - b.key);
          ctx.budget.addBuckets(buckets.length);
          return { format, buckets, ...(ext ? { ext } : {}), ...(hard ? { hard } : {}) };
        },
      };
    },
    reduce: (req, partials, rt) => reduceHisto(req, partials as Partial[], rt),
    render: (req, reduced, opts) => renderHisto(req, reduced as Partial, opts),
    typedName: () => type,
    buckets: (reduced) => (reduced as Partial).buckets,
  };
}

function reduceHisto(req: AggregationRequest, partials: Partial[], rt: ReduceRuntime): Partial {
  const p = req.params as HistoParams;
  const format = partials.find((x) => x.format.t !== 'raw')?.format ?? partials[0]?.format ?? { t: p.date ? 'date' : 'raw', pattern: 'strict_date_optional_time' } as FormatSpec;
  const groups = groupByKey(partials.map((x) => x.buckets), (b) => String(b.key));
  let buckets: Bucket[] = [...groups.values()].map((g) => ({
    key: g[0].key,
    doc_count: g.reduce((a, b) => a + b.doc_count, 0),
    aggs: rt.reduceSubs(req.subAggs, g.map((b) => b.aggs)),
  }));
  buckets.sort((a, b) => a.key - b.key);
  const ext = partials.find((x) => x.ext)?.ext;
  const hard = partials.find((x) => x.hard)?.hard;
  if (p.min_doc_count === 0) buckets = fillGaps(req, buckets, ext, hard, rt);
  else buckets = buckets.filter((b) => b.doc_count >= p.min_doc_count);
  if (!(p.order.length === 1 && p.order[0].by === '_key' && p.order[0].asc)) buckets.sort(bucketComparator(p.order, req.subAggs));
  rt.addBuckets(buckets.length);
  return { format, buckets };
}

function fillGaps(req: AggregationRequest, buckets: Bucket[], ext: Partial['ext'], hard: Partial['hard'], rt: ReduceRuntime): Bucket[] {
  const p = req.params as HistoParams;
  const keyOf = (v: number) => (p.calendar
    ? roundDownCalendar(v - p.offset, p.calendar, p.time_zone) + p.offset
    : p.date ? roundDownFixed(v - p.offset, p.interval!, p.time_zone) + p.offset
      : Math.floor((v - p.offset) / p.interval!) * p.interval! + p.offset);
  const next = (k: number) => (p.calendar ? nextCalendar(k - p.offset, p.calendar, p.time_zone) + p.offset : k + p.interval!);
  let lo = buckets.length > 0 ? buckets[0].key : undefined;
  let hi = buckets.length > 0 ? buckets[buckets.length - 1].key : undefined;
  if (ext?.min !== undefined) lo = lo === undefined ? keyOf(ext.min) : Math.min(lo, keyOf(ext.min));
  if (ext?.max !== undefined) hi = hi === undefined ? keyOf(ext.max) : Math.max(hi, keyOf(ext.max));
  if (hard?.min !== undefined && lo !== undefined) lo = Math.max(lo, keyOf(hard.min));
  if (hard?.max !== undefined && hi !== undefined) hi = Math.min(hi, keyOf(hard.max));
  if (lo === undefined || hi === undefined) return buckets;
  const byKey = new Map(buckets.map((b) => [b.key, b]));
  const empty = () => rt.reduceSubs(req.subAggs, []);
  const out: Bucket[] = [];
  let count = 0;
  for (let k = lo; k <= hi; k = next(k)) {
    out.push(byKey.get(k) ?? { key: k, doc_count: 0, aggs: empty() });
    if (++count > rt.maxBuckets) rt.addBuckets(count);
  }
  return out;
}

function renderHisto(req: AggregationRequest, r: Partial, opts: RenderOptions): Record<string, unknown> {
  const p = req.params as HistoParams;
  const str = hasString(r.format);
  const one = (b: Bucket) => ({
    ...(str ? { key_as_string: formatNumber(r.format, b.key) } : {}),
    key: b.key,
    doc_count: b.doc_count,
    ...renderSubs(req.subAggs, b.aggs, opts),
  });
  if (p.keyed) {
    const out: Record<string, unknown> = {};
    for (const b of r.buckets) out[str ? formatNumber(r.format, b.key) : javaDouble(b.key)] = one(b);
    return { buckets: out };
  }
  return { buckets: r.buckets.map(one) };
}

export const histogramAgg = make('histogram');
export const dateHistogramAgg = make('date_histogram');
