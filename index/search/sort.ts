// The `sort` clause: parsing (strings, `field:desc`, `{field: order}`, `{field: {order, missing,
// mode, unmapped_type, numeric_type, format}}`, `_score`, `_doc`), per-segment sort-value readers
// over doc values, and the comparator the shard collectors and the coordinator's merge share.

import { OpenSearchError, parsingError } from '../errors.ts';
import { isObject, toText } from '../query/parse-util.ts';
import type { Segment } from '../segment/segment.ts';
import type { ShardSearchContext } from './shard-context.ts';
import { NUMERIC_TYPES } from '../mapping/field-types.ts';
import { dateBound } from '../query/date-bounds.ts';

/** One sort key. */
export interface SortField {
  kind: 'field' | 'score' | 'doc';
  field: string;
  order: 'asc' | 'desc';
  missing?: unknown;
  mode?: 'min' | 'max' | 'sum' | 'avg' | 'median';
  unmappedType?: string;
  numericType?: string;
  format?: string;
}
export type SortSpec = SortField[];

const FIELD_KEYS = ['order', 'missing', 'mode', 'unmapped_type', 'numeric_type', 'format', 'nested', 'nested_path', 'nested_filter'];

function order(v: unknown): 'asc' | 'desc' {
  const s = String(v).toLowerCase();
  if (s !== 'asc' && s !== 'desc') throw illegalOrder(String(v));
  return s;
}
const illegalOrder = (v: string) => new OpenSearchError('illegal_argument_exception', `Unknown SortOrder [${v}]`, 400);

function named(field: string, o?: 'asc' | 'desc'): SortField {
  if (field === '_score') return { kind: 'score', field, order: o ?? 'desc' };
  if (field === '_doc') return { kind: 'doc', field, order: o ?? 'asc' };
  return { kind: 'field', field, order: o ?? 'asc' };
}

/** Parses a request's `sort` (array or single element) or the URL form `a:desc,b`. */
export function parseSort(json: unknown): SortSpec {
  const list = Array.isArray(json) ? json : typeof json === 'string' ? json.split(',').filter((s) => s !== '') : [json];
  return list.map((item): SortField => {
    if (typeof item === 'string') {
      const colon = item.lastIndexOf(':');
      return colon > 0 ? named(item.slice(0, colon), order(item.slice(colon + 1))) : named(item);
    }
    if (!isObject(item)) throw parsingError(`[sort] unexpected token [${JSON.stringify(item)}]`);
    const keys = Object.keys(item);
    if (keys.length !== 1) throw parsingError(`[sort] expected a single field per sort object but found [${keys.join(', ')}]`);
    const field = keys[0];
    const v = item[field];
    if (typeof v === 'string') return named(field, order(v));
    if (!isObject(v)) throw parsingError(`[sort] unexpected token for [${field}]`);
    const s = named(field, v.order === undefined ? undefined : order(v.order));
    for (const [k, val] of Object.entries(v)) {
      if (!FIELD_KEYS.includes(k)) throw new OpenSearchError('x_content_parse_exception', `[field_sort] unknown field [${k}]`, 400);
      if (k === 'missing') s.missing = val;
      else if (k === 'mode') {
        const m = toText(val, k).toLowerCase();
        if (!['min', 'max', 'sum', 'avg', 'median'].includes(m)) throw illegalArgument(`Unknown SortMode [${String(val)}]`);
        s.mode = m as SortField['mode'];
      } else if (k === 'unmapped_type') s.unmappedType = toText(val, k);
      else if (k === 'numeric_type') s.numericType = toText(val, k);
      else if (k === 'format') s.format = toText(val, k);
    }
    return s;
  });
}

const illegalArgument = (r: string) => new OpenSearchError('illegal_argument_exception', r, 400);

/** True when the spec orders purely by descending score (the early-termination path). */
export function isScoreOrder(sort: SortSpec | undefined): boolean {
  return !sort || sort.length === 0 || (sort.length === 1 && sort[0].kind === 'score' && sort[0].order === 'desc');
}

/** A sort value as it sits in hits: number, string or null (missing keyword). */
export type SortValue = number | string | null;

const INT_TYPES = new Set(['integer', 'short', 'byte', 'token_count']);
const FLOAT_TYPES = new Set(['float', 'double', 'half_float', 'scaled_float']);

/** Reads one sort key's value per doc of a segment (internal form: missing numbers are ±Infinity). */
export type SortReader = (doc: number, score: number) => SortValue;

/** Builds the per-segment reader of one sort key. */
export function sortReader(ctx: ShardSearchContext, s: SortField, seg: Segment, docBase: number): SortReader {
  if (s.kind === 'score') return (_d, score) => score;
  if (s.kind === 'doc') return (d) => docBase + d;
  const info = ctx.mapping.field(s.field);
  if (!info && !s.unmappedType) {
    throw new OpenSearchError('query_shard_exception', `No mapping found for [${s.field}] in order to sort on`, 400, { index: ctx.indexName, index_uuid: ctx.indexUuid });
  }
  const numeric = info ? info.storage === 'numeric' : NUMERIC_TYPES.has(s.unmappedType!) || s.unmappedType === 'date';
  if (info && info.storage === 'text') {
    throw illegalArgument(`Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [${s.field}] in order to load field data by uninverting the inverted index. Note that this can use significant memory.`);
  }
  const dv = info ? seg.docValues.get(info.path) : undefined;
  const mode = s.mode ?? (s.order === 'desc' ? 'max' : 'min');
  if (numeric) {
    const missing = numericMissing(s);
    if (!dv) return () => missing;
    const { offsets } = dv;
    const values = dv.values as Float64Array;
    // half_float doc values hold 16-bit floats in Lucene: sort values show the rounded value.
    if (info?.type === 'half_float') {
      const inner = numericReader(offsets, values, mode, missing);
      return (d, sc) => toHalfFloat(inner(d, sc) as number);
    }
    return numericReader(offsets, values, mode, missing);
  }
  const missing = s.missing === undefined || s.missing === '_last' || s.missing === '_first' ? null : String(s.missing);
  if (!dv || !dv.terms) return () => missing;
  const { offsets, terms } = dv;
  const ords = dv.values as Uint32Array;
  return (d) => {
    const a = offsets[d];
    const e = offsets[d + 1];
    if (a === e) return missing;
    return terms[mode === 'max' ? ords[e - 1] : ords[a]];
  };
}

