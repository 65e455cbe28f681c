// Filters inside aggregations (filter, filters) need a query → per-segment doc mask. Until the query
// module exports compileQuery/parseQuery (index/query/index.ts), this evaluates the filter-context
// queries dashboards use (match_all, term(s), range, exists, bool) over doc values. Swap in one place.

import { encodeIp } from '../mapping/ip.ts';
import type { Segment } from '../segment/segment.ts';
import type { ShardSearchContext } from '../search/shard-context.ts';
import { parseDate } from './date-support.ts';
import { illegalArgument } from './parse-helpers.ts';

/** A compiled filter: a doc mask (1 = matches) per segment. */
export type DocMask = (segment: Segment) => Uint8Array;

type Q = Record<string, any>;

/** Validates a filter's JSON at parse time (shape only). */
export function checkQuery(json: unknown): void {
  if (json === null || typeof json !== 'object' || Array.isArray(json) || Object.keys(json).length !== 1) {
    throw illegalArgument('filter must be a single query object');
  }
}

/** Compiles a query for a shard into a per-segment mask. */
export function compileFilter(json: unknown, shard: ShardSearchContext): DocMask {
  const q = json as Q;
  const [type] = Object.keys(q);
  const body = q[type];
  switch (type) {
    case 'match_all': return (s) => new Uint8Array(s.maxDoc).fill(1);
    case 'match_none': return (s) => new Uint8Array(s.maxDoc);
    case 'term':
    case 'terms': {
      const [field] = Object.keys(body).filter((k) => k !== 'boost' && k !== '_name');
      const raw = body[field];
      const values = type === 'terms' ? (raw as unknown[]) : [typeof raw === 'object' && raw !== null ? raw.value : raw];
      return valueMask(shard, field, (v) => values.some((x) => equals(shard, field, v, x)));
    }
    case 'range': {
      const [field] = Object.keys(body);
      const r = body[field] as Q;
      const conv = (x: unknown, up: boolean) => toComparable(shard, field, x, r.format, up);
      const lo = r.gte ?? r.gt ?? r.from, hi = r.lte ?? r.lt ?? r.to;
      const loV = lo == null ? undefined : conv(lo, r.gt !== undefined);
      const hiV = hi == null ? undefined : conv(hi, r.lte !== undefined);
      const incLo = r.gt === undefined, incHi = r.lt === undefined;
      return valueMask(shard, field, (v) => (loV === undefined || (incLo ? v >= loV : v > loV)) && (hiV === undefined || (incHi ? v <= hiV : v < hiV)));
    }
    case 'exists': return valueMask(shard, body.field, () => true);
    case 'constant_score': return compileFilter(body.filter, shard);
    case 'match': {
      // keyword-like fields only (text needs the query module's analyzers)
      const [field] = Object.keys(body);
      const v = body[field];
      const text = typeof v === 'object' && v !== null ? v.query : v;
      return valueMask(shard, field, (x) => equals(shard, field, x, text));
    }
    case 'bool': {
      const list = (k: string) => ([] as unknown[]).concat(body[k] ?? []).map((c) => compileFilter(c, shard));
      const must = [...list('must'), ...list('filter')], should = list('should'), not = list('must_not');
      const msm = body.minimum_should_match !== undefined ? Number(body.minimum_should_match) : must.length > 0 ? 0 : should.length > 0 ? 1 : 0;
      return (s) => {
        const out = new Uint8Array(s.maxDoc).fill(1);
        for (const m of must) { const x = m(s); for (let d = 0; d < out.length; d++) out[d] &= x[d]; }
        for (const m of not) { const x = m(s); for (let d = 0; d < out.length; d++) if (x[d]) out[d] = 0; }
        if (msm > 0) {
          const cnt = new Uint16Array(s.maxDoc);
          for (const m of should) { const x = m(s); for (let d = 0; d < out.length; d++) cnt[d] += x[d]; }
          for (let d = 0; d < out.length; d++) if (cnt[d] < msm) out[d] = 0;
        }
        return out;
      };
    }
    default:
      throw illegalArgument(`query [${type}] is not supported inside aggregations yet`);
  }
}

function valueMask(shard: ShardSearchContext, field: string, test: (v: number | string) => boolean): DocMask {
  return (s) => {
    const out = new Uint8Array(s.maxDoc);
    const dv = s.docValues.get(field);
    if (!dv) return out;
    const accept = dv.kind === 'ordinal' ? Uint8Array.from(dv.terms!, (t) => (test(t) ? 1 : 0)) : null;
    for (let d = 0; d < s.maxDoc; d++) {
      for (let i = dv.offsets[d]; i < dv.offsets[d + 1]; i++) {
        const v = dv.values[i];
        if (accept ? accept[v] : test(v)) { out[d] = 1; break; }
      }
    }
    void shard;
    return out;
  };
}

function toComparable(shard: ShardSearchContext, field: string, x: unknown, format: string | undefined, up: boolean): number | string {
  const info = shard.mapping.field(field);
  if (!info) return String(x);
  if (info.type === 'date') return parseDate(x as string, format ?? info.format!, shard.now, undefined, up);
  if (info.type === 'ip') return encodeIp(String(x)) ?? String(x);
  if (info.type === 'boolean') return x === true || x === 'true' ? 1 : 0;
  if (info.storage === 'numeric') return Number(x);
  return String(x);
}

function equals(shard: ShardSearchContext, field: string, v: number | string, x: unknown): boolean {
  return v === toComparable(shard, field, x, undefined, false);
}
