// `range`, `date_range` and `ip_range`: buckets for [from, to) ranges (sorted by from, then to, as
// OpenSearch sorts them), a doc counted once per range it has a value in; keys print as `from-to` with
// `*` for open ends, dates and ips in their formats.

import { cidrBounds, decodeIp, encodeIp } from '../mapping/ip.ts';
import { SubAggs } from './collect.ts';
import { parseDate } from './date-support.ts';
import { formatNumber, hasString, javaDouble, type FormatSpec } from './doc-value-format.ts';
import { bool, illegalArgument, parsingError, type Json } from './parse-helpers.ts';
import { renderSubs } from './render.ts';
import { formatFor, numericColumn, ordinalColumn, parseSource, resolveSource, type SourceParams } from './values-source.ts';
import type { AggregationRequest, AggregationType, ReducedBucket, RenderOptions } from './types.ts';

type Kind = 'range' | 'date_range' | 'ip_range';

interface RangeSpec { key?: string; from?: unknown; to?: unknown; mask?: string }
interface Params extends SourceParams { ranges: RangeSpec[]; keyed: boolean; time_zone?: string }

interface Bucket extends ReducedBucket {
  key: string;
  from?: number | string;
  to?: number | string;
  doc_count: number;
  aggs: Record<string, unknown>;
}
interface Partial { format: FormatSpec; buckets: Bucket[] }

function make(kind: Kind): AggregationType {
  return {
    kind: 'bucket',
    parse(name, body: Json): Params {
      const p = parseSource(kind, body, ['ranges', 'keyed', ...(kind === 'date_range' ? ['time_zone'] : [])]) as Params;
      if (!Array.isArray(body.ranges) || body.ranges.length === 0) throw illegalArgument(`No [ranges] specified for the [${name}] aggregation`);
      p.ranges = body.ranges as RangeSpec[];
      for (const r of p.ranges) {
        for (const k of Object.keys(r)) {
          if (!['key', 'from', 'to', ...(kind === 'ip_range' ? ['mask'] : [])].includes(k)) throw parsingError(`Unknown key for a VALUE_STRING in [${kind}]: [${k}].`);
        }
      }
      p.keyed = body.keyed === undefined ? false : bool(kind, 'keyed', body.keyed);
      if (body.time_zone !== undefined) p.time_zone = String(body.time_zone);
      return p;
    },
    create(req, ctx) {
      const p = req.params as Params;
      const src = resolveSource(p, ctx.shard, kind, kind === 'range' ? 'numeric' : 'any');
      const format = kind === 'date_range' ? formatFor('date', src.info, p.format, p.time_zone) : kind === 'ip_range' ? { t: 'ip' } as FormatSpec : src.format;
      const pattern = format.t === 'date' ? format.pattern : 'strict_date_optional_time';
      const conv = (v: unknown, up: boolean): number | string | undefined => {
        if (v === undefined || v === null) return undefined;
        if (kind === 'ip_range') return encodeIp(String(v)) ?? String(v);
        if (kind === 'date_range' || src.kind === 'date') return parseDate(String(v), pattern, ctx.shard.now, p.time_zone, up);
        return Number(v);
      };
      const ranges = p.ranges.map((r) => {
        let from = conv(r.from, false), to = conv(r.to, false);
        if (r.mask) {
          const b = cidrBounds(r.mask);
          if (!b) throw illegalArgument(`invalid IP address range [${r.mask}]`);
          from = b[0];
          to = (BigInt('0x' + b[1]) + 1n).toString(16).padStart(32, '0');
          if (to.length > 32) to = undefined;
        }
        return { key: r.key ?? r.mask, from, to };
      });
      const order = ranges.map((_, i) => i).sort((a, b) => cmpBound(ranges[a].from, ranges[b].from, -1) || cmpBound(ranges[a].to, ranges[b].to, 1));
      const sorted = order.map((i) => ranges[i]);
      const subs = new SubAggs(req.subAggs, ctx, { multiBucket: true, topLevel: false });
      const n = sorted.length;
      let counts = new Float64Array(n);
      const inRange = (v: number | string, r: (typeof sorted)[0]) =>
        (r.from === undefined || v >= r.from) && (r.to === undefined || v < r.to);
      return {
        leaf(segment, segOrd, docs) {
          subs.leaf(segment, segOrd, docs);
          const isOrd = kind === 'ip_range' || src.kind === 'string';
          const col = isOrd ? ordinalColumn(segment, src) : numericColumn(segment, src);
          if (!col) return { collect() {} };
          const { offsets, values, terms } = col;
          return {
            collect(doc, owner) {
              const s = offsets[doc], e = offsets[doc + 1];
              if (s === e) return;
              for (let k = 0; k < n; k++) {
                for (let i = s; i < e; i++) {
                  const v = isOrd ? terms![values[i]] : values[i];
                  if (inRange(v, sorted[k])) {
                    const b = owner * n + k;
                    if (b >= counts.length) { const c = new Float64Array(Math.max(b + 1, counts.length * 2)); c.set(counts); counts = c; }
                    counts[b]++;
                    subs.collect(doc, b);
                    break;
                  }
                }
              }
            },
          };
        },
        finish: () => subs.finish(),
        build(owner): Partial {
          ctx.budget.addBuckets(n);
          return {
            format,
            buckets: sorted.map((r, k) => {
              const b = owner * n + k;
              return {
                key: r.key ?? rangeKey(kind, format, r.from, r.to),
                ...(r.from !== undefined ? { from: r.from } : {}),
                ...(r.to !== undefined ? { to: r.to } : {}),
                doc_count: b < counts.length ? counts[b] : 0,
                aggs: subs.build(b),
              };
            }),
          };
        },
      };
    },
    reduce(req, partials, rt) {
      const list = partials as Partial[];
      if (list.length === 0) return { format: { t: 'raw' }, buckets: [] };
      const first = list[0];
      rt.addBuckets(first.buckets.length);
      return {
        format: first.format,
        buckets: first.buckets.map((b, k) => ({
          ...b,
          doc_count: list.reduce((a, p) => a + p.buckets[k].doc_count, 0),
          aggs: rt.reduceSubs(req.subAggs, list.map((p) => p.buckets[k].aggs)),
        })),
      };
    },
    render: (req, reduced, opts) => renderRange(kind, req, reduced as Partial, opts),
    typedName: () => kind,
    buckets: (reduced) => (reduced as Partial).buckets,
  };
}

