// The fetch phase: turns the winning (shard, segment, doc) addresses into response hits with
// `_source` (filtered), `fields`, `docvalue_fields`, versions and sequence numbers.

import type { SourceFilter } from '../docs/source-filter.ts';
import { filterSource } from '../docs/source-filter.ts';
import { RawJson } from '../docs/raw-json.ts';
import type { Index } from '../indices/index.ts';
import { dateFormat } from '../mapping/document-parser.ts';
import type { FieldInfo } from '../mapping/field-types.ts';
import { INTEGER_TYPES } from '../mapping/field-types.ts';
import { decodeIp } from '../mapping/ip.ts';
import { routingOf, type Segment } from '../segment/segment.ts';
import type { SearchRequest } from './search-request.ts';

/** One hit to fetch. */
export interface FetchTarget {
  index: Index;
  segment: Segment;
  doc: number;
  score: number | null;
  sortValues?: unknown[];
  highlight?: Record<string, string[]>;
  /** Names of the `_name`d queries the hit matched, or name → score with include_named_queries_score. */
  matchedQueries?: string[] | Record<string, number>;
}

/** Renders one hit as OpenSearch does. */
export function fetchHit(t: FetchTarget, req: SearchRequest): Record<string, unknown> {
  const seg = t.segment;
  // `stored_fields: _none_` loads no stored field at all, not even `_id` or `_source`.
  const noStored = req.storedFields?.includes('_none_') === true;
  const hit: Record<string, unknown> = { _index: t.index.name };
  if (!noStored) hit._id = seg.meta.ids.get(t.doc);
  if (req.version) hit._version = seg.meta.versions[t.doc];
  if (req.seqNoPrimaryTerm) {
    hit._seq_no = seg.meta.seqNos[t.doc];
    hit._primary_term = seg.meta.primaryTerms[t.doc];
  }
  hit._score = float32Value(t.score);
  const routing = routingOf(seg.meta, t.doc);
  if (routing != null && !noStored) hit._routing = routing;
  // `_ignored` (fields dropped by ignore_malformed) is a stored metadata field, returned by default.
  const ignored = seg.docValues.get('_ignored');
  if (ignored?.terms && !noStored && ignored.offsets[t.doc] < ignored.offsets[t.doc + 1]) {
    hit._ignored = Array.from(ignored.values.subarray(ignored.offsets[t.doc], ignored.offsets[t.doc + 1]), (o) => ignored.terms![o]);
  }
  // Naming stored fields drops `_source` unless it is asked for (as a stored field or by `_source`).
  const wantSource = req.storedFields === undefined || req.source !== null || req.storedFields.includes('_source');
  const sourceBytes = seg.source(t.doc);
  if (wantSource && !noStored) {
    const src = filterSourceLossless(sourceBytes, req.source as SourceFilter | null);
    if (src !== undefined && t.index.mapping.sourceEnabled) hit._source = src;
  }
  const fields: Record<string, unknown[]> = {};
  if (req.fields) Object.assign(fields, sourceFields(t.index, sourceBytes, req.fields));
  if (req.docvalueFields) Object.assign(fields, docValueFields(t.index, seg, t.doc, req.docvalueFields));
  if (Object.keys(fields).length > 0) hit.fields = fields;
  if (t.highlight && Object.keys(t.highlight).length > 0) hit.highlight = t.highlight;
  if (t.sortValues) hit.sort = t.sortValues;
  if (t.matchedQueries) {
    hit.matched_queries = Array.isArray(t.matchedQueries)
      ? t.matchedQueries
      : Object.fromEntries(Object.entries(t.matchedQueries).map(([name, score]) => [name, float32Value(score)]));
  }
  return hit;
}

