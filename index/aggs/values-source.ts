// Resolves an aggregation's `field` / `missing` / `format` against a shard's mapping into a values
// source: which doc-values column to read (numeric or ordinal), how values print, and per-segment
// columns with the `missing` value already substituted so collect loops stay branch-free.

import { illegalArgument } from '../errors.ts';
import { encodeIp } from '../mapping/ip.ts';
import type { FieldInfo } from '../mapping/field-types.ts';
import type { DocValuesField, Segment } from '../segment/segment.ts';
import type { ShardSearchContext } from '../search/shard-context.ts';
import { parseDate } from './date-support.ts';
import { RAW, type FormatSpec } from './doc-value-format.ts';
import { checkKeys, type Json, str } from './parse-helpers.ts';

/** What kind of values a source yields. `unmapped` sources never match a value (unless `missing`). */
export type ValueKind = 'long' | 'double' | 'date' | 'boolean' | 'string' | 'ip' | 'unmapped';

/** The `field`, `missing`, `format` (and ignored `value_type`) parameters shared by value sources. */
export interface SourceParams {
  field?: string;
  missing?: unknown;
  format?: string;
  value_type?: string;
}

/** Keys a values-source aggregation accepts besides its own. */
export const SOURCE_KEYS = ['field', 'missing', 'format', 'value_type', 'script'] as const;

/** Parses the common values-source parameters out of a body. */
export function parseSource(type: string, body: Json, own: readonly string[], requireField = true): SourceParams {
  checkKeys(type, body, [...SOURCE_KEYS, ...own]);
  if (body.script !== undefined) throw illegalArgument(`[${type}] scripts are not supported`);
  if (requireField && body.field === undefined) {
    throw illegalArgument('Required one of fields [field, script], but none were specified. ');
  }
  const p: SourceParams = {};
  if (body.field !== undefined) p.field = str(type, 'field', body.field);
  if (body.missing !== undefined) p.missing = body.missing;
  if (body.format !== undefined) p.format = str(type, 'format', body.format);
  if (body.value_type !== undefined) p.value_type = str(type, 'value_type', body.value_type);
  return p;
}

/** A resolved source on one shard. */
export interface ValuesSource {
  field: string;
  kind: ValueKind;
  info?: FieldInfo;
  format: FormatSpec;
  /** The field is not mapped on this shard (only `missing` can yield values). */
  unmapped?: boolean;
  /** A text field with `fielddata: true`: ordinals are uninverted from the postings. */
  fielddata?: boolean;
  /** Numeric `missing` (dates parsed, booleans 0/1), or undefined. */
  missingNum?: number;
  /** Term `missing` (ips encoded), or undefined. */
  missingTerm?: string;
}

/** The kind of values a mapped field yields. */
export function kindOf(info: FieldInfo): ValueKind {
  switch (info.type) {
    case 'date': case 'date_nanos': return 'date';
    case 'boolean': return 'boolean';
    case 'ip': return 'ip';
    case 'double': case 'float': case 'half_float': case 'scaled_float': return 'double';
    default:
      if (info.storage === 'keyword') return 'string';
      if (info.storage === 'numeric') return 'long';
      return 'unmapped';
  }
}

/** Resolves a source; `aggType` is used in errors; `accepts` restricts value kinds. */
export function resolveSource(
  p: SourceParams,
  shard: ShardSearchContext,
  aggType: string,
  accepts: 'numeric' | 'any' | 'bytes' = 'any',
): ValuesSource {
  const field = p.field ?? '';
  const info = shard.mapping.field(field);
  if (!info) {
    const src: ValuesSource = { field, kind: 'unmapped', unmapped: true, format: p.format ? { t: 'decimal', pattern: p.format } : RAW };
    if (p.missing !== undefined) {
      // An unmapped field with `missing` behaves as a field of `value_type` (or the missing value's type).
      const vt = p.value_type ?? (typeof p.missing === 'number' ? (Number.isInteger(p.missing) ? 'long' : 'double') : typeof p.missing === 'boolean' ? 'boolean' : 'string');
      const kind: ValueKind = vt === 'date' ? 'date' : vt === 'boolean' ? 'boolean' : vt === 'ip' ? 'ip'
        : vt === 'double' || vt === 'float' ? 'double' : vt === 'long' || vt === 'numeric' || vt === 'number' || vt === 'integer' || vt === 'unsigned_long' ? 'long' : 'string';
      src.kind = kind;
      src.format = formatFor(kind, undefined, p.format);
      if (kind === 'string') src.missingTerm = String(p.missing);
      else if (kind === 'ip') src.missingTerm = encodeIp(String(p.missing)) ?? String(p.missing);
      else if (kind === 'date') src.missingNum = parseDate(p.missing as string, p.format ?? 'strict_date_optional_time||epoch_millis', shard.now);
      else if (kind === 'boolean') src.missingNum = p.missing === true || p.missing === 'true' ? 1 : 0;
      else src.missingNum = Number(p.missing);
    }
    return src;
  }
  if (info.storage === 'text' && (info.raw.fielddata === true || info.raw.fielddata === 'true')) {
    return { field, kind: 'string', info, format: RAW, fielddata: true, ...(p.missing !== undefined ? { missingTerm: String(p.missing) } : {}) };
  }
  if (info.storage === 'text') {
    throw illegalArgument(
      `Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [${field}] in order to load field data by uninverting the inverted index. Note that this can use significant memory.`,
    );
  }
  const kind = kindOf(info);
  if (kind === 'unmapped' || !info.docValues) {
    throw illegalArgument(`Field [${field}] of type [${info.type}] is not supported for aggregation [${aggType}]`);
  }
  if (accepts === 'numeric' && (kind === 'string' || kind === 'ip')) {
    throw illegalArgument(`Field [${field}] of type [${info.type}] is not supported for aggregation [${aggType}]`);
  }
  const src: ValuesSource = { field, kind, info, format: formatFor(kind, info, p.format) };
  if (p.missing !== undefined) {
    if (kind === 'string') src.missingTerm = String(p.missing);
    else if (kind === 'ip') src.missingTerm = encodeIp(String(p.missing)) ?? String(p.missing);
    else if (kind === 'date') src.missingNum = parseDate(p.missing as string, info.format!, shard.now);
    else if (kind === 'boolean') src.missingNum = p.missing === true || p.missing === 'true' ? 1 : 0;
    else src.missingNum = Number(p.missing);
  }
  return src;
}

