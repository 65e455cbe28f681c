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

class TextAcc {
  termIds = new Map<string, number>();
  docs: number[][] = [];
  freqs: number[][] = [];
  positions: number[][] = [];
  lastDoc: number[] = [];
  lengths: Map<number, number> = new Map();
  constructor(readonly withPositions: boolean, readonly withNorms: boolean) {}

  add(doc: number, values: (string | number)[], analyzer: Analyzer): void {
    let base = 0;
    let length = 0;
    for (const value of values) {
      const tokens = analyzer.analyze(String(value));
      let last = -1;
      for (const tok of tokens) {
        let id = this.termIds.get(tok.term);
        if (id === undefined) {
          id = this.docs.length;
          this.termIds.set(tok.term, id);
          this.docs.push([]);
          this.freqs.push([]);
          this.positions.push([]);
          this.lastDoc.push(-1);
        }
        const pos = base + tok.position;
        if (this.lastDoc[id] !== doc) {
          this.lastDoc[id] = doc;
          this.docs[id].push(doc);
          this.freqs[id].push(1);
        } else {
          this.freqs[id][this.freqs[id].length - 1]++;
        }
        if (this.withPositions) this.positions[id].push(pos);
        if (tok.position !== last) length++;
        last = tok.position;
      }
      if (tokens.length > 0) base += tokens[tokens.length - 1].position + POSITION_INCREMENT_GAP;
    }
    if (length > 0 || values.length > 0) this.lengths.set(doc, (this.lengths.get(doc) ?? 0) + length);
  }

  finish(maxDoc: number): InvertedField {
    const terms = [...this.termIds.keys()].sort();
    const docStart = new Uint32Array(terms.length + 1);
    let total = 0;
    for (let t = 0; t < terms.length; t++) {
      docStart[t] = total;
      total += this.docs[this.termIds.get(terms[t])!].length;
    }
    docStart[terms.length] = total;
    const docs = new Uint32Array(total);
    const freqs = new Uint32Array(total);
    const posStart = this.withPositions ? new Float64Array(terms.length + 1) : undefined;
    const posBytes: number[] = [];
    let sumTotalTermFreq = 0;
    for (let t = 0; t < terms.length; t++) {
      const id = this.termIds.get(terms[t])!;
      docs.set(this.docs[id], docStart[t]);
      freqs.set(this.freqs[id], docStart[t]);
      if (posStart) {
        posStart[t] = posBytes.length;
        const f = this.freqs[id];
        const p = this.positions[id];
        let k = 0;
        for (let i = 0; i < f.length; i++) {
          let prev = 0;
          for (let j = 0; j < f[i]; j++, k++) {
            writeVarint(posBytes, p[k] - prev);
            prev = p[k];
          }
        }
      }
      for (const f of this.freqs[id]) sumTotalTermFreq += f;
    }
    if (posStart) posStart[terms.length] = posBytes.length;
    let norms: Uint8Array | undefined;
    let lengthSum = 0;
    if (this.withNorms) {
      norms = new Uint8Array(maxDoc);
      for (const [doc, len] of this.lengths) norms[doc] = encodeNorm(len);
    }
    for (const len of this.lengths.values()) lengthSum += len;
    return {
      terms,
      docStart,
      docs,
      freqs,
      posStart,
      positions: posStart ? Uint8Array.from(posBytes) : undefined,
      norms,
      docCount: this.lengths.size,
      sumTotalTermFreq: this.withNorms ? lengthSum : sumTotalTermFreq,
      sumDocFreq: total,
    };
  }
}

class KeywordAcc {
  termIds = new Map<string, number>();
  perDoc: Map<number, number[]> = new Map();
  add(doc: number, values: (string | number)[]): void {
    let list = this.perDoc.get(doc);
    if (!list) this.perDoc.set(doc, (list = []));
    for (const v of values) {
      const s = String(v);
      let id = this.termIds.get(s);
      if (id === undefined) {
        id = this.termIds.size;
        this.termIds.set(s, id);
      }
      list.push(id);
    }
  }

  finish(maxDoc: number, index: boolean, docValues: boolean): [InvertedField | undefined, DocValuesField | undefined] {
    const terms = [...this.termIds.keys()].sort();
    const ordOf = new Uint32Array(terms.length);
    terms.forEach((t, ord) => (ordOf[this.termIds.get(t)!] = ord));
    const offsets = new Uint32Array(maxDoc + 1);
    const ords: number[] = [];
    const df = new Uint32Array(terms.length);
    let singleValued = true;
    for (let d = 0; d < maxDoc; d++) {
      offsets[d] = ords.length;
      const list = this.perDoc.get(d);
      if (!list) continue;
      const sorted = [...new Set(list.map((id) => ordOf[id]))].sort((a, b) => a - b);
      if (sorted.length > 1) singleValued = false;
      for (const o of sorted) {
        ords.push(o);
        df[o]++;
      }
    }
    offsets[maxDoc] = ords.length;
    let inverted: InvertedField | undefined;
    if (index) {
      const docStart = new Uint32Array(terms.length + 1);
      for (let t = 0; t < terms.length; t++) docStart[t + 1] = docStart[t] + df[t];
      const docs = new Uint32Array(ords.length);
      const fill = docStart.slice(0, terms.length);
      for (let d = 0; d < maxDoc; d++) {
        for (let i = offsets[d]; i < offsets[d + 1]; i++) docs[fill[ords[i]]++] = d;
      }
      inverted = { terms, docStart, docs, docCount: this.perDoc.size, sumTotalTermFreq: ords.length, sumDocFreq: ords.length };
    }
    const dv: DocValuesField | undefined = docValues
      ? { kind: 'ordinal', offsets, values: Uint32Array.from(ords), terms, singleValued, docCount: this.perDoc.size }
      : undefined;
    return [inverted, dv];
  }
}

class NumericAcc {
  perDoc = new Map<number, number[]>();
  add(doc: number, values: (string | number)[]): void {
    let list = this.perDoc.get(doc);
    if (!list) this.perDoc.set(doc, (list = []));
    for (const v of values) list.push(Number(v));
  }
  finish(maxDoc: number): DocValuesField {
    const offsets = new Uint32Array(maxDoc + 1);
    const values: number[] = [];
    let singleValued = true;
    for (let d = 0; d < maxDoc; d++) {
      offsets[d] = values.length;
      const list = this.perDoc.get(d);
      if (!list) continue;
      if (list.length > 1) {
        singleValued = false;
        list.sort((a, b) => a - b);
      }
      for (const v of list) values.push(v);
    }
    offsets[maxDoc] = values.length;
    return { kind: 'numeric', offsets, values: Float64Array.from(values), singleValued, docCount: this.perDoc.size };
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

function writeVarint(out: number[], v: number): void {
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
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
