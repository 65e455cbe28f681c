// Text postings accumulation for the segment builder: terms get ids from an open-addressing hash
// table keyed by the characters of a span of the (lower-cased) text, so the hot path hashes char
// codes in place instead of allocating a substring per token and looking it up in a Map; term strings
// are made once, when the segment is finished. Occurrences go into typed buffers and finish()
// groups them by term with a stable counting sort, which keeps docs and positions in order.

import type { Analyzer } from '../analysis/analyzer.ts';
import { termHash } from '../analysis/standard-tokenizer.ts';
import { encodeNorm } from './norms.ts';
import { EMPTY_U32, releaseScratch, takeScratch, takeScratchBytes } from './scratch.ts';
import type { InvertedField } from './segment.ts';

/** Lucene's default gap between the values of a multi-valued text field. */
export const POSITION_INCREMENT_GAP = 100;

/** A growable Uint32Array (amortized doubling), so accumulation allocates no per-term JS arrays. */
export class IntBuffer {
  data: Uint32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Uint32Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = v;
  }
  private grow(min: number): void {
    const next = new Uint32Array(Math.max(min, this.data.length * 2));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}

/** idOf's one-span arguments and result (one lookup runs at a time on a thread). */
const ONE_START = new Int32Array(1), ONE_END = new Int32Array(1), ONE_HASH = new Int32Array(1), ONE_ID = new Uint32Array(1);

/**
 * Term → dense id (0, 1, 2, … in first-seen order), looked up by a span of a string. Terms' characters
 * live one after another in a flat UTF-16 pool, so a lookup compares against contiguous memory instead
 * of chasing a string object per probe (slices of the analyzed text, which also kept every document's
 * whole text alive); the strings are made once, when asked for.
 */
export class TermHash {
  /** Slot → id + 1 (0 = empty). */
  private table = new Int32Array(1 << 12);
  private mask = (1 << 12) - 1;
  private hashes = new Int32Array(1024);
  /** Term id → start of its characters in `pool`; `starts[id + 1]` is its end. */
  private starts = new Uint32Array(1025);
  private pool = new Uint16Array(16 * 1024);
  private count = 0;
  private made: string[] = [];

  get size(): number {
    return this.count;
  }

  /** The term strings by id. */
  get strings(): string[] {
    const made = this.made;
    for (let id = made.length; id < this.count; id++) made.push(this.text(id));
    return made;
  }

  /** The id of `s.slice(start, end)`, added when new (one span through idsOfSpans). */
  idOf(s: string, start: number, end: number): number {
    ONE_START[0] = start;
    ONE_END[0] = end;
    ONE_HASH[0] = termHash(s, start, end);
    this.idsOfSpans(s, ONE_START, ONE_END, ONE_HASH, 1, ONE_ID, 0);
    return ONE_ID[0];
  }

  /**
   * The ids of `n` spans of `s` (their bounds and `termHash`es in `starts`, `ends`, `hashes`: a
   * tokenizer computes the hashes while scanning), added when new, written to `out` from `at`: one loop with the table's arrays in locals instead of a call per token
   * (a log message's field has a hundred tokens or more; the lookups are most of its postings time).
   */
  idsOfSpans(s: string, starts: Int32Array, ends: Int32Array, hashes: Int32Array, n: number, out: Uint32Array, at: number): void {
    let table = this.table, mask = this.mask, termStarts = this.starts, pool = this.pool, termHashes = this.hashes;
    for (let i = 0; i < n; i++) {
      const start = starts[i], len = ends[i] - start, h = hashes[i];
      let slot = h & mask;
      let id = -1;
      for (;;) {
        const e = table[slot];
        if (e === 0) break;
        const cand = e - 1;
        if (termHashes[cand] === h) {
          const a = termStarts[cand];
          if (termStarts[cand + 1] - a === len) {
            let k = 0;
            while (k < len && pool[a + k] === s.charCodeAt(start + k)) k++;
            if (k === len) {
              id = cand;
              break;
            }
          }
        }
        slot = (slot + 1) & mask;
      }
      if (id < 0) {
        id = this.add(s, start, start + len, h, slot);
        // Adding may have grown (replaced) any of them.
        table = this.table;
        mask = this.mask;
        termStarts = this.starts;
        pool = this.pool;
        termHashes = this.hashes;
      }
      out[at + i] = id;
    }
  }

