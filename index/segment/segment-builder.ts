// Builds an immutable Segment from parsed documents: analyzes text into postings with frequencies,
// positions and norms, collects keyword dictionaries and ordinals, and lays out numeric doc values.

import { PackedStrings } from './packed-strings.ts';
import type { Analyzer } from '../analysis/analyzer.ts';
import type { AnalysisRegistry } from '../analysis/registry.ts';
import type { FieldInfo } from '../mapping/field-types.ts';
import type { IndexedField } from '../mapping/document-parser.ts';
import { routingsColumn, Segment, type DocMeta, type DocValuesField, type InvertedField } from './segment.ts';
import { DeferredSourceStore, buildSourceStore, type SourceStore } from './source-store.ts';
import { IntBuffer, TextAcc } from './text-postings.ts';

export { POSITION_INCREMENT_GAP } from './text-postings.ts';

/** A document ready to be written into a segment. */
export interface BuildDoc {
  id: string;
  seqNo: number;
  version: number;
  primaryTerm: number;
  routing: string | null;
  source: Buffer;
  fields: IndexedField[];
}

/** Resolves analyzers for text fields and normalizers for keyword fields. */
export interface AnalyzerResolver {
  indexAnalyzer(info: FieldInfo): Analyzer;
  /** Applies a keyword field's normalizer (identity when it has none). */
  normalize(info: FieldInfo, value: string): string;
}

/** The index-time analyzers and normalizers of an index's analysis settings. */
export function analyzerResolver(analysis: AnalysisRegistry): AnalyzerResolver {
  return {
    indexAnalyzer: (info) => (info.analyzer === undefined || info.analyzer === 'default' ? analysis.defaultAnalyzer() : analysis.get(info.analyzer)),
    normalize: (info, value) => (info.normalizer ? analysis.normalizer(info.normalizer).normalize(value) : value),
  };
}

/** Keyword values accumulate as (doc, termId) pairs in doc order. */
class KeywordAcc {
  termIds = new Map<string, number>();
  private pairs = new IntBuffer();
  private docs = 0;
  private lastDoc = -1;
  add(doc: number, values: (string | number)[]): void {
    if (values.length === 0) return;
    if (doc !== this.lastDoc) {
      this.docs++;
      this.lastDoc = doc;
    }
    for (const v of values) {
      const s = typeof v === 'string' ? v : String(v);
      let id = this.termIds.get(s);
      if (id === undefined) {
        id = this.termIds.size;
        this.termIds.set(s, id);
      }
      this.pairs.push(doc);
      this.pairs.push(id);
    }
  }

  finish(maxDoc: number, index: boolean, docValues: boolean): [InvertedField | undefined, DocValuesField | undefined] {
    const terms = [...this.termIds.keys()].sort();
    const ordOf = new Uint32Array(terms.length);
    terms.forEach((t, ord) => (ordOf[this.termIds.get(t)!] = ord));
    const offsets = new Uint32Array(maxDoc + 1);
    const pairs = this.pairs.data;
    const np = this.pairs.length / 2;
    const ords = new Uint32Array(np);
    let n = 0;
    const df = new Uint32Array(terms.length);
    let singleValued = true;
    let p = 0;
    for (let d = 0; d < maxDoc; d++) {
      offsets[d] = n;
      const start = n;
      while (p < np && pairs[p * 2] === d) {
        ords[n++] = ordOf[pairs[p * 2 + 1]];
        p++;
      }
      if (n - start > 1) {
        // Sorted set semantics: ascending, de-duplicated ordinals per doc.
        const sorted = [...new Set(ords.subarray(start, n))].sort((a, b) => a - b);
        n = start;
        for (const o of sorted) ords[n++] = o;
        if (sorted.length > 1) singleValued = false;
      }
      for (let i = start; i < n; i++) df[ords[i]]++;
    }
    offsets[maxDoc] = n;
    const values = ords.slice(0, n);
    let inverted: InvertedField | undefined;
    if (index) {
      const docStart = new Uint32Array(terms.length + 1);
      for (let t = 0; t < terms.length; t++) docStart[t + 1] = docStart[t] + df[t];
      const docs = new Uint32Array(n);
      const fill = docStart.slice(0, terms.length);
      for (let d = 0; d < maxDoc; d++) {
        for (let i = offsets[d]; i < offsets[d + 1]; i++) docs[fill[values[i]]++] = d;
      }
      inverted = { terms, docStart, docs, docCount: this.docs, sumTotalTermFreq: n, sumDocFreq: n };
    }
    const dv: DocValuesField | undefined = docValues
      ? { kind: 'ordinal', offsets, values, terms, singleValued, docCount: this.docs }
      : undefined;
    return [inverted, dv];
  }
}