/** `fields`: values read from `_source` for mapped fields matching the patterns, formatted by type. */
function sourceFields(index: Index, bytes: Buffer, specs: Array<string | Record<string, unknown>>): Record<string, unknown[]> {
  const source = JSON.parse(bytes.toString('utf8'));
  const out: Record<string, unknown[]> = {};
  for (const spec of specs) {
    const pattern = typeof spec === 'string' ? spec : String(spec.field);
    const format = typeof spec === 'string' ? undefined : (spec.format as string | undefined);
    for (const path of index.mapping.matchFields(pattern)) {
      const info = index.mapping.field(path)!;
      if (info.type === 'object' || info.type === 'alias' && !info.aliasPath) continue;
      const raw = valuesAt(source, info.parentPath ?? (info.type === 'alias' ? info.aliasPath! : path));
      if (raw.length === 0) continue;
      const values = raw.map((v) => formatSourceValue(info, v, format)).filter((v) => v !== undefined);
      if (values.length > 0) out[path] = values;
    }
  }
  return out;
}

/** All values at a dotted path in a source object (arrays flattened, dotted keys honoured). */
export function valuesAt(obj: unknown, path: string): unknown[] {
  const out: unknown[] = [];
  const walk = (node: unknown, rest: string) => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n, rest);
      return;
    }
    if (rest === '') {
      if (node !== null && node !== undefined) out.push(node);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    const parts = rest.split('.');
    for (let i = 1; i <= parts.length; i++) {
      const key = parts.slice(0, i).join('.');
      if (key in o) walk(o[key], parts.slice(i).join('.'));
    }
  };
  walk(obj, path);
  return out;
}

function formatSourceValue(info: FieldInfo, v: unknown, format?: string): unknown {
  if (typeof v === 'object' && v !== null) return v;
  switch (info.type) {
    case 'date':
    case 'date_nanos': {
      try {
        const ms = dateFormat(info.format!).parse(String(v));
        return dateFormat(format ?? info.format!.split('||')[0]).format(ms);
      } catch {
        return undefined;
      }
    }
    case 'keyword':
      return info.ignoreAbove !== undefined && String(v).length > info.ignoreAbove ? undefined : String(v);
    case 'boolean':
      return v === true || v === 'true';
    default:
      if (INTEGER_TYPES.has(info.type)) return typeof v === 'number' ? Math.trunc(v) : Math.trunc(Number(v));
      if (info.type === 'float' || info.type === 'double' || info.type === 'half_float' || info.type === 'scaled_float') return Number(v);
      return v;
  }
}

/** `docvalue_fields`: values from the columnar store, formatted as OpenSearch's DocValueFormat does. */
function docValueFields(index: Index, seg: Segment, doc: number, specs: Array<string | Record<string, unknown>>): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const spec of specs) {
    const pattern = typeof spec === 'string' ? spec : String(spec.field);
    const format = typeof spec === 'string' ? undefined : (spec.format as string | undefined);
    for (const path of index.mapping.matchFields(pattern)) {
      const info = index.mapping.field(path)!;
      const dv = seg.docValues.get(info.path);
      if (!dv) continue;
      const values: unknown[] = [];
      for (let i = dv.offsets[doc]; i < dv.offsets[doc + 1]; i++) {
        const v = dv.values[i];
        if (dv.kind === 'ordinal') values.push(info.type === 'ip' ? decodeIp(dv.terms![v]) : dv.terms![v]);
        else values.push(formatDocValue(info, v, format));
      }
      // Each docvalue_fields entry appends (the same field twice, in two formats, gives both).
      if (values.length > 0) out[path] = [...(out[path] ?? []), ...values];
    }
  }
  return out;
}

/** Formats a numeric doc value by field type (dates as strings, booleans, integers, DecimalFormat patterns). */
export function formatDocValue(info: FieldInfo, v: number, format?: string): unknown {
  if (info.type === 'date' || info.type === 'date_nanos') {
    if (format === 'epoch_millis') return String(v);
    return dateFormat(format ?? info.format!.split('||')[0]).format(v);
  }
  if (info.type === 'boolean') return v === 1;
  if (format !== undefined && format !== 'use_field_mapping') return formatDecimal(v, format);
  return v;
}

/**
 * Formats a number with a java.text.DecimalFormat pattern (`#.0`, `#,##0.00`, `0.###`), as
 * DocValueFormat.Decimal does: HALF_EVEN rounding, optional grouping, a prefix and suffix.
 */
