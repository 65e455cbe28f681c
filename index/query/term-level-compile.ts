// Compiles term-level queries (term, terms, range, exists, prefix, wildcard, regexp, fuzzy, ids)
// per field storage: inverted keyword/text fields through the term dictionary, numbers, dates and
// booleans through doc-value scans, ips as their 32-hex-digit keyword encoding.

import { illegalArgument, OpenSearchError } from '../errors.ts';
import { INTEGER_TYPES, type FieldInfo } from '../mapping/field-types.ts';
import { cidrBounds, encodeIp } from '../mapping/ip.ts';
import { RoaringBitmap32, type Segment } from '../segment/segment.ts';
import { bm25For, checkExpensiveAllowed, failedToCreate, indexIntSetting, mulBoost, queryShardError, type CompileContext } from './compile-context.ts';
import { dateBound } from './date-bounds.ts';
import { compileMetadataQuery, isMetadataField } from './metadata-compile.ts';
import { andNot, BitmapBuilder, orAll } from './exec/bitmaps.ts';
import { BoolExec } from './exec/bool-exec.ts';
import { ConstSetExec, NoneExec } from './exec/const-exec.ts';
import type { Exec } from './exec/exec.ts';
import { docsWithValues, numericRange, numericSet } from './exec/numeric-scan.ts';
import { boundedDistance, maxEdits, regexpPattern, wildcardPattern, type TermPattern } from './exec/patterns.ts';
import { idsBitmap, selectBitmap, selectOrds, ordsBitmap } from './exec/term-dict.ts';
import { sourceExists } from './exec/source-exists.ts';
import { TermExec } from './exec/term-exec.ts';
import type { ExistsQuery, FuzzyQuery, IdsQuery, RangeQuery, Scalar, TermQuery, TermsQuery } from './query.ts';

/** A keyword value as indexed: ips encoded, normalizers applied. */
function indexedKeyword(c: CompileContext, info: FieldInfo, value: Scalar): string {
  const s = String(value);
  if (info.type === 'ip') {
    const ip = encodeIp(s);
    if (!ip) throw failedToCreate(c.shard, new OpenSearchError('illegal_argument_exception', `'${s}' is not an IP string literal.`, 400));
    return ip;
  }
  return info.normalizer ? c.shard.analyzers.normalize(info, s) : s;
}

/** A value of a numeric-storage field (numbers, booleans; dates go through dateBound). */
function numericValue(c: CompileContext, info: FieldInfo, value: Scalar): number {
  if (info.type === 'boolean') {
    if (value === true || value === 'true') return 1;
    if (value === false || value === 'false' || value === '') return 0;
    throw failedToCreate(c.shard, new OpenSearchError('illegal_argument_exception', `Can't parse boolean value [${String(value)}], expected [true] or [false]`, 400));
  }
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (Number.isNaN(n)) {
    throw failedToCreate(c.shard, new OpenSearchError('number_format_exception', `For input string: "${String(value)}"`, 400));
  }
  return info.type === 'float' || info.type === 'half_float' ? Math.fround(n) : n;
}

const constSet = (boost: number, fn: (seg: Segment) => ReturnType<typeof numericRange>) => new ConstSetExec(boost, fn);

/** `term` on any field type. */
export function compileTerm(c: CompileContext, q: TermQuery, info: FieldInfo, boost: number, scoring: boolean): Exec {
  const field = info.path;
  if (info.storage === 'numeric') {
    if (info.type === 'date' || info.type === 'date_nanos') {
      return compileRange(c, { type: 'range', field, from: q.value, to: q.value }, info, boost);
    }
    const v = numericValue(c, info, q.value);
    return constSet(boost, (seg) => numericRange(seg, field, v, v));
  }
  if (info.storage === 'none') return new NoneExec();
  if (info.type === 'ip' && String(q.value).includes('/')) return ipCidr(c, info, String(q.value), boost);
  const term = indexedKeyword(c, info, q.value);
  if (q.case_insensitive) {
    const lower = term.toLowerCase();
    return constSet(boost, (seg) => selectBitmap(seg, field, { accept: (t) => t.toLowerCase() === lower }));
  }
  if (info.type === 'ip') return constSet(boost, (seg) => selectBitmap(seg, field, { lower: term, upper: term }));
  return new TermExec(field, term, scoring ? bm25For(c.shard, field, [term], boost) : null);
}

/** TermsQueryBuilder's guard against huge term lists (`index.max_terms_count`, default 65,536). */
export function checkTermsCount(c: CompileContext, n: number): void {
  const max = indexIntSetting(c.shard, 'index.max_terms_count', 65536);
  if (n > max) {
    throw illegalArgument(`The number of terms [${n}] used in the Terms Query request has exceeded the allowed maximum of [${max}]. This maximum can be set by changing the [index.max_terms_count] index level setting.`);
  }
}