function cmpBound(a: number | string | undefined, b: number | string | undefined, openSide: number): number {
  if (a === b) return 0;
  if (a === undefined) return openSide;
  if (b === undefined) return -openSide;
  return a < b ? -1 : 1;
}

function printBound(kind: Kind, f: FormatSpec, v: number | string): string {
  if (kind === 'ip_range') return decodeIp(String(v));
  return hasString(f) ? formatNumber(f, v as number) : javaDouble(v as number);
}

function rangeKey(kind: Kind, f: FormatSpec, from: number | string | undefined, to: number | string | undefined): string {
  return `${from === undefined ? '*' : printBound(kind, f, from)}-${to === undefined ? '*' : printBound(kind, f, to)}`;
}

function renderRange(kind: Kind, req: AggregationRequest, r: Partial, opts: RenderOptions): Record<string, unknown> {
  const p = req.params as Params;
  const str = hasString(r.format);
  const one = (b: Bucket) => {
    const out: Record<string, unknown> = {};
    if (!p.keyed) out.key = b.key;
    if (kind === 'ip_range') {
      if (b.from !== undefined) out.from = decodeIp(String(b.from));
      if (b.to !== undefined) out.to = decodeIp(String(b.to));
    } else {
      if (b.from !== undefined) { out.from = b.from; if (str) out.from_as_string = formatNumber(r.format, b.from as number); }
      if (b.to !== undefined) { out.to = b.to; if (str) out.to_as_string = formatNumber(r.format, b.to as number); }
    }
    out.doc_count = b.doc_count;
    Object.assign(out, renderSubs(req.subAggs, b.aggs, opts));
    return out;
  };
  if (p.keyed) {
    const out: Record<string, unknown> = {};
    for (const b of r.buckets) out[b.key] = one(b);
    return { buckets: out };
  }
  return { buckets: r.buckets.map(one) };
}

export const rangeAgg = make('range');
export const dateRangeAgg = make('date_range');
export const ipRangeAgg = make('ip_range');