  private add(s: string, start: number, end: number, h: number, slot: number): number {
    const id = this.count++;
    if (id + 1 >= this.hashes.length) {
      const hashes = new Int32Array(this.hashes.length * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
      const starts = new Uint32Array(hashes.length + 1);
      starts.set(this.starts);
      this.starts = starts;
    }
    const at = this.starts[id];
    const len = end - start;
    if (at + len > this.pool.length) {
      const pool = new Uint16Array(Math.max(at + len, this.pool.length * 2));
      pool.set(this.pool.subarray(0, at));
      this.pool = pool;
    }
    const pool = this.pool;
    for (let k = 0; k < len; k++) pool[at + k] = s.charCodeAt(start + k);
    this.starts[id + 1] = at + len;
    this.hashes[id] = h;
    this.table[slot] = id + 1;
    // Keep the load factor at or below one half.
    if ((id + 1) * 2 > this.mask) this.rehash();
    return id;
  }

  /** Term `id` as a string. */
  private text(id: number): string {
    const a = this.starts[id], b = this.starts[id + 1];
    // fromCharCode takes its arguments from the stack: long terms go in pieces.
    if (b - a <= 1024) return String.fromCharCode.apply(null, this.pool.subarray(a, b) as unknown as number[]);
    let out = '';
    for (let i = a; i < b; i += 1024) out += String.fromCharCode.apply(null, this.pool.subarray(i, Math.min(b, i + 1024)) as unknown as number[]);
    return out;
  }

  /** Ids in ascending order of their terms (UTF-16 code unit order, as Array.prototype.sort). */
  sortedIds(): Uint32Array {
    const strs = this.strings;
    const ids = Array.from({ length: strs.length }, (_, i) => i);
    ids.sort((a, b) => (strs[a] < strs[b] ? -1 : 1));
    return Uint32Array.from(ids);
  }

  private rehash(): void {
    const size = this.table.length * 2;
    const table = new Int32Array(size);
    const mask = size - 1;
    for (let id = 0; id < this.count; id++) {
      let slot = this.hashes[id] & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = id + 1;
    }
    this.table = table;
    this.mask = mask;
  }
}

/** One text field's postings, accumulated over a segment's documents (in doc-id order). */
export class TextAcc {
  readonly terms = new TermHash();
  /** Occurrences (term id, position) in the order they were added. */
  private occTerm: Uint32Array;
  private occPos: Uint32Array;
  private occ = 0;
  /**
   * Whose occurrences they are, as runs: occurrences before `runEnd[r]` (and from the previous run's
   * end) are doc `runDoc[r]`'s. One run per document and field, not a doc id per occurrence.
   */
  private runDoc = new IntBuffer(256);
  private runEnd = new IntBuffer(256);
  /** Token count per doc (field length, for norms). */
  private lengths = new IntBuffer();

  /**
   * `expectedDocs`: how many documents the segment will have, if known; the occurrence buffers are
   * then sized from the first documents' token counts instead of doubling all the way (each doubling
   * copied everything so far: a tenth of a log segment's build).
   */
  constructor(readonly withPositions: boolean, readonly withNorms: boolean, private readonly expectedDocs = 0) {
    this.occTerm = takeScratch(4096);
    this.occPos = takeScratch(4096);
  }

  add(doc: number, values: (string | number)[], analyzer: Analyzer): void {
    let base = 0;
    let length = 0;
    const terms = this.terms;
    for (const value of values) {
      const text = typeof value === 'string' ? value : String(value);
      // Fast path: the terms are spans of one string and positions are 0..n-1 (no Token objects).
      const spans = analyzer.termSpans?.(text);
      if (spans) {
        const n = spans.count;
        this.reserve(n, doc);
        const ot = this.occTerm, op = this.occPos;
        let at = this.occ;
        const { text: spanText, starts, ends, hashes } = spans;
        if (hashes !== null) {
          terms.idsOfSpans(spanText, starts, ends, hashes, n, ot, at);
          for (let i = 0; i < n; i++, at++) op[at] = base + i;
        } else {
          for (let i = 0; i < n; i++, at++) {
            ot[at] = terms.idOf(spanText, starts[i], ends[i]);
            op[at] = base + i;
          }
        }
        this.occ = at;
        length += n;
        if (n > 0) base += n - 1 + POSITION_INCREMENT_GAP;
        continue;
      }
      if (analyzer.sequentialPositions) {
        const list = analyzer.terms(text);
        this.reserve(list.length, doc);
        for (let i = 0; i < list.length; i++) this.push(terms.idOf(list[i], 0, list[i].length), base + i);
        length += list.length;
        if (list.length > 0) base += list.length - 1 + POSITION_INCREMENT_GAP;
        continue;
      }
      const tokens = analyzer.analyze(text);
      this.reserve(tokens.length, doc);
      let last = -1;
      for (let i = 0; i < tokens.length; i++) {
        const tok = tokens[i];
        this.push(terms.idOf(tok.term, 0, tok.term.length), base + tok.position);
        if (tok.position !== last) length++;
        last = tok.position;
      }
      if (tokens.length > 0) base += tokens[tokens.length - 1].position + POSITION_INCREMENT_GAP;
    }
    // The doc's occurrences end here (a doc added twice extends its run).
    const runs = this.runDoc.length;
    if (runs > 0 && this.runDoc.data[runs - 1] === doc) this.runEnd.data[runs - 1] = this.occ;
    else if (this.occ > (runs > 0 ? this.runEnd.data[runs - 1] : 0)) {
      this.runDoc.push(doc);
      this.runEnd.push(this.occ);
    }
    const lengths = this.lengths;
    while (lengths.length <= doc) lengths.push(0);
    lengths.data[doc] += length;
  }