export function formatDecimal(v: number, pattern: string): string {
  const positive = pattern.split(';')[0];
  const m = /^([^#0,.]*)([#0,]*)(?:\.([#0]*))?(.*)$/.exec(positive);
  if (!m || !Number.isFinite(v)) return String(v);
  const [, prefix, intPart, fracPart = '', suffix] = m;
  const minInt = (intPart.match(/0/g) ?? []).length;
  const minFrac = (fracPart.match(/0/g) ?? []).length;
  const maxFrac = fracPart.length;
  const comma = intPart.lastIndexOf(',');
  const group = comma < 0 ? 0 : intPart.length - comma - 1;
  const scaled = roundHalfEven(Math.abs(v), maxFrac);
  let [whole, frac = ''] = scaled.split('.');
  frac = frac.padEnd(maxFrac, '0');
  while (frac.length > minFrac && frac.endsWith('0')) frac = frac.slice(0, -1);
  if (whole === '0' && minInt === 0 && frac !== '') whole = '';
  whole = whole.padStart(minInt, '0');
  if (group > 0) whole = whole.replace(new RegExp(`\\B(?=(\\d{${group}})+(?!\\d))`, 'g'), ',');
  const negative = v < 0 && /[1-9]/.test(whole + frac);
  return `${negative ? '-' : ''}${prefix}${whole}${frac === '' ? '' : '.' + frac}${suffix}`;
}

/** `x` rounded half-even to `digits` decimals, as a plain decimal string. */
function roundHalfEven(x: number, digits: number): string {
  const fixed = x.toFixed(Math.min(100, digits + 3));
  const exact = x.toFixed(digits);
  // toFixed rounds half away from zero on the binary value; fix up exact ties to the even neighbour.
  const tail = fixed.slice(fixed.length - 3);
  if (tail === '500' && /[13579]$/.test(exact.replace('.', ''))) {
    const down = (Number(exact) - Math.pow(10, -digits)).toFixed(digits);
    return down;
  }
  return exact;
}

/** Marks a JSON integer literal too large for a double so it survives parse → filter → render. */
const BIG_MARK = '\u0000BIG:';

/**
 * `_source` filtering without losing integer precision: integer literals beyond 2^53 are carried
 * through JSON.parse as marked strings and written back verbatim (OpenSearch keeps them as BigInteger).
 */
function filterSourceLossless(bytes: Buffer, filter: SourceFilter | null): unknown {
  if (!filter || !filter.enabled || (filter.includes.length === 0 && filter.excludes.length === 0)) return filterSource(bytes, filter);
  const text = bytes.toString('utf8');
  if (!/\d{16}/.test(text)) return filterSource(bytes, filter);
  const marked = markBigIntegers(text);
  if (marked === text) return filterSource(bytes, filter);
  const filtered = filterSource(Buffer.from(marked, 'utf8'), filter);
  const restore = (v: unknown): unknown => {
    if (typeof v === 'string' && v.startsWith(BIG_MARK)) return new RawJson(v.slice(BIG_MARK.length));
    if (Array.isArray(v)) return v.map(restore);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, restore(x)]));
    return v;
  };
  return restore(filtered);
}

/** Rewrites unsafe integer literals outside strings as `"\u0000BIG:<digits>"` strings. */
function markBigIntegers(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === '-' || (c >= '0' && c <= '9')) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400))!;
      const lit = m[0];
      out += !m[1] && !m[2] && !Number.isSafeInteger(Number(lit)) ? JSON.stringify(BIG_MARK + lit) : lit;
      i += lit.length;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/**
 * A float32 score as Java prints it: the shortest decimal that reads back as the same float
 * (Lucene scores are floats; JSON of the widened double would show noise digits).
 */
export function float32Value(x: number | null): number | null {
  if (x === null || !Number.isFinite(x)) return x;
  const f = Math.fround(x);
  for (let p = 1; p <= 9; p++) {
    const v = Number(f.toPrecision(p));
    if (Math.fround(v) === f) return v;
  }
  return f;
}