/** Reads a numeric doc-values field with a sort mode (missing docs get `missing`). */
function numericReader(offsets: Uint32Array, values: Float64Array, mode: string, missing: number): SortReader {
  return (d) => {
    const a = offsets[d];
    const e = offsets[d + 1];
    if (a === e) return missing;
    if (e - a === 1 || mode === 'min') return values[a];
    if (mode === 'max') return values[e - 1];
    let sum = 0;
    for (let i = a; i < e; i++) sum += values[i];
    if (mode === 'sum') return sum;
    if (mode === 'avg') return sum / (e - a);
    const mid = (a + e) >>> 1;
    return (e - a) % 2 === 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  };
}

/** Rounds to the nearest IEEE half-precision value (ties to even), as Lucene's HalfFloatPoint stores it. */
export function toHalfFloat(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  if (a >= 65520) return sign * Infinity;
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  // 10 mantissa bits; below 2^-14 the spacing stays 2^-24 (subnormals).
  const quantum = 2 ** (Math.max(e, -14) - 10);
  const v = a / quantum;
  let r = Math.round(v);
  if (r - v === 0.5 && r % 2 !== 0) r -= 1;
  return sign * r * quantum;
}

function numericMissing(s: SortField): number {
  const m = s.missing;
  const last = s.order === 'asc' ? Infinity : -Infinity;
  if (m === undefined || m === '_last') return last;
  if (m === '_first') return -last;
  const n = Number(m);
  return Number.isNaN(n) ? last : n;
}

/** Compares two values of one sort key (null = missing keyword, placed per `missing`). */
export function compareValues(s: SortField, a: SortValue, b: SortValue): number {
  if (a === b) return 0;
  if (a === null || b === null) {
    const first = s.missing === '_first';
    return (a === null ? 1 : -1) * (first ? -1 : 1);
  }
  const x = typeof a === 'string' && typeof b === 'number' ? Number(a) : a;
  const y = typeof b === 'string' && typeof a === 'number' ? Number(b) : b;
  const c = x < y ? -1 : x > y ? 1 : 0;
  return s.order === 'desc' ? -c : c;
}

/** Compares sort tuples key by key (0 when all keys tie). */
export function compareSortValues(sort: SortSpec, a: SortValue[], b: SortValue[]): number {
  for (let i = 0; i < sort.length; i++) {
    const c = compareValues(sort[i], toInternal(a[i]), toInternal(b[i]));
    if (c !== 0) return c;
  }
  return 0;
}

function toInternal(v: SortValue): SortValue {
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return v;
}

/** Renders an internal sort value as OpenSearch prints it (missing numbers as the type's extreme). */
export function renderSortValue(ctx: ShardSearchContext, s: SortField, v: SortValue): SortValue {
  if (typeof v !== 'number' || Number.isFinite(v) || s.kind !== 'field') return v;
  const type = ctx.mapping.field(s.field)?.type ?? s.unmappedType ?? 'long';
  if (FLOAT_TYPES.has(type)) return v > 0 ? 'Infinity' : '-Infinity';
  if (INT_TYPES.has(type)) return v > 0 ? 2147483647 : -2147483648;
  return v > 0 ? 9223372036854775807 : -9223372036854775808;
}

/**
 * Parses search_after values into the internal comparable form, one per sort key. Strings for date
 * fields are read with the field's format (DocValueFormat.DateTime.parseLong), for other numeric
 * fields as numbers.
 */
export function searchAfterValues(ctx: ShardSearchContext, sort: SortSpec, values: unknown[]): SortValue[] {
  if (values.length !== sort.length) {
    throw illegalArgument(`search_after has ${values.length} value(s) but sort has ${sort.length}.`);
  }
  return values.map((v, i) => {
    const s = sort[i];
    if (v === null) return null;
    if (s.kind !== 'field') return Number(v);
    if (typeof v === 'number') return v;
    if (v === 'Infinity' || v === '-Infinity') return toInternal(v);
    const info = ctx.mapping.field(s.field);
    if (typeof v === 'string' && info?.storage === 'numeric') {
      if (info.type === 'date' || info.type === 'date_nanos') {
        try {
          return dateBound(v, info, { format: s.format, roundUp: false, now: ctx.now });
        } catch (err) {
          if (err instanceof OpenSearchError) throw err;
          throw illegalArgument(`failed to parse date field [${v}] with format [${s.format ?? info.format}]`);
        }
      }
      if (info.type === 'boolean') return v === 'true' ? 1 : v === 'false' ? 0 : Number(v);
      const n = Number(v);
      if (v.trim() === '' || Number.isNaN(n)) throw new OpenSearchError('number_format_exception', `For input string: "${v}"`, 400);
      return n;
    }
    return String(v);
  });
}
