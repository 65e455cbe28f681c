// The fetch phase: turns the winning (shard, segment, doc) addresses into response hits with
// `_source` (filtered), `fields`, `docvalue_fields`, versions and sequence numbers.

import type { SourceFilter } from '../docs/source-filter.ts';
import { filterSource } from '../docs/source-filter.ts';
import type { Index } from '../indices/index.ts';
import { dateFormat } from '../mapping/document-parser.ts';
import type { FieldInfo } from '../mapping/field-types.ts';
import { INTEGER_TYPES } from '../mapping/field-types.ts';
import { decodeIp } from '../mapping/ip.ts';
import type { Segment } from '../segment/segment.ts';
import type { SearchRequest } from './search-request.ts';

/** One hit to fetch. */
export interface FetchTarget {
  index: Index;
  segment: Segment;
  doc: number;
  score: number | null;
  sortValues?: unknown[];
  highlight?: Record<string, string[]>;
}

/** Renders one hit as OpenSearch does. */
export function fetchHit(t: FetchTarget, req: SearchRequest): Record<string, unknown> {
  const seg = t.segment;
  const hit: Record<string, unknown> = { _index: t.index.name, _id: seg.meta.ids[t.doc] };
  if (req.version) hit._version = seg.meta.versions[t.doc];
  if (req.seqNoPrimaryTerm) {
    hit._seq_no = seg.meta.seqNos[t.doc];
    hit._primary_term = seg.meta.primaryTerms[t.doc];
  }
  hit._score = float32Value(t.score);
  const routing = seg.meta.routings[t.doc];
  if (routing != null) hit._routing = routing;
  const wantSource = req.storedFields === undefined || req.source !== null;
  const sourceBytes = seg.source(t.doc);
  if (wantSource && !(req.storedFields?.includes('_none_'))) {
    const src = filterSource(sourceBytes, req.source as SourceFilter | null);
    if (src !== undefined && t.index.mapping.sourceEnabled) hit._source = src;
  }
  const fields: Record<string, unknown[]> = {};
  if (req.fields) Object.assign(fields, sourceFields(t.index, sourceBytes, req.fields));
  if (req.docvalueFields) Object.assign(fields, docValueFields(t.index, seg, t.doc, req.docvalueFields));
  if (Object.keys(fields).length > 0) hit.fields = fields;
  if (t.highlight && Object.keys(t.highlight).length > 0) hit.highlight = t.highlight;
  if (t.sortValues) hit.sort = t.sortValues;
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
      if (values.length > 0) out[path] = values;
    }
  }
  return out;
}

/** Formats a numeric doc value by field type (dates as strings, booleans, integers). */
export function formatDocValue(info: FieldInfo, v: number, format?: string): unknown {
  if (info.type === 'date' || info.type === 'date_nanos') {
    if (format === 'epoch_millis') return String(v);
    return dateFormat(format ?? info.format!.split('||')[0]).format(v);
  }
  if (info.type === 'boolean') return v === 1;
  return v;
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