/** RegexpQueryBuilder's guard (`index.max_regex_length`, default 1,000). */
export function checkRegexLength(c: CompileContext, regex: string): void {
  const max = indexIntSetting(c.shard, 'index.max_regex_length', 1000);
  if (regex.length > max) {
    throw illegalArgument(`The length of regex [${regex.length}] used in the Regexp Query request has exceeded the allowed maximum of [${max}]. This maximum can be set by changing the [index.max_regex_length] index level setting.`);
  }
}

function ipCidr(c: CompileContext, info: FieldInfo, cidr: string, boost: number): Exec {
  const b = cidrBounds(cidr);
  if (!b) throw failedToCreate(c.shard, new OpenSearchError('illegal_argument_exception', `Expected [ip/prefix] but was [${cidr}]`, 400));
  return constSet(boost, (seg) => selectBitmap(seg, info.path, { lower: b[0], upper: b[1] }));
}

/** `terms`: constant score (Lucene's TermInSetQuery). */
export function compileTerms(c: CompileContext, q: TermsQuery, info: FieldInfo, boost: number): Exec {
  const field = info.path;
  // The coordinator resolves lookups (terms-lookup.ts) before shards compile.
  if (q.lookup) throw illegalArgument('[terms] terms lookup is not supported');
  checkTermsCount(c, q.values.length);
  if (q.value_type === 'bitmap') return bitmapTerms(c, q, info, boost);
  if (info.storage === 'numeric') {
    if (info.type === 'date' || info.type === 'date_nanos') {
      const parts = q.values.map((v) => compileRange(c, { type: 'range', field, from: v, to: v }, info, 1));
      return constSet(boost, (seg) => orAll(parts.map((p) => p.matches(seg))));
    }
    const set = new Set(q.values.map((v) => numericValue(c, info, v)));
    return constSet(boost, (seg) => numericSet(seg, field, set));
  }
  if (info.storage === 'none') return new NoneExec();
  const cidrs = info.type === 'ip' ? q.values.filter((v) => String(v).includes('/')).map((v) => ipCidr(c, info, String(v), 1)) : [];
  const terms = [...new Set(q.values.filter((v) => !(info.type === 'ip' && String(v).includes('/'))).map((v) => indexedKeyword(c, info, v)))].sort();
  return constSet(boost, (seg) => {
    const ords = terms.map((t) => seg.termOrd(field, t)).filter((o) => o >= 0);
    const base = ordsBitmap(seg, field, ords);
    return cidrs.length === 0 ? base : orAll([base, ...cidrs.map((e) => e.matches(seg))]);
  });
}

/** `value_type: bitmap`: the integers of a base64 portable RoaringBitmap, matched against doc values. */
function bitmapTerms(c: CompileContext, q: TermsQuery, info: FieldInfo, boost: number): Exec {
  if (info.storage !== 'numeric' || !INTEGER_TYPES.has(info.type)) {
    throw failedToCreate(c.shard, illegalArgument(`Field [${info.path}] of type [${info.type}] does not support bitmap value type`));
  }
  if (q.values.length !== 1 || typeof q.values[0] !== 'string') {
    throw illegalArgument('Invalid value for bitmap type: Expected a single-element array with a base64 encoded serialized bitmap.');
  }
  let bitmap: InstanceType<typeof RoaringBitmap32>;
  try {
    bitmap = RoaringBitmap32.deserialize(Buffer.from(q.values[0], 'base64'), true);
  } catch (err) {
    throw failedToCreate(c.shard, illegalArgument(`Failed to deserialize the bitmap: ${(err as Error).message}`));
  }
  const field = info.path;
  return constSet(boost, (seg) => {
    const dv = seg.docValues.get(field);
    const out = new BitmapBuilder();
    if (!dv || dv.kind !== 'numeric') return out.build();
    const values = dv.values as Float64Array;
    for (let d = 0; d < seg.maxDoc; d++) {
      for (let i = dv.offsets[d]; i < dv.offsets[d + 1]; i++) {
        const v = values[i];
        if (v >= 0 && v <= 0xffffffff && Number.isInteger(v) && bitmap.has(v)) {
          out.add(d);
          break;
        }
      }
    }
    return out.build();
  });
}

