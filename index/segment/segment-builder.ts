// Builds an immutable Segment from parsed documents: analyzes text into postings with frequencies,
// positions and norms, collects keyword dictionaries and ordinals, and lays out numeric doc values.

import type { Analyzer } from '../analysis/analyzer.ts';
import type { FieldInfo } from '../mapping/field-types.ts';
import type { IndexedField } from '../mapping/document-parser.ts';
import { encodeNorm } from './norms.ts';
import { Segment, type DocValuesField, type InvertedField } from './segment.ts';
import { buildSourceStore } from './source-store.ts';

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

/** Lucene's default gap between the values of a multi-valued text field. */
export const POSITION_INCREMENT_GAP = 100;

/** A growable Uint32Array (amortized doubling), so accumulation allocates no per-term JS arrays. */
class IntBuffer {
  data = new Uint32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

/**
 * Text postings accumulate as (term, doc, position) triples in one typed buffer per field; finish()
 * groups them by term with a stable counting sort, which keeps docs and positions in order.
 */
class TextAcc {
  termIds = new Map<string, number>();
  private occ = new IntBuffer(); // triples: termId, doc, position
  private lengths = new Map<number, number>();
  constructor(readonly withPositions: boolean, readonly withNorms: boolean) {}

  add(doc: number, values: (string | number)[], analyzer: Analyzer): void {
    let base = 0;
    let length = 0;
    const termIds = this.termIds;
    const occ = this.occ;
    for (const value of values) {
      const text = typeof value === 'string' ? value : String(value);
      if (analyzer.sequentialPositions) {
        // Fast path: positions are 0..n-1, no Token objects needed.
        const terms = analyzer.terms(text);
        for (let i = 0; i < terms.length; i++) {
          let id = termIds.get(terms[i]);
          if (id === undefined) {
            id = termIds.size;
            termIds.set(terms[i], id);
          }
          occ.push(id);
          occ.push(doc);
          occ.push(base + i);
        }
        length += terms.length;
        if (terms.length > 0) base += terms.length - 1 + POSITION_INCREMENT_GAP;
        continue;
      }
      const tokens = analyzer.analyze(text);
      let last = -1;
      for (let i = 0; i < tokens.length; i++) {
        const tok = tokens[i];
        let id = termIds.get(tok.term);
        if (id === undefined) {
          id = termIds.size;
          termIds.set(tok.term, id);
        }
        occ.push(id);
        occ.push(doc);
        occ.push(base + tok.position);
        if (tok.position !== last) length++;
        last = tok.position;
      }
      if (tokens.length > 0) base += tokens[tokens.length - 1].position + POSITION_INCREMENT_GAP;
    }
    this.lengths.set(doc, (this.lengths.get(doc) ?? 0) + length);
  }