  /** Makes room for `n` more occurrences while adding doc `doc`. */
  private reserve(n: number, doc: number): void {
    const need = this.occ + n;
    if (need <= this.occTerm.length) return;
    let size = Math.max(need, this.occTerm.length * 2);
    // Once a few documents are in, their average predicts the rest of the segment.
    if (this.expectedDocs > doc && doc >= 16) size = Math.max(size, Math.ceil((need / (doc + 1)) * this.expectedDocs * 1.1));
    const t = takeScratch(size);
    t.set(this.occTerm.subarray(0, this.occ));
    releaseScratch(this.occTerm);
    this.occTerm = t;
    const p = takeScratch(size);
    p.set(this.occPos.subarray(0, this.occ));
    releaseScratch(this.occPos);
    this.occPos = p;
  }

  private push(termId: number, pos: number): void {
    this.occTerm[this.occ] = termId;
    this.occPos[this.occ++] = pos;
  }

  finish(maxDoc: number): InvertedField {
    const numIds = this.terms.size;
    const n = this.occ;
    const occTerm = this.occTerm, occPos = this.occPos;
    // Stable counting sort of occurrences by term id, scattering docs and positions (so the
    // per-term loop below reads them sequentially).
    const start = new Uint32Array(numIds + 1);
    for (let i = 0; i < n; i++) start[occTerm[i] + 1]++;
    for (let t = 0; t < numIds; t++) start[t + 1] += start[t];
    const fill = start.slice(0, numIds);
    const sDoc = takeScratch(n);
    const sPos = this.withPositions ? takeScratch(n) : null;
    const runDoc = this.runDoc.data, runEnd = this.runEnd.data, runs = this.runDoc.length;
    for (let r = 0, i = 0; r < runs; r++) {
      const doc = runDoc[r], end = runEnd[r];
      if (sPos) {
        for (; i < end; i++) {
          const k = fill[occTerm[i]]++;
          sDoc[k] = doc;
          sPos[k] = occPos[i];
        }
      } else {
        for (; i < end; i++) sDoc[fill[occTerm[i]]++] = doc;
      }
    }
    const order = this.terms.sortedIds();
    const termCount = order.length;
    const terms: string[] = new Array(termCount);
    const docStart = new Uint32Array(termCount + 1);
    const docsOut = takeScratch(n);
    const freqsOut = takeScratch(n);
    let nd = 0;
    const posStart = sPos ? new Float64Array(termCount + 1) : undefined;
    // Positions' varints (a byte or two each here), in a scratch array's bytes.
    let { bytes: posBytes, words: posWords } = takeScratchBytes(sPos ? n * 2 : 0);
    let posLen = 0;
    for (let t = 0; t < termCount; t++) {
      const id = order[t];
      terms[t] = this.terms.strings[id];
      docStart[t] = nd;
      if (posStart) posStart[t] = posLen;
      let prevDoc = -1;
      let prevPos = 0;
      const end = start[id + 1];
      for (let k = start[id]; k < end; k++) {
        const doc = sDoc[k];
        if (doc !== prevDoc) {
          docsOut[nd] = doc;
          freqsOut[nd++] = 1;
          prevDoc = doc;
          prevPos = 0;
        } else {
          freqsOut[nd - 1]++;
        }
        if (sPos) {
          if (posLen + 5 > posBytes.length) {
            const next = takeScratchBytes(posBytes.length * 2);
            next.bytes.set(posBytes.subarray(0, posLen));
            releaseScratch(posWords);
            ({ bytes: posBytes, words: posWords } = next);
          }
          const pos = sPos[k];
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
    docStart[termCount] = nd;
    if (posStart) posStart[termCount] = posLen;
    const lengths = this.lengths.data;
    const seen = Math.min(this.lengths.length, maxDoc);
    let norms: Uint8Array | undefined;
    if (this.withNorms) {
      norms = new Uint8Array(maxDoc);
      for (let d = 0; d < seen; d++) norms[d] = encodeNorm(lengths[d]);
    }
    let lengthSum = 0;
    let docCount = 0;
    for (let d = 0; d < seen; d++) {
      lengthSum += lengths[d];
      if (lengths[d] > 0) docCount++;
    }
    const docs = docsOut.slice(0, nd);
    const freqs = freqsOut.slice(0, nd);
    const positions = posStart ? posBytes.slice(0, posLen) : undefined;
    for (const a of [sDoc, sPos, docsOut, freqsOut, posWords, this.occTerm, this.occPos]) if (a) releaseScratch(a);
    this.occTerm = this.occPos = EMPTY_U32;
    this.occ = 0;
    return {
      terms,
      docStart,
      docs,
      freqs,
      posStart,
      positions,
      norms,
      docCount,
      sumTotalTermFreq: this.withNorms ? lengthSum : n,
      sumDocFreq: nd,
    };
  }
}
