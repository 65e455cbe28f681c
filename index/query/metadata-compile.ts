// Term-level queries on metadata fields (`_id`, `_index`, `_routing`, `_seq_no`, `_version`,
// `_primary_term`, `_source`, `_ignored`), which live in each segment's `meta` columns, in the
// `_ignored` doc values or in the shard itself rather than in the mapping: constant-score doc sets,
// with OpenSearch's refusals as errors.

import { illegalArgument, OpenSearchError } from '../errors.ts';
import { routingOf, type Bitmap, type Segment } from '../segment/segment.ts';
import { queryShardError, type CompileContext } from './compile-context.ts';
import { allDocs, BitmapBuilder, emptyBitmap } from './exec/bitmaps.ts';
import { AllExec, ConstSetExec, NoneExec } from './exec/const-exec.ts';
import type { Exec } from './exec/exec.ts';
import { regexpPattern, wildcardPattern } from './exec/patterns.ts';
import { idsBitmap } from './exec/term-dict.ts';
import type { Query, Scalar } from './query.ts';

/** Metadata fields queries may name; anything else starting with `_` is looked up in the mapping. */
const METADATA = new Set(['_id', '_index', '_routing', '_seq_no', '_version', '_primary_term', '_source', '_ignored']);

/** Whether `field` is a metadata field handled here. */
export function isMetadataField(field: string): boolean {
  return METADATA.has(field);
}

type FieldQuery = Extract<Query, { field: string }>;

/** Compiles a field query on a metadata field. */
export function compileMetadataQuery(c: CompileContext, q: FieldQuery, boost: number): Exec {
  const field = q.field;
  if (q.type === 'exists') return metadataExists(c, field, boost);
  if (q.type === 'terms' && q.lookup) throw illegalArgument('[terms] terms lookup is not supported');
  if (field === '_source') throw queryShardError(c.shard, 'The _source field is not searchable');
  if (field === '_version') throw queryShardError(c.shard, 'The _version field is not searchable');
  if (field === '_seq_no' || field === '_primary_term') return numericMeta(c, q, boost);
  const test = stringTest(c, q);
  if (field === '_index') return test(c.shard.indexName) ? new AllExec(boost) : new NoneExec();
  if (field === '_id' && (q.type === 'term' || q.type === 'terms')) {
    const ids = (q.type === 'term' ? [q.value] : q.values).map(String);
    if (!(q.type === 'term' && q.case_insensitive)) return new ConstSetExec(boost, (seg) => idsBitmap(seg, ids));
  }
  if (field === '_ignored') return new ConstSetExec(boost, (seg) => ignoredDocs(seg, test));
  const valueOf = (seg: Segment, d: number): string | null => (field === '_id' ? seg.meta.ids.get(d) : routingOf(seg.meta, d));
  return new ConstSetExec(boost, (seg) => scan(seg, (d) => {
    const v = valueOf(seg, d);
    return v !== null && v !== undefined && test(v);
  }));
}

/** Docs with an `_ignored` field name (ordinal doc values, as the fetch phase reads them) passing `test`. */
function ignoredDocs(seg: Segment, test: (v: string) => boolean): Bitmap {
  const dv = seg.docValues.get('_ignored');
  if (!dv?.terms) return emptyBitmap();
  const terms = dv.terms;
  const ords = dv.values as Uint32Array;
  const accepted = terms.map(test);
  return scan(seg, (d) => {
    for (let i = dv.offsets[d]; i < dv.offsets[d + 1]; i++) if (accepted[ords[i]]) return true;
    return false;
  });
}

function metadataExists(c: CompileContext, field: string, boost: number): Exec {
  if (field === '_source') throw queryShardError(c.shard, 'The _source field is not searchable');
  if (field === '_routing') return new ConstSetExec(boost, (seg) => (seg.meta.routings === null ? emptyBitmap() : scan(seg, (d) => routingOf(seg.meta, d) !== null)));
  if (field === '_ignored') return new ConstSetExec(boost, (seg) => ignoredDocs(seg, () => true));
  return new AllExec(boost);
}