/** `range` on numbers, dates, booleans, keywords, ips and text terms. Constant score. */
export function compileRange(c: CompileContext, q: RangeQuery, info: FieldInfo, boost: number): Exec {
  const field = info.path;
  const incLo = q.include_lower !== false;
  const incHi = q.include_upper !== false;
  const hasLo = q.from !== undefined && q.from !== null;
  const hasHi = q.to !== undefined && q.to !== null;
  if (info.storage === 'numeric') {
    let lo = -Infinity;
    let hi = Infinity;
    if (info.type === 'date' || info.type === 'date_nanos') {
      // OpenSearch rounds an exclusive lower bound and an inclusive upper bound up (`||/d` ends at the
      // last millisecond of the day), then shifts exclusive bounds by one millisecond.
      try {
        if (hasLo) lo = dateBound(q.from as Scalar, info, { format: q.format, timeZone: q.time_zone, roundUp: !incLo, now: c.shard.now }) + (incLo ? 0 : 1);
        if (hasHi) hi = dateBound(q.to as Scalar, info, { format: q.format, timeZone: q.time_zone, roundUp: incHi, now: c.shard.now }) - (incHi ? 0 : 1);
      } catch (err) {
        throw failedToCreate(c.shard, err);
      }
      return constSet(boost, (seg) => numericRange(seg, field, lo, hi));
    }
    const integer = info.type !== 'float' && info.type !== 'double' && info.type !== 'half_float' && info.type !== 'scaled_float';
    if (hasLo) {
      const v = numericValue(c, info, q.from as Scalar);
      lo = integer ? (incLo ? Math.ceil(v) : Math.floor(v) + 1) : v;
    }
    if (hasHi) {
      const v = numericValue(c, info, q.to as Scalar);
      hi = integer ? (incHi ? Math.floor(v) : Math.ceil(v) - 1) : v;
    }
    const strictLo = !integer && hasLo && !incLo;
    const strictHi = !integer && hasHi && !incHi;
    return constSet(boost, (seg) => {
      if (!strictLo && !strictHi) return numericRange(seg, field, lo, hi);
      let m = numericRange(seg, field, lo, hi);
      if (strictLo) m = andNot(m, numericRange(seg, field, lo, lo));
      if (strictHi) m = andNot(m, numericRange(seg, field, hi, hi));
      return m;
    });
  }
  if (info.storage === 'none') return new NoneExec();
  if (info.type !== 'ip') checkExpensiveAllowed(c.shard, '[range] queries on [text] or [keyword] fields');
  const lower = hasLo ? (info.type === 'ip' ? indexedKeyword(c, info, q.from as Scalar) : keywordBound(c, info, q.from as Scalar)) : undefined;
  const upper = hasHi ? (info.type === 'ip' ? indexedKeyword(c, info, q.to as Scalar) : keywordBound(c, info, q.to as Scalar)) : undefined;
  return constSet(boost, (seg) => selectBitmap(seg, field, { lower, lowerInclusive: incLo, upper, upperInclusive: incHi }));
}

function keywordBound(c: CompileContext, info: FieldInfo, v: Scalar): string {
  return info.storage === 'keyword' ? indexedKeyword(c, info, v) : String(v);
}

/** `exists` for one concrete field. */
export function existsOnField(info: FieldInfo, boost: number): Exec {
  const field = info.path;
  // Fields the segments do not index (binary, geo_point): Lucene answers from `_field_names`; the
  // stored `_source` holds the same facts.
  if (info.storage === 'none') return new ConstSetExec(boost, (seg) => sourceExists(seg, field));
  return new ConstSetExec(boost, (seg) => {
    const dv = seg.docValues.get(field);
    if (dv) return docsWithValues(dv, seg.maxDoc);
    const inv = seg.inverted.get(field);
    if (!inv) return new NoneExec().matches(seg);
    if (inv.norms) {
      const norms = inv.norms;
      return constNormsBitmap(norms, seg.maxDoc);
    }
    return ordsBitmap(seg, field, inv.terms.map((_, i) => i));
  });
}

function constNormsBitmap(norms: Uint8Array, maxDoc: number) {
  const b = new BitmapBuilder();
  for (let d = 0; d < maxDoc; d++) if (norms[d] !== 0) b.add(d);
  return b.build();
}

/** Leaf types with a value in `_source` but nothing in the segment's inverted index or doc values. */
const SOURCE_ONLY_TYPES = new Set(['binary', 'geo_point', 'geo_shape', 'murmur3']);

/** `exists`: the field, an object path (any leaf under it) or a wildcard pattern. */
export function compileExists(c: CompileContext, q: ExistsQuery, boost: number): Exec {
  if (isMetadataField(q.field)) return compileMetadataQuery(c, q, boost);
  const mapping = c.shard.mapping;
  let paths = mapping.matchFields(q.field);
  if (paths.length === 0) paths = [...mapping.fields.keys()].filter((p) => p.startsWith(q.field + '.'));
  const infos = paths.map((p) => mapping.field(p)).filter((i): i is FieldInfo => !!i && (i.storage !== 'none' || SOURCE_ONLY_TYPES.has(i.type)));
  if (infos.length === 0) return new NoneExec();
  if (infos.length === 1) return existsOnField(infos[0], boost);
  const parts = infos.map((i) => existsOnField(i, 1));
  return new ConstSetExec(boost, (seg) => orAll(parts.map((p) => p.matches(seg))));
}