  finish(maxDoc: number): InvertedField {
    const numIds = this.termIds.size;
    const occ = this.occ.data;
    const n = this.occ.length / 3;
    // Stable counting sort of occurrences by term id.
    const countById = new Uint32Array(numIds + 1);
    for (let i = 0; i < n; i++) countById[occ[i * 3] + 1]++;
    for (let t = 0; t < numIds; t++) countById[t + 1] += countById[t];
    const order = new Uint32Array(n);
    const fill = countById.slice(0, numIds);
    for (let i = 0; i < n; i++) order[fill[occ[i * 3]]++] = i;
    const terms = [...this.termIds.keys()].sort();
    const docStart = new Uint32Array(terms.length + 1);
    const docsOut = new IntBuffer();
    const freqsOut = new IntBuffer();
    const posStart = this.withPositions ? new Float64Array(terms.length + 1) : undefined;
    let posBytes = new Uint8Array(Math.max(1024, n * 2));
    let posLen = 0;
    let sumTotalTermFreq = 0;
    for (let t = 0; t < terms.length; t++) {
      const id = this.termIds.get(terms[t])!;
      docStart[t] = docsOut.length;
      if (posStart) posStart[t] = posLen;
      let prevDoc = -1;
      let prevPos = 0;
      for (let k = countById[id]; k < countById[id + 1]; k++) {
        const o = order[k] * 3;
        const doc = occ[o + 1];
        const pos = occ[o + 2];
        if (doc !== prevDoc) {
          docsOut.push(doc);
          freqsOut.push(1);
          prevDoc = doc;
          prevPos = 0;
        } else {
          freqsOut.data[freqsOut.length - 1]++;
        }
        sumTotalTermFreq++;
        if (posStart) {
          if (posLen + 5 > posBytes.length) {
            const next = new Uint8Array(posBytes.length * 2);
            next.set(posBytes);
            posBytes = next;
          }
          let v = pos - prevPos;
          prevPos = pos;
          while (v >= 0x80) {
            posBytes[posLen++] = (v & 0x7f) | 0x80;
            v >>>= 7;
          }
          posBytes[posLen++] = v;
        }
      }
    }
    docStart[terms.length] = docsOut.length;
    if (posStart) posStart[terms.length] = posLen;
    let norms: Uint8Array | undefined;
    let lengthSum = 0;
    if (this.withNorms) {
      norms = new Uint8Array(maxDoc);
      for (const [doc, len] of this.lengths) norms[doc] = encodeNorm(len);
    }
    let docCount = 0;
    for (const len of this.lengths.values()) {
      lengthSum += len;
      if (len > 0) docCount++;
    }
    return {
      terms,
      docStart,
      docs: docsOut.data.slice(0, docsOut.length),
      freqs: freqsOut.data.slice(0, freqsOut.length),
      posStart,
      positions: posStart ? posBytes.slice(0, posLen) : undefined,
      norms,
      docCount,
      sumTotalTermFreq: this.withNorms ? lengthSum : sumTotalTermFreq,
      sumDocFreq: docsOut.length,
    };
  }
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

/** Builds one segment from documents (in doc-id order). */
export function buildSegment(name: string, docs: BuildDoc[], analyzers: AnalyzerResolver): Segment {
  const text = new Map<string, { info: FieldInfo; acc: TextAcc }>();
  const keyword = new Map<string, { info: FieldInfo; acc: KeywordAcc }>();
  const numeric = new Map<string, { info: FieldInfo; acc: NumericAcc }>();
  for (let d = 0; d < docs.length; d++) {
    for (const field of docs[d].fields) {
      const info = field.info;
      switch (info.storage) {
        case 'text': {
          if (!info.index) break;
          let e = text.get(info.path);
          if (!e) {
            const positions = info.indexOptions !== 'docs' && info.indexOptions !== 'freqs';
            text.set(info.path, (e = { info, acc: new TextAcc(positions, info.norms) }));
          }
          e.acc.add(d, field.values, analyzers.indexAnalyzer(info));
          break;
        }
        case 'keyword': {
          let e = keyword.get(info.path);
          if (!e) keyword.set(info.path, (e = { info, acc: new KeywordAcc() }));
          const values = info.normalizer ? field.values.map((v) => analyzers.normalize(info, String(v))) : field.values;
          e.acc.add(d, values);
          break;
        }
        case 'numeric': {
          let e = numeric.get(info.path);
          if (!e) numeric.set(info.path, (e = { info, acc: new NumericAcc() }));
          e.acc.add(d, field.values);
          break;
        }
        case 'none':
          break;
      }
    }
  }
  const maxDoc = docs.length;
  const inverted = new Map<string, InvertedField>();
  const docValues = new Map<string, DocValuesField>();
  for (const [path, { acc }] of text) inverted.set(path, acc.finish(maxDoc));
  for (const [path, { info, acc }] of keyword) {
    const [inv, dv] = acc.finish(maxDoc, info.index, true);
    if (inv) inverted.set(path, inv);
    if (dv) docValues.set(path, dv);
  }
  for (const [path, { acc }] of numeric) docValues.set(path, acc.finish(maxDoc));
  const meta = {
    ids: docs.map((d) => d.id),
    seqNos: Float64Array.from(docs, (d) => d.seqNo),
    versions: Float64Array.from(docs, (d) => d.version),
    primaryTerms: Float64Array.from(docs, (d) => d.primaryTerm),
    routings: docs.map((d) => d.routing),
  };
  return new Segment(name, maxDoc, meta, buildSourceStore(docs.map((d) => d.source)), inverted, docValues);
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