/** A string predicate for term / terms / prefix / wildcard / regexp / range / match on a keyword-like value. */
function stringTest(c: CompileContext, q: FieldQuery): (v: string) => boolean {
  const isIndex = q.field === '_index';
  switch (q.type) {
    case 'term':
    case 'match': {
      const value = String(q.type === 'term' ? q.value : q.query);
      // `_index` terms are index-name patterns (IndexFieldMapper.isSameIndex uses Regex.simpleMatch).
      if (isIndex) return simpleMatcher(value);
      if (q.type === 'term' && q.case_insensitive) return (v) => v.toLowerCase() === value.toLowerCase();
      return (v) => v === value;
    }
    case 'terms': {
      const values = q.values.map(String);
      if (isIndex) {
        const tests = values.map(simpleMatcher);
        return (v) => tests.some((t) => t(v));
      }
      const set = new Set(values);
      return (v) => set.has(v);
    }
    case 'prefix': {
      const p = q.case_insensitive ? q.value.toLowerCase() : q.value;
      return (v) => (q.case_insensitive ? v.toLowerCase() : v).startsWith(p);
    }
    case 'wildcard': return wildcardPattern(q.value, q.case_insensitive).test;
    case 'regexp': return regexpPattern(q.value, q.flags, q.case_insensitive, q.max_determinized_states).test;
    case 'range': {
      const lo = q.from === undefined || q.from === null ? undefined : String(q.from);
      const hi = q.to === undefined || q.to === null ? undefined : String(q.to);
      const incLo = q.include_lower !== false;
      const incHi = q.include_upper !== false;
      return (v) => (lo === undefined || (incLo ? v >= lo : v > lo)) && (hi === undefined || (incHi ? v <= hi : v < hi));
    }
    default:
      throw queryShardError(c.shard, `Field [${q.field}] of type [${q.field}] does not support [${q.type}] queries`);
  }
}

/** Regex.simpleMatch: `*` matches any run of characters. */
function simpleMatcher(pattern: string): (v: string) => boolean {
  if (!pattern.includes('*')) return (v) => v === pattern;
  const rx = new RegExp('^' + pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\/-]/g, '\\$&')).join('.*') + '$', 's');
  return (v) => rx.test(v);
}

/** term / terms / range on `_seq_no` or `_primary_term` (long doc values). */
function numericMeta(c: CompileContext, q: FieldQuery, boost: number): Exec {
  const num = (v: Scalar): number => {
    const n = typeof v === 'number' ? v : Number(v);
    if (typeof v === 'boolean' || String(v).trim() === '' || Number.isNaN(n)) {
      throw queryShardError(c.shard, `failed to create query: For input string: "${String(v)}"`,
        new OpenSearchError('number_format_exception', `For input string: "${String(v)}"`, 400));
    }
    return n;
  };
  let test: (v: number) => boolean;
  switch (q.type) {
    case 'term':
    case 'match': {
      const x = num(q.type === 'term' ? q.value : q.query);
      test = (v) => v === x;
      break;
    }
    case 'terms': {
      const set = new Set(q.values.map(num));
      test = (v) => set.has(v);
      break;
    }
    case 'range': {
      const lo = q.from === undefined || q.from === null ? -Infinity : num(q.from);
      const hi = q.to === undefined || q.to === null ? Infinity : num(q.to);
      const incLo = q.include_lower !== false;
      const incHi = q.include_upper !== false;
      test = (v) => (incLo ? v >= lo : v > lo) && (incHi ? v <= hi : v < hi);
      break;
    }
    default:
      throw queryShardError(c.shard, `Can only use ${q.type} queries on keyword and text fields - not on [${q.field}] which is of type [long]`);
  }
  const col = (seg: Segment) => (q.field === '_seq_no' ? seg.meta.seqNos : seg.meta.primaryTerms);
  return new ConstSetExec(boost, (seg) => scan(seg, (d) => test(col(seg)[d])));
}

/** Docs of the segment passing `keep`. */
function scan(seg: Segment, keep: (doc: number) => boolean): Bitmap {
  if (seg.maxDoc === 0) return emptyBitmap();
  const b = new BitmapBuilder();
  let all = true;
  for (let d = 0; d < seg.maxDoc; d++) {
    if (keep(d)) b.add(d);
    else all = false;
  }
  return all ? allDocs(seg.maxDoc) : b.build();
}