/** Numeric values accumulate in doc order; multi-valued docs are sorted (sorted-numeric semantics). */
class NumericAcc {
  private docs = new IntBuffer();
  private values: number[] = [];
  private docCount = 0;
  private lastDoc = -1;
  add(doc: number, values: (string | number)[]): void {
    if (values.length === 0) return;
    if (doc !== this.lastDoc) {
      this.docCount++;
      this.lastDoc = doc;
    }
    for (const v of values) {
      this.docs.push(doc);
      this.values.push(typeof v === 'number' ? v : Number(v));
    }
  }
  finish(maxDoc: number): DocValuesField {
    const offsets = new Uint32Array(maxDoc + 1);
    const values = Float64Array.from(this.values);
    const docs = this.docs.data;
    let singleValued = true;
    let p = 0;
    for (let d = 0; d < maxDoc; d++) {
      offsets[d] = p;
      const start = p;
      while (p < this.values.length && docs[p] === d) p++;
      if (p - start > 1) {
        singleValued = false;
        values.subarray(start, p).sort();
      }
    }
    offsets[maxDoc] = p;
    return { kind: 'numeric', offsets, values, singleValued, docCount: this.docCount };
  }
}

/**
 * Builds one segment from documents (in doc-id order). `_source` blocks are compressed on the deflate
 * thread (`deferred`, for builds on the event loop) or right here (`now`, for builds on a worker).
 */
export function buildSegment(name: string, docs: BuildDoc[], analyzers: AnalyzerResolver, compressSources: 'deferred' | 'now' = 'deferred'): Segment {
  const writer = new SegmentWriter(analyzers, docs.length);
  for (const d of docs) writer.add(d.fields);
  const meta = {
    ids: PackedStrings.from(docs.map((d) => d.id)),
    seqNos: Float64Array.from(docs, (d) => d.seqNo),
    versions: Float64Array.from(docs, (d) => d.version),
    primaryTerms: Float64Array.from(docs, (d) => d.primaryTerm),
    routings: routingsColumn(docs.map((d) => d.routing)),
  };
  const sources = docs.map((d) => d.source);
  return writer.finish(name, meta, compressSources === 'now' ? buildSourceStore(sources) : new DeferredSourceStore(sources));
}

/** A field's accumulator in a SegmentWriter, with what adding a value needs (its analyzer, normalizer). */
type FieldAcc =
  | { kind: 'text'; info: FieldInfo; acc: TextAcc; analyzer: Analyzer }
  | { kind: 'keyword'; info: FieldInfo; acc: KeywordAcc }
  | { kind: 'numeric'; info: FieldInfo; acc: NumericAcc }
  | { kind: 'none'; info: FieldInfo };

/**
 * Accumulates documents' fields one document at a time (doc ids 0, 1, 2, …), so a caller that parses
 * documents as it goes keeps no per-document objects alive until the segment is finished.
 */