/** The DocValueFormat of a field kind, with an optional request `format`. */
export function formatFor(kind: ValueKind, info: FieldInfo | undefined, format: string | undefined, tz?: string): FormatSpec {
  switch (kind) {
    case 'date': return { t: 'date', pattern: format ?? info?.format ?? 'strict_date_optional_time', ...(tz ? { tz } : {}) };
    case 'boolean': return { t: 'bool' };
    case 'ip': return { t: 'ip' };
    case 'long': case 'double': return format ? { t: 'decimal', pattern: format } : RAW;
    default: return RAW;
  }
}

/** True when the source reads a numeric column (numbers, dates, booleans). */
export function isNumeric(src: ValuesSource): boolean {
  return src.kind === 'long' || src.kind === 'double' || src.kind === 'date' || src.kind === 'boolean';
}

const EMPTY_OFFSETS = new Uint32Array(0);

/** The numeric column of a segment with `missing` substituted, or null when no doc has a value. */
export function numericColumn(seg: Segment, src: ValuesSource): DocValuesField | null {
  const dv = src.unmapped ? undefined : seg.docValues.get(src.field);
  if (dv && dv.kind !== 'numeric') return null;
  if (src.missingNum === undefined) return dv ?? null;
  return withMissing(seg.maxDoc, dv, src.missingNum);
}

/** The ordinal column of a segment with `missing` added to its dictionary, or null. */
export function ordinalColumn(seg: Segment, src: ValuesSource): DocValuesField | null {
  const dv = src.unmapped ? undefined : src.fielddata ? uninvert(seg, src.field) : seg.docValues.get(src.field);
  if (dv && dv.kind !== 'ordinal') return null;
  if (src.missingTerm === undefined) return dv ?? null;
  const terms = dv?.terms ?? [];
  let at = 0;
  while (at < terms.length && terms[at] < src.missingTerm) at++;
  const exists = terms[at] === src.missingTerm;
  const newTerms = exists ? terms : [...terms.slice(0, at), src.missingTerm, ...terms.slice(at)];
  const maxDoc = seg.maxDoc;
  const offsets = new Uint32Array(maxDoc + 1);
  const out: number[] = [];
  const oldOff = dv?.offsets ?? EMPTY_OFFSETS;
  const oldVals = dv?.values;
  for (let d = 0; d < maxDoc; d++) {
    offsets[d] = out.length;
    const s = dv ? oldOff[d] : 0, e = dv ? oldOff[d + 1] : 0;
    if (s === e) out.push(at);
    else for (let i = s; i < e; i++) { const o = oldVals![i]; out.push(!exists && o >= at ? o + 1 : o); }
  }
  offsets[maxDoc] = out.length;
  return { kind: 'ordinal', offsets, values: Uint32Array.from(out), terms: newTerms, singleValued: dv?.singleValued ?? true, docCount: maxDoc };
}

function withMissing(maxDoc: number, dv: DocValuesField | undefined, missing: number): DocValuesField {
  const offsets = new Uint32Array(maxDoc + 1);
  const out: number[] = [];
  for (let d = 0; d < maxDoc; d++) {
    offsets[d] = out.length;
    const s = dv ? dv.offsets[d] : 0, e = dv ? dv.offsets[d + 1] : 0;
    if (s === e) out.push(missing);
    else {
      // keep ascending order within the doc
      for (let i = s; i < e; i++) out.push(dv!.values[i]);
    }
  }
  offsets[maxDoc] = out.length;
  return { kind: 'numeric', offsets, values: Float64Array.from(out), singleValued: dv?.singleValued ?? true, docCount: maxDoc };
}

const uninverted = new WeakMap<Segment, Map<string, DocValuesField | undefined>>();

/** Field data for a text field: per-doc sorted term ordinals rebuilt from the postings (cached). */
function uninvert(seg: Segment, field: string): DocValuesField | undefined {
  let bySeg = uninverted.get(seg);
  if (!bySeg) uninverted.set(seg, (bySeg = new Map()));
  if (bySeg.has(field)) return bySeg.get(field);
  const inv = seg.inverted.get(field);
  let out: DocValuesField | undefined;
  if (inv) {
    const perDoc = new Uint32Array(seg.maxDoc + 1);
    for (let i = 0; i < inv.docs.length; i++) perDoc[inv.docs[i] + 1]++;
    for (let d = 0; d < seg.maxDoc; d++) perDoc[d + 1] += perDoc[d];
    const fill = perDoc.slice(0, seg.maxDoc);
    const values = new Uint32Array(inv.docs.length);
    for (let t = 0; t < inv.terms.length; t++) {
      for (let i = inv.docStart[t]; i < inv.docStart[t + 1]; i++) values[fill[inv.docs[i]]++] = t;
    }
    let single = true;
    for (let d = 0; d < seg.maxDoc && single; d++) if (perDoc[d + 1] - perDoc[d] > 1) single = false;
    out = { kind: 'ordinal', offsets: perDoc, values, terms: inv.terms, singleValued: single, docCount: inv.docCount };
  }
  bySeg.set(field, out);
  return out;
}