/** prefix / wildcard / regexp on keyword or text fields: constant-score term-dictionary walks. */
export function compilePattern(c: CompileContext, kind: 'prefix' | 'wildcard' | 'regexp', info: FieldInfo, pattern: TermPattern | string, boost: number): Exec {
  if (info.storage !== 'keyword' && info.storage !== 'text') {
    if (info.storage === 'none') return new NoneExec();
    throw queryShardError(c.shard, `Can only use ${kind} queries on keyword and text fields - not on [${info.path}] which is of type [${info.type}]`);
  }
  checkExpensiveAllowed(c.shard, `[${kind}] queries`, kind === 'prefix' ? ' For optimised prefix queries on text fields please enable [index_prefixes].' : '');
  const field = info.path;
  if (typeof pattern === 'string') return new ConstSetExec(boost, (seg) => selectBitmap(seg, field, { prefix: pattern }));
  return new ConstSetExec(boost, (seg) => selectBitmap(seg, field, { prefix: pattern.prefix, accept: pattern.test }));
}

export { wildcardPattern, regexpPattern };

/** Fuzzy expansions across the shard: the best `maxExpansions` terms by edit distance, then term order. */
export function fuzzyTerms(c: CompileContext, field: string, value: string, edits: number, prefixLength: number, maxExpansions: number, transpositions: boolean): Array<{ term: string; boost: number }> {
  const prefix = [...value].slice(0, prefixLength).join('');
  const found = new Map<string, number>();
  const qLen = [...value].length;
  for (const seg of c.shard.segments) {
    for (const o of selectOrds(seg, field, { prefix })) {
      const t = seg.inverted.get(field)!.terms[o];
      if (found.has(t)) continue;
      const d = boundedDistance(value, t, edits, transpositions);
      if (d <= edits) found.set(t, d);
    }
  }
  const scored = [...found].map(([term, d]) => ({ term, d, boost: Math.fround(1 - d / Math.min([...term].length, qLen)) }));
  scored.sort((a, b) => (b.boost - a.boost) || (a.term < b.term ? -1 : 1));
  return scored.slice(0, maxExpansions).map(({ term, boost }) => ({ term, boost }));
}

/**
 * A fuzzy term query (also used by match with fuzziness): Lucene's TopTermsBlendedFreqScoringRewrite —
 * a should of the expansions, each term boosted by its similarity and scored with the blended
 * (maximum) document frequency of all expansions.
 */
export function compileFuzzyTerm(c: CompileContext, info: FieldInfo, value: string, opts: { fuzziness?: Scalar; prefixLength?: number; maxExpansions?: number; transpositions?: boolean }, boost: number, scoring: boolean): Exec {
  if (info.storage !== 'keyword' && info.storage !== 'text') {
    if (info.storage === 'none') return new NoneExec();
    throw queryShardError(c.shard, `Can only use fuzzy queries on keyword and text fields - not on [${info.path}] which is of type [${info.type}]`);
  }
  checkExpensiveAllowed(c.shard, '[fuzzy] queries');
  const term = info.storage === 'keyword' ? indexedKeyword(c, info, value) : value;
  const edits = maxEdits(opts.fuzziness ?? 'AUTO', term);
  const expansions = fuzzyTerms(c, info.path, term, edits, opts.prefixLength ?? 0, opts.maxExpansions ?? 50, opts.transpositions ?? true);
  if (expansions.length === 0) return new NoneExec();
  const maxDf = Math.max(...expansions.map((e) => c.shard.stats.docFreq(info.path, e.term)));
  const children = expansions.map((e) => new TermExec(info.path, e.term, scoring ? bm25For(c.shard, info.path, [e.term], mulBoost(boost, e.boost), maxDf) : null));
  return children.length === 1 ? children[0] : new BoolExec([], [], children, [], 1);
}

/** `fuzzy`. */
export function compileFuzzy(c: CompileContext, q: FuzzyQuery, info: FieldInfo, boost: number, scoring: boolean): Exec {
  return compileFuzzyTerm(c, info, String(q.value), {
    fuzziness: q.fuzziness, prefixLength: q.prefix_length, maxExpansions: q.max_expansions, transpositions: q.transpositions,
  }, boost, scoring);
}

/** `ids`. */
export function compileIds(q: IdsQuery, boost: number): Exec {
  const ids = [...new Set(q.values)];
  return ids.length === 0 ? new NoneExec() : new ConstSetExec(boost, (seg) => idsBitmap(seg, ids));
}