export class SegmentWriter {
  /** Accumulators by field path (a path's storage kind is fixed by the mapping a segment is built with). */
  private fields = new Map<string, FieldAcc>();
  /**
   * The accumulator used for each position of the last document's field list: documents of one
   * source mostly list the same fields in the same order (the same FieldInfo objects), so a field is
   * found by an identity check instead of Map lookups by path and analyzer name (those were ~6% of a
   * build worker's CPU on Firehose log records).
   */
  private byPosition: FieldAcc[] = [];
  private maxDoc = 0;

  /** `expectedDocs`: how many documents will be added, if known (accumulators size their buffers by it). */
  constructor(private readonly analyzers: AnalyzerResolver, private readonly expectedDocs = 0) {}

  /** Adds the next document's fields. */
  add(fields: IndexedField[]): void {
    const d = this.maxDoc++;
    const byPosition = this.byPosition;
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i];
      let e = byPosition[i];
      if (e === undefined || e.info !== field.info) byPosition[i] = e = this.accFor(field.info);
      switch (e.kind) {
        case 'text':
          e.acc.add(d, field.values, e.analyzer);
          break;
        case 'keyword': {
          const info = e.info;
          e.acc.add(d, info.normalizer ? field.values.map((v) => this.analyzers.normalize(info, String(v))) : field.values);
          break;
        }
        case 'numeric':
          e.acc.add(d, field.values);
          break;
        case 'none':
          break;
      }
    }
  }

  /** The accumulator of `info`'s field, made at its first value. */
  private accFor(info: FieldInfo): FieldAcc {
    const known = this.fields.get(info.path);
    if (known) {
      // A document parsed against a newer mapping has new FieldInfo objects; a field's kind is the same.
      known.info = info;
      return known;
    }
    let e: FieldAcc;
    if (info.storage === 'text' && info.index) {
      const positions = info.indexOptions !== 'docs' && info.indexOptions !== 'freqs';
      e = { kind: 'text', info, acc: new TextAcc(positions, info.norms, this.expectedDocs), analyzer: this.analyzers.indexAnalyzer(info) };
    } else if (info.storage === 'keyword') e = { kind: 'keyword', info, acc: new KeywordAcc() };
    else if (info.storage === 'numeric') e = { kind: 'numeric', info, acc: new NumericAcc() };
    else e = { kind: 'none', info };
    this.fields.set(info.path, e);
    return e;
  }

  /** The segment of every document added, with their metadata and `_source` store. */
  finish(name: string, meta: DocMeta, sources: SourceStore): Segment {
    const maxDoc = this.maxDoc;
    const inverted = new Map<string, InvertedField>();
    const docValues = new Map<string, DocValuesField>();
    for (const [path, e] of this.fields) if (e.kind === 'text') inverted.set(path, e.acc.finish(maxDoc));
    for (const [path, e] of this.fields) {
      if (e.kind !== 'keyword') continue;
      const [inv, dv] = e.acc.finish(maxDoc, e.info.index, true);
      if (inv) inverted.set(path, inv);
      if (dv) docValues.set(path, dv);
    }
    for (const [path, e] of this.fields) if (e.kind === 'numeric') docValues.set(path, e.acc.finish(maxDoc));
    return new Segment(name, maxDoc, meta, sources, inverted, docValues);
  }
}

/** Reads the positions of consecutive postings from a varint stream. */
export class PositionsReader {
  private pos: number;
  constructor(private readonly bytes: Uint8Array, start: number) {
    this.pos = start;
  }
  /** Reads the next posting's `freq` positions into `out` (returns out). */
  next(freq: number, out: number[] = []): number[] {
    out.length = 0;
    let prev = 0;
    for (let i = 0; i < freq; i++) {
      let v = 0, shift = 0, b: number;
      do {
        b = this.bytes[this.pos++];
        v |= (b & 0x7f) << shift;
        shift += 7;
      } while (b & 0x80);
      prev += v;
      out.push(prev);
    }
    return out;
  }
  /** Skips one posting's positions. */
  skip(freq: number): void {
    for (let i = 0; i < freq; i++) while (this.bytes[this.pos++] & 0x80);
  }
}
